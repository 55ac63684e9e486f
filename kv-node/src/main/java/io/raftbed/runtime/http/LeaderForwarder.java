package io.raftbed.runtime.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Proxies a request that reached a follower to the leader's HTTP address, over a bounded pool of
 * keep-alive connections per leader, and hands back the leader's response as it is.
 *
 * <p>Threading: {@link #forward} may be called from any thread; the {@link Callback} runs on the
 * pooled connection's I/O thread, exactly once. A forwarded request carries
 * {@value #FORWARDED_HEADER}, so a node that receives one and is not the leader either answers 503
 * instead of forwarding again: one hop at most, never a loop.
 */
public final class LeaderForwarder {
  public static final String FORWARDED_HEADER = "X-Raftbed-Forwarded-By";

  /**
   * @param connectionsPerLeaderMax pooled connections to one leader; further requests wait for one
   * @param pendingPerLeaderMax requests waiting for a pooled connection before new ones fail at once
   * @param timeoutMillis how long a forwarded request may take, including waiting for a connection
   * @param responseBytesMax largest response accepted from the leader
   */
  public record Options(int connectionsPerLeaderMax, int pendingPerLeaderMax, int timeoutMillis,
      int responseBytesMax) {}

  /** The outcome of one forwarded request. */
  public interface Callback {
    /** The leader answered; the callee owns (and must release) {@code response}. */
    void response(FullHttpResponse response);

    /**
     * No answer. {@code maybeDelivered} is false when the request certainly never reached the
     * leader (no connection), true when it may have (timeout, connection lost afterwards).
     */
    void failed(boolean maybeDelivered, String why);
  }

  private final int selfId;
  private final IntFunction<Optional<Member>> members;
  private final Options options;
  private final Bootstrap bootstrap;
  /** Pools by member (id and address): a member added again elsewhere gets a new pool. */
  private final Map<Member, FixedChannelPool> pools = new ConcurrentHashMap<>();
  /** HTTPS with this node's certificate when set (before the first forward). */
  private volatile TlsContexts tls;

  /** A forwarder to a fixed set of members (tests). */
  public LeaderForwarder(int selfId, Map<Integer, Member> members, EventLoopGroup group,
      Class<? extends SocketChannel> channelClass, Options options) {
    this(selfId, id -> Optional.ofNullable(Map.copyOf(members).get(id)), group, channelClass, options);
  }

  /** @param members where each member serves, looked up (on any thread) at every forward */
  public LeaderForwarder(int selfId, IntFunction<Optional<Member>> members, EventLoopGroup group,
      Class<? extends SocketChannel> channelClass, Options options) {
    this.selfId = selfId;
    this.members = members;
    this.options = options;
    this.bootstrap = new Bootstrap().group(group).channel(channelClass)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.min(options.timeoutMillis(), 2_000));
  }

  /** Sends {@code request} (ownership passes here) to member {@code leaderId}, with the default timeout. */
  public void forward(int leaderId, FullHttpRequest request, Callback callback) {
    forward(leaderId, request, options.timeoutMillis(), callback);
  }

  /**
   * Sends {@code request} (ownership passes here) to member {@code leaderId}; the leader has
   * {@code timeoutMillis} to answer (administrative requests may take longer than writes).
   */
  public void forward(int leaderId, FullHttpRequest request, int timeoutMillis, Callback callback) {
    Member leader = leaderId == selfId ? null : members.apply(leaderId).orElse(null);
    if (leader == null) {
      request.release();
      callback.failed(false, "the address of leader n" + leaderId + " is not known here");
      return;
    }
    // Connection is hop-by-hop: the pooled link stays open whatever the client asked of its own.
    request.headers().remove(HttpHeaderNames.CONNECTION).set(FORWARDED_HEADER, selfId)
        .set(HttpHeaderNames.HOST, leader.host() + ":" + leader.httpPort());
    FixedChannelPool pool = pools.computeIfAbsent(leader, this::newPool);
    pool.acquire().addListener(f -> {
      if (!f.isSuccess()) {
        request.release();
        callback.failed(false, "cannot reach the leader " + leader.name() + " at " + leader.httpUrl() + ": "
            + f.cause().getMessage());
        return;
      }
      Channel ch = (Channel) f.getNow();
      ch.eventLoop().execute(() -> { // the pool completes on its own executor; the exchange lives on the channel's
        ForwardHandler handler = ch.pipeline().get(ForwardHandler.class);
        handler.begin(ch, pool, callback, timeoutMillis);
        ch.writeAndFlush(request).addListener(w -> {
          if (!w.isSuccess()) {
            handler.fail(ch, "sending to the leader failed: " + w.cause());
          }
        });
      });
    });
  }

  private FixedChannelPool newPool(Member leader) {
    Bootstrap b = bootstrap.clone().remoteAddress(new InetSocketAddress(leader.host(), leader.httpPort()));
    return new FixedChannelPool(b, new AbstractChannelPoolHandler() {
      @Override
      public void channelCreated(Channel ch) {
        TlsContexts t = tls;
        if (t != null) {
          ch.pipeline().addLast(t.clientHandler(ch)); // the node's certificate vouches for the forwarded request
        }
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(options.responseBytesMax()),
            new ForwardHandler());
      }
    }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL, options.timeoutMillis(),
        options.connectionsPerLeaderMax(), options.pendingPerLeaderMax(), true, true);
  }

  /**
   * Forwards over HTTPS from now on, showing this node's certificate: the leader lets a member's
   * certificate through, since the member checked the client's credentials itself.
   */
  public void useTls(TlsContexts contexts) {
    this.tls = contexts;
  }

  /** The default time the leader has to answer a forwarded request. */
  public int timeoutMillis() {
    return options.timeoutMillis();
  }

  /** Closes every pool and its connections. */
  public void close() {
    pools.values().forEach(FixedChannelPool::close);
    pools.clear();
  }

  /**
   * The per-connection end of one forwarded exchange at a time. Every path (response, timeout,
   * failure, close) ends the exchange once: callback called, channel returned to its pool.
   */
  private static final class ForwardHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private Callback callback;
    private FixedChannelPool pool;
    private ScheduledFuture<?> timeout;

    ForwardHandler() {
      super(false);
    }

    void begin(Channel ch, FixedChannelPool owner, Callback cb, int timeoutMillis) {
      this.pool = owner;
      this.callback = cb;
      this.timeout = ch.eventLoop().schedule(() -> fail(ch, "the leader did not answer within " + timeoutMillis
          + " ms"), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      Callback cb = end(ctx.channel());
      if (cb == null) {
        response.release(); // nobody asked: the leader misbehaved; drop the connection
        ctx.close();
        return;
      }
      response.headers().remove(HttpHeaderNames.CONNECTION).remove("Keep-Alive");
      cb.response(response);
    }

    void fail(Channel ch, String why) {
      ch.close(); // a late answer must not reach the next exchange on this connection
      Callback cb = end(ch);
      if (cb != null) {
        cb.failed(true, why);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      fail(ctx.channel(), "the leader closed the connection before answering");
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx.channel(), "forwarding failed: " + cause);
    }

    private Callback end(Channel ch) {
      Callback cb = callback;
      if (cb == null) {
        return null;
      }
      callback = null;
      timeout.cancel(false);
      pool.release(ch);
      return cb;
    }
  }
}
