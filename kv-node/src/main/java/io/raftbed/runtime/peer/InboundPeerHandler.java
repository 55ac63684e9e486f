package io.raftbed.runtime.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftbed.raft.Message;
import io.raftbed.runtime.net.ConnectionGovernor;
import io.raftbed.runtime.tls.TlsContexts;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One accepted peer connection: checks the handshake, decodes frames and hands the messages of each
 * read burst to the node in one batch.
 *
 * <p>Threading: one instance per channel, on the channel's I/O thread. Ordering: messages reach the
 * {@link PeerServer.Sink} in the order they arrived. Any bad input (a frame that does not decode, a
 * wrong cluster id, a message that is not from the peer that said hello or not for this node, no hello
 * in time) closes this connection and nothing else.
 */
final class InboundPeerHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(InboundPeerHandler.class.getName());
  private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** When a rejection was last logged: a flood of garbage connections must not flood the log. */
  private static final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);

  private final PeerServer server;
  /** The peer that said hello; null until it has. */
  private PeerFrame.Hello hello;
  private List<Message> burst = new ArrayList<>();
  private ScheduledFuture<?> handshakeTimeout;

  InboundPeerHandler(PeerServer server) {
    this.server = server;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      startHandshakeTimer(ctx); // added to a live channel (an embedded one in tests): no channelActive follows
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    startHandshakeTimer(ctx);
    super.channelActive(ctx);
  }

  private void startHandshakeTimer(ChannelHandlerContext ctx) {
    if (handshakeTimeout == null) {
      ConnectionGovernor.activity(ctx.channel(), ConnectionGovernor.Activity.READING);
      handshakeTimeout = ctx.executor().schedule(() -> reject(ctx, "no hello within "
          + server.options().handshakeTimeoutMillis() + " ms"), server.options().handshakeTimeoutMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!ctx.channel().isActive()) {
        return; // rejected earlier in this burst
      }
      PeerFrame frame = PeerCodec.decode((ByteBuf) msg);
      switch (frame) {
        case PeerFrame.Hello h -> onHello(ctx, h);
        case PeerFrame.Raft r -> onMessage(ctx, r.message());
      }
    } catch (MalformedFrameException e) {
      reject(ctx, e.getMessage());
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHello(ChannelHandlerContext ctx, PeerFrame.Hello h) {
    String problem = hello != null ? "a second hello"
        : !h.clusterId().equals(server.clusterId()) ? "cluster id '" + h.clusterId() + "', expected '"
            + server.clusterId() + "'"
        : h.to() != server.selfId() ? "hello for node " + h.to() + " reached node " + server.selfId()
        : !server.isPeer(h.from()) ? "node " + h.from() + " is not a member"
        : certificateProblem(ctx, h.from());
    if (problem != null) {
      reject(ctx, problem);
      return;
    }
    hello = h;
    handshakeTimeout.cancel(false);
    ConnectionGovernor.activity(ctx.channel(), ConnectionGovernor.Activity.BUSY);
    server.metrics().accepted(h.from());
    if (!h.address().isEmpty()) {
      server.announcements().announced(h.from(), h.address());
    }
  }

  /** With TLS: null if the peer's certificate names node {@code from}, else what is wrong. */
  private String certificateProblem(ChannelHandlerContext ctx, int from) {
    if (server.tls() == null) {
      return null;
    }
    Optional<X509Certificate> cert = TlsContexts.peerCertificate(ctx.channel());
    OptionalInt named = cert.isPresent() ? TlsContexts.nodeId(cert.get()) : OptionalInt.empty();
    if (named.isPresent() && named.getAsInt() == from) {
      return null;
    }
    server.metrics().certificateRejected();
    return "hello from n" + from + " over a certificate that names " + (cert.isEmpty() ? "nobody"
        : TlsContexts.commonName(cert.get()).orElse("nobody"));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      server.metrics().tlsHandshakeFailed();
      reject(ctx, "TLS handshake failed: " + done.cause().getMessage());
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  private void onMessage(ChannelHandlerContext ctx, Message m) {
    if (hello == null) {
      reject(ctx, "a message before the hello");
    } else if (m.from() != hello.from() || m.to() != server.selfId()) {
      reject(ctx, "message from " + m.from() + " to " + m.to() + " on the connection of node " + hello.from());
    } else {
      burst.add(m);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (!burst.isEmpty()) {
      List<Message> batch = burst;
      burst = new ArrayList<>();
      server.sink().deliver(batch);
    }
    super.channelReadComplete(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      ctx.close(); // counted and logged as a failed handshake (userEventTriggered)
    } else if (cause instanceof TooLongFrameException) {
      reject(ctx, "frame too long: " + cause.getMessage());
    } else if (cause instanceof IOException) {
      ctx.close(); // the peer went away; it redials
    } else {
      reject(ctx, cause.toString());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (handshakeTimeout != null) {
      handshakeTimeout.cancel(false);
    }
    super.channelInactive(ctx);
  }

  private void reject(ChannelHandlerContext ctx, String why) {
    if (!ctx.channel().isActive()) {
      return;
    }
    server.metrics().rejected();
    long now = System.nanoTime();
    long last = lastWarningNanos.get();
    if (now - last >= WARNING_INTERVAL_NANOS && lastWarningNanos.compareAndSet(last, now)) {
      LOG.log(System.Logger.Level.WARNING, "closing peer connection from {0}: {1} (further rejections within a"
          + " second are only counted, in raftbed_peer_connections_rejected_total)", ctx.channel().remoteAddress(), why);
    }
    burst.clear(); // nothing from a connection we distrust reaches the node
    ctx.close();
  }
}
