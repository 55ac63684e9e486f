package io.raftbed.runtime.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.raftbed.node.Transport;
import io.raftbed.raft.Message;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's {@link Transport}: one outbound connection per peer ({@link PeerLink}), used only for
 * sending; each peer's messages to us arrive on the connection it dialed (see {@link PeerServer}).
 *
 * <p>Threading: {@link #send} is called on the node's event loop, and every outbound channel is
 * registered on that same loop, so a send is a plain buffer write with no hand-over. Writes are
 * flushed once per loop turn: the first send of a turn schedules one flush task behind the current
 * one, which carries every message of the Ready batch in as few syscalls as possible.
 */
public final class PeerTransport implements Transport {
  /**
   * Settings of the outbound side.
   *
   * @param connectTimeoutMillis how long a dial may take before it counts as failed
   * @param reconnectMillisMin first redial delay after a failure; doubles per failure
   * @param reconnectMillisMax longest redial delay
   * @param backlogMessagesMax messages kept per peer while disconnected; beyond it the oldest drop
   * @param writeBufferBytesMax bytes queued on a connection before further messages drop
   */
  public record Options(int connectTimeoutMillis, int reconnectMillisMin, int reconnectMillisMax,
      int backlogMessagesMax, int writeBufferBytesMax) {
    public Options {
      if (connectTimeoutMillis < 1 || reconnectMillisMin < 1 || reconnectMillisMax < reconnectMillisMin
          || backlogMessagesMax < 0 || writeBufferBytesMax < 1024) {
        throw new IllegalArgumentException("invalid peer transport options " + this);
      }
    }

    public static Options defaults() {
      return new Options(1_000, 10, 1_000, 256, 16 << 20);
    }
  }

  /** Counters of the transport, called on the node's loop. */
  public interface Metrics {
    Metrics NONE = new Metrics() {};

    default void dropped(int peerId) {}

    default void connected(int peerId) {}

    default void connectFailed(int peerId) {}
  }

  private final EventLoop loop;
  private final Metrics metrics;
  /** Links by peer id, ordered for stable iteration. */
  private final Map<Integer, PeerLink> links = new TreeMap<>();
  private boolean flushScheduled;
  private final Runnable flushTask = this::flushAll;

  /**
   * @param peers the other members' peer addresses by id (this node excluded)
   * @param loop the node's event loop: sends happen and outbound channels live on it
   */
  public PeerTransport(int selfId, String clusterId, Map<Integer, InetSocketAddress> peers, EventLoop loop,
      Class<? extends SocketChannel> channelClass, Options options, Metrics metrics) {
    this.loop = loop;
    this.metrics = metrics;
    int writeLow = options.writeBufferBytesMax() / 2;
    Bootstrap bootstrap = new Bootstrap().group(loop).channel(channelClass)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(writeLow,
            options.writeBufferBytesMax()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(FrameEncoder.INSTANCE, new DiscardInbound());
          }
        });
    peers.forEach((id, address) -> {
      if (id == selfId) {
        throw new IllegalArgumentException("peer list includes this node " + selfId);
      }
      links.put(id, new PeerLink(id, address, bootstrap, new PeerFrame.Hello(clusterId, selfId, id), options, this));
    });
  }

  /** Dials every peer; call once, from any thread. */
  public void start() {
    loop.execute(() -> links.values().forEach(PeerLink::dial));
  }

  @Override
  public void send(Message m) {
    PeerLink link = links.get(m.to());
    if (link == null) {
      metrics.dropped(m.to()); // not a member: the core never does this, but a bug should not crash the node
      return;
    }
    link.send(m);
    if (!flushScheduled) {
      flushScheduled = true;
      loop.execute(flushTask);
    }
  }

  private void flushAll() {
    flushScheduled = false;
    for (PeerLink link : links.values()) {
      link.flushIfDirty();
    }
  }

  /** Closes every link; no redials afterwards. Call from any thread. */
  public void close() {
    loop.execute(() -> links.values().forEach(PeerLink::close));
  }

  /** Whether the link to {@code peerId} is connected; call on the node's loop. */
  public boolean isConnected(int peerId) {
    PeerLink link = links.get(peerId);
    return link != null && link.isConnected();
  }

  Metrics metrics() {
    return metrics;
  }

  /** Outbound connections carry nothing inbound; anything that arrives is dropped. */
  private static final class DiscardInbound extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // the link redials
    }
  }
}
