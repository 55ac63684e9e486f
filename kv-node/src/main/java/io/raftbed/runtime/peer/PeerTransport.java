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
import io.raftbed.runtime.tls.TlsContexts;
import java.net.InetSocketAddress;
import io.raftbed.raft.Membership;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The node's {@link Transport}: one outbound connection per peer ({@link PeerLink}), used only for
 * sending; each peer's messages to us arrive on the connection it dialed (see {@link PeerServer}).
 *
 * <p>Peers come and go with the configuration: {@link #membershipChanged} opens a link to every new
 * member (before the driver sends it anything) and closes the links of removed ones. A message to a
 * node outside the configuration (an answer to a leader this node has not seen added yet) opens a
 * link on demand, if the {@link Directory} knows the address; otherwise it is dropped and counted.
 *
 * <p>Threading: {@link #send} and {@link #membershipChanged} are called on the node's event loop, and
 * every outbound channel is registered on that same loop, so a send is a plain buffer write with no
 * hand-over. Writes are flushed once per loop turn: the first send of a turn schedules one flush task
 * behind the current one, which carries every message of the Ready batch in as few syscalls as possible.
 */
public final class PeerTransport implements Transport {
  private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());

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

    /** A TLS handshake with a peer failed. */
    default void tlsHandshakeFailed() {}

    /** A peer's CA-signed certificate names another node than the one dialled. */
    default void certificateRejected() {}
  }

  /** Where peers listen, by id; called on the node's loop. */
  @FunctionalInterface
  public interface Directory {
    /** The peer port address of node {@code id}, or null when unknown. */
    InetSocketAddress peerAddress(int id);
  }

  private final int selfId;
  private final String clusterId;
  private final Directory directory;
  private final EventLoop loop;
  private final Options options;
  private final Metrics metrics;
  private final Bootstrap bootstrap;
  /** Links by peer id, ordered for stable iteration. */
  private final Map<Integer, PeerLink> links = new TreeMap<>();
  /** The other members of the configuration last seen; their links stay open. */
  private Set<Integer> members = Set.of();
  /** What hellos announce: this node's configuration address, or empty. */
  private volatile String advertisedAddress = "";
  private boolean started;
  /** Mutual TLS when set (before {@link #start}). */
  private volatile TlsContexts tls;
  private boolean closed;
  private boolean flushScheduled;
  private final Runnable flushTask = this::flushAll;

  /**
   * A transport to a fixed set of peers (more may come with {@link #membershipChanged}).
   *
   * @param peers the other members' peer addresses by id (this node excluded)
   * @param loop the node's event loop: sends happen and outbound channels live on it
   */
  public PeerTransport(int selfId, String clusterId, Map<Integer, InetSocketAddress> peers, EventLoop loop,
      Class<? extends SocketChannel> channelClass, Options options, Metrics metrics) {
    this(selfId, clusterId, Map.copyOf(peers)::get, loop, channelClass, options, metrics);
    peers.keySet().forEach(id -> {
      if (id == selfId) {
        throw new IllegalArgumentException("peer list includes this node " + selfId);
      }
      linkTo(id);
    });
    members = Set.copyOf(peers.keySet());
  }

  /**
   * A transport that opens links as the configuration names members.
   *
   * @param directory resolves peer ids to addresses, on the node's loop
   * @param loop the node's event loop: sends happen and outbound channels live on it
   */
  public PeerTransport(int selfId, String clusterId, Directory directory, EventLoop loop,
      Class<? extends SocketChannel> channelClass, Options options, Metrics metrics) {
    this.selfId = selfId;
    this.clusterId = clusterId;
    this.directory = directory;
    this.loop = loop;
    this.options = options;
    this.metrics = metrics;
    int writeLow = options.writeBufferBytesMax() / 2;
    this.bootstrap = new Bootstrap().group(loop).channel(channelClass)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(writeLow,
            options.writeBufferBytesMax()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            TlsContexts t = tls;
            if (t != null) {
              ch.pipeline().addLast(t.clientHandler(ch));
            }
            ch.pipeline().addLast(FrameEncoder.INSTANCE, new DiscardInbound());
          }
        });
  }

  /** Sets the address hellos announce ({@code Member#address()}); call before {@link #start}. */
  public void advertise(String address) {
    this.advertisedAddress = address;
  }

  /**
   * Dials peers with mutual TLS from now on; each peer must show a certificate of the cluster's CA
   * that names it, wherever it was dialled (a proxy address too). Call before {@link #start}.
   */
  public void useTls(TlsContexts contexts) {
    this.tls = contexts;
  }

  /** Dials every peer known so far; call once, from any thread. */
  public void start() {
    loop.execute(() -> {
      started = true;
      links.values().forEach(PeerLink::dial);
    });
  }

  /**
   * Opens links to new members (before the driver sends them anything: it calls this first), moves
   * links whose member's address changed, and closes the links of members that left.
   */
  @Override
  public void membershipChanged(Membership membership) {
    Set<Integer> next = new TreeSet<>(membership.voters().keySet());
    next.addAll(membership.learners().keySet());
    next.remove(selfId);
    for (int id : members) {
      if (!next.contains(id)) {
        PeerLink gone = links.remove(id);
        if (gone != null) {
          gone.close();
        }
      }
    }
    for (int id : next) {
      PeerLink link = links.get(id);
      InetSocketAddress address = directory.peerAddress(id);
      if (link != null && address != null && !address.equals(link.address())) {
        links.remove(id).close(); // the member moved: reconnect to where it is now
      }
      if (linkTo(id) == null) {
        LOG.log(System.Logger.Level.WARNING, "member n" + id + " has no known address; it cannot be reached");
      }
    }
    members = Set.copyOf(next);
  }

  /** The link to {@code id}, opened (and dialed once started) if there is none and its address is known. */
  private PeerLink linkTo(int id) {
    PeerLink link = links.get(id);
    if (link != null || closed || id == selfId) {
      return link;
    }
    InetSocketAddress address = directory.peerAddress(id);
    if (address == null) {
      return null;
    }
    link = new PeerLink(id, address, bootstrap, options, this);
    links.put(id, link);
    if (started) {
      link.dial();
    }
    return link;
  }

  /** The hello a link to {@code peerId} opens with. */
  PeerFrame.Hello hello(int peerId) {
    return new PeerFrame.Hello(clusterId, selfId, peerId, advertisedAddress);
  }

  @Override
  public void send(Message m) {
    PeerLink link = linkTo(m.to());
    if (link == null) {
      metrics.dropped(m.to()); // nowhere to send it; Raft retries, and the peer may announce itself
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
    loop.execute(() -> {
      closed = true;
      links.values().forEach(PeerLink::close);
    });
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
