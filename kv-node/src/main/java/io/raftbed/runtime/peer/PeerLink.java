package io.raftbed.runtime.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslHandler;
import io.raftbed.raft.Message;
import io.raftbed.runtime.tls.TlsContexts;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.OptionalInt;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The outbound connection to one peer: dials, sends the hello, writes messages, and redials with
 * exponential backoff and jitter when the connection fails or closes.
 *
 * <p>Threading: every method runs on the node's event loop, which is also the channel's loop, so no
 * state here is shared. Messages are written in the order sent and flushed by the owning
 * {@link PeerTransport} once per loop turn. Loss is by design (Raft tolerates it): a message is
 * dropped when the channel's outbound buffer is above its high-water mark, or when the backlog kept
 * while disconnected is full (the oldest goes first, since fresher messages supersede it).
 */
final class PeerLink {
  private static final System.Logger LOG = System.getLogger(PeerLink.class.getName());

  private final int peerId;
  private final InetSocketAddress address;
  private final Bootstrap bootstrap;
  private final PeerTransport.Options options;
  private final PeerTransport owner;

  /** The connected channel, hello written; null while disconnected or dialing. */
  private Channel channel;
  private boolean dialing;
  private boolean closed;
  /** Messages sent while disconnected, oldest first; at most {@code backlogMessagesMax}. */
  private final ArrayDeque<Message> backlog = new ArrayDeque<>();
  /** Current redial delay in milliseconds; doubles per failure up to {@code reconnectMillisMax}. */
  private long backoffMillis;
  /** Nanos (monotonic) when the current channel connected, to tell a stable link from a flapping one. */
  private long connectedAtNanos;
  private boolean dirty;

  PeerLink(int peerId, InetSocketAddress address, Bootstrap bootstrap, PeerTransport.Options options,
      PeerTransport owner) {
    this.peerId = peerId;
    this.address = address;
    this.bootstrap = bootstrap;
    this.options = options;
    this.owner = owner;
    this.backoffMillis = options.reconnectMillisMin();
  }

  void send(Message m) {
    if (channel != null) {
      if (!channel.isWritable()) {
        owner.metrics().dropped(peerId);
        return;
      }
      channel.write(m, channel.voidPromise());
      dirty = true;
      return;
    }
    if (backlog.size() >= options.backlogMessagesMax()) {
      backlog.pollFirst();
      owner.metrics().dropped(peerId);
    }
    backlog.addLast(m); // the pending redial (see scheduleRedial) will deliver it
  }

  /** Flushes if anything was written since the last flush. */
  void flushIfDirty() {
    if (dirty && channel != null) {
      channel.flush();
    }
    dirty = false;
  }

  void dial() {
    if (closed || dialing || channel != null) {
      return;
    }
    dialing = true;
    ChannelFuture f = bootstrap.connect(address);
    f.addListener(done -> onDialed(f));
  }

  private void onDialed(ChannelFuture f) {
    dialing = false;
    if (!f.isSuccess()) {
      owner.metrics().connectFailed(peerId);
      scheduleRedial();
      return;
    }
    Channel ch = f.channel();
    if (closed) {
      ch.close();
      return;
    }
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    if (ssl != null) {
      // Messages written now wait inside the TLS handler until the handshake is done and checked.
      ssl.handshakeFuture().addListener(hf -> checkPeerCertificate(ch, hf.isSuccess() ? null : hf.cause()));
    }
    channel = ch;
    connectedAtNanos = System.nanoTime();
    owner.metrics().connected(peerId);
    LOG.log(System.Logger.Level.INFO, "connected to peer n" + peerId + " at " + address);
    ch.closeFuture().addListener(done -> onClosed(ch));
    ch.write(owner.hello(peerId), ch.voidPromise());
    while (!backlog.isEmpty()) {
      ch.write(backlog.pollFirst(), ch.voidPromise());
    }
    ch.flush();
  }

  /** Closes {@code ch} (and so redials later) unless its TLS handshake succeeded with this peer's certificate. */
  private void checkPeerCertificate(Channel ch, Throwable failure) {
    String problem;
    if (failure != null) {
      owner.metrics().tlsHandshakeFailed();
      problem = "TLS handshake failed: " + failure.getMessage();
    } else {
      Optional<X509Certificate> cert = TlsContexts.peerCertificate(ch);
      OptionalInt named = cert.isPresent() ? TlsContexts.nodeId(cert.get()) : OptionalInt.empty();
      if (named.isPresent() && named.getAsInt() == peerId) {
        return;
      }
      owner.metrics().certificateRejected();
      problem = "its certificate names " + cert.flatMap(TlsContexts::commonName).orElse("nobody");
    }
    LOG.log(System.Logger.Level.WARNING, "peer n" + peerId + " at " + address + " is not trusted: " + problem
        + "; closing and redialing");
    ch.close();
  }

  private void onClosed(Channel ch) {
    if (channel != ch) {
      return;
    }
    channel = null;
    dirty = false;
    if (!closed) {
      LOG.log(System.Logger.Level.INFO, "lost the connection to peer n" + peerId + "; redialing");
    }
    long livedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAtNanos);
    if (livedMillis >= options.reconnectMillisMax()) {
      backoffMillis = options.reconnectMillisMin(); // it was a good connection: redial promptly
    }
    scheduleRedial();
  }

  private void scheduleRedial() {
    if (closed) {
      return;
    }
    // Full jitter halves the chance that two nodes redial each other in lock step.
    long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
    backoffMillis = Math.min(backoffMillis * 2, options.reconnectMillisMax());
    bootstrap.config().group().schedule(this::dial, delay, TimeUnit.MILLISECONDS);
  }

  void close() {
    closed = true;
    backlog.clear();
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  boolean isConnected() {
    return channel != null && channel.isActive();
  }

  int peerId() {
    return peerId;
  }

  InetSocketAddress address() {
    return address;
  }
}
