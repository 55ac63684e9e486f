package io.raftbed.runtime.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.raftbed.raft.Message;
import io.raftbed.runtime.net.ConnectionGovernor;
import io.raftbed.runtime.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Accepts the connections peers dial to us and delivers their messages. The pipeline per connection:
 * {@link ConnectionGovernor} (limits; evicts connections that have not said hello), a length-prefix frame decoder capped at {@code frameBytesMax}, then
 * {@link InboundPeerHandler} (handshake, decode, hand-over).
 *
 * <p>Threading: channels run on the I/O group given to {@link #bind}; the {@link Sink} is called on
 * those threads and must hand the batch to the node's loop.
 */
public final class PeerServer {
  /**
   * @param frameBytesMax largest frame accepted (length prefix excluded); a longer one closes the
   *     connection. Must exceed the largest AppendEntries a leader sends.
   * @param connectionsMax inbound peer connections at once
   * @param perAddressMax inbound peer connections from one address (peers dialled through a fault
   *     proxy all come from its address)
   * @param handshakeTimeoutMillis time a new connection has to finish TLS and send its hello
   */
  public record Options(int frameBytesMax, int connectionsMax, int perAddressMax, int handshakeTimeoutMillis) {
    public Options {
      if (frameBytesMax < 1024 || connectionsMax < 1 || perAddressMax < 1 || handshakeTimeoutMillis < 1) {
        throw new IllegalArgumentException("invalid peer server options " + this);
      }
    }

    /** Tests: {@code connectionsMax} from one address too. */
    public Options(int frameBytesMax, int connectionsMax, int handshakeTimeoutMillis) {
      this(frameBytesMax, connectionsMax, connectionsMax, handshakeTimeoutMillis);
    }
  }

  /** Receives the messages of one read burst, in arrival order, on an I/O thread. */
  @FunctionalInterface
  public interface Sink {
    void deliver(List<Message> messages);
  }

  /**
   * Told, on an I/O thread, of every accepted hello that announced an address: how to reach a peer
   * this node may not know yet (it joined while this node was down).
   */
  @FunctionalInterface
  public interface Announcements {
    Announcements NONE = (peerId, address) -> {};

    void announced(int peerId, String address);
  }

  /** Counters of the inbound side, called on I/O threads. */
  public interface Metrics {
    Metrics NONE = new Metrics() {};

    default void accepted(int peerId) {}

    default void rejected() {}

    /** A connection was refused over the limits, with no unauthenticated one to evict. */
    default void refused() {}

    /** A connection that had not said hello was closed to make room. */
    default void evicted() {}

    /** A TLS handshake failed: no certificate, one the CA did not sign, or not TLS at all. */
    default void tlsHandshakeFailed() {}

    /** A CA-signed certificate does not name the node whose hello came over it. */
    default void certificateRejected() {}
  }

  private final int selfId;
  private final String clusterId;
  private final IntPredicate acceptsPeer;
  private final Options options;
  private final Sink sink;
  private final Announcements announcements;
  private final Metrics metrics;
  /** Mutual TLS when set (before {@link #bind}); plain TCP when null. */
  private volatile TlsContexts tls;
  private Channel serverChannel;
  /** Every accepted connection, so that {@link #close} can close them. */
  private ChannelGroup children;

  /** A server that accepts exactly the peers {@code peers} (a fixed cluster, and tests). */
  public PeerServer(int selfId, String clusterId, Set<Integer> peers, Options options, Sink sink, Metrics metrics) {
    this(selfId, clusterId, Set.copyOf(peers)::contains, options, sink, Announcements.NONE, metrics);
  }

  /**
   * @param acceptsPeer whether a hello from this id is accepted, called on I/O threads. A node whose
   *     membership changes accepts any id but its own: a leader it has not heard of yet must reach it,
   *     and the cluster id is what keeps strangers out.
   */
  public PeerServer(int selfId, String clusterId, IntPredicate acceptsPeer, Options options, Sink sink,
      Announcements announcements, Metrics metrics) {
    this.selfId = selfId;
    this.clusterId = clusterId;
    this.acceptsPeer = acceptsPeer;
    this.options = options;
    this.sink = sink;
    this.announcements = announcements;
    this.metrics = metrics;
  }

  /**
   * Requires mutual TLS of every peer from now on: a certificate of the cluster's CA that names the
   * node the hello claims to be. Call before {@link #bind}.
   */
  public void useTls(TlsContexts contexts) {
    this.tls = contexts;
  }

  TlsContexts tls() {
    return tls;
  }

  /** Binds and starts accepting; returns the bound address (useful with port 0). */
  public InetSocketAddress bind(EventLoopGroup group, Class<? extends ServerSocketChannel> channelClass,
      InetSocketAddress address) throws InterruptedException {
    children = new DefaultChannelGroup(group.next());
    // A connection counts as READING until its hello is accepted (then BUSY: a member, never evicted).
    ConnectionGovernor governor = new ConnectionGovernor(new ConnectionGovernor.Limits(options.connectionsMax(),
        options.perAddressMax(), 0, 0), new ConnectionGovernor.Events() {
          @Override
          public void refused(ChannelHandlerContext ctx, String why) {
            metrics.refused();
          }

          @Override
          public void evicted(ConnectionGovernor.Activity activity) {
            metrics.evicted();
          }
        });
    ServerBootstrap b = new ServerBootstrap().group(group).channel(channelClass)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            children.add(ch);
            ch.pipeline().addLast(governor);
            TlsContexts t = tls;
            if (t != null) {
              ch.pipeline().addLast(t.peerServerHandler(ch, options.handshakeTimeoutMillis()));
            }
            initPipeline(ch.pipeline());
          }
        });
    serverChannel = b.bind(address).sync().channel();
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Adds the frame decoder and the peer handler to {@code p}; public for tests on an embedded channel. */
  public void initPipeline(ChannelPipeline p) {
    p.addLast(new LengthFieldBasedFrameDecoder(options.frameBytesMax(), 0, PeerCodec.LENGTH_BYTES, 0,
        PeerCodec.LENGTH_BYTES), new InboundPeerHandler(this));
  }

  /** Stops accepting and closes every accepted connection. */
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
      children.close().awaitUninterruptibly();
    }
  }

  int selfId() {
    return selfId;
  }

  String clusterId() {
    return clusterId;
  }

  boolean isPeer(int id) {
    return id != selfId && acceptsPeer.test(id);
  }

  Announcements announcements() {
    return announcements;
  }

  Options options() {
    return options;
  }

  Sink sink() {
    return sink;
  }

  Metrics metrics() {
    return metrics;
  }
}
