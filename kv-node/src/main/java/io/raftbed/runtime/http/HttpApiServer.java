package io.raftbed.runtime.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.raftbed.node.ClientReply;
import io.raftbed.runtime.AdminReply;
import io.raftbed.runtime.NodeGateway;
import io.raftbed.runtime.NodeStatus;
import io.raftbed.runtime.metrics.NodeMetrics;
import io.raftbed.runtime.net.ConnectionGovernor;
import io.raftbed.runtime.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP API server (see {@link ApiRequestParser} for the routes). Pipeline per connection:
 * {@link ConnectionGovernor} (connection limits and eviction), {@link HttpDeadlines} (idle, header and
 * body timeouts), {@link HttpServerCodec} with line and header limits, an aggregator capped at
 * {@code requestBytesMax} that answers 413 in JSON, then {@link HttpApiHandler}.
 *
 * <p>Threading: the server and its connections run on the I/O group given to {@link #bind}; this
 * class's own state is immutable after construction, so handlers share it freely.
 */
public final class HttpApiServer {
  /**
   * @param requestBytesMax largest request body; a larger one gets 413 and the connection closes
   * @param initialLineBytesMax longest request line (method, target, version)
   * @param headerBytesMax largest header block
   * @param connections how many connections, from one address and in all; which ones make room
   * @param timeouts idle, header and body time limits of a connection
   * @param adminTimeoutMillis how long a forwarded administrative request may take (adding a voter
   *     waits for it to catch up)
   */
  public record Options(int requestBytesMax, int initialLineBytesMax, int headerBytesMax,
      ConnectionGovernor.Limits connections, HttpDeadlines.Timeouts timeouts, int adminTimeoutMillis) {
    /** Tests: {@code connectionsMax} in all and from one address, no reserve, default timeouts. */
    public Options(int requestBytesMax, int initialLineBytesMax, int headerBytesMax, int connectionsMax) {
      this(requestBytesMax, initialLineBytesMax, headerBytesMax, new ConnectionGovernor.Limits(connectionsMax,
          connectionsMax, 0, 1_000), HttpDeadlines.Timeouts.defaults(), 60_000);
    }
  }

  private final NodeGateway gateway;
  private final LeaderForwarder forwarder;
  private final NodeMetrics metrics;
  private final Options options;
  private final ConnectionGovernor governor;
  /** HTTPS when set (before {@link #bind}). */
  private volatile TlsContexts tls;
  private volatile HttpAuth auth = HttpAuth.OPEN;
  private Channel serverChannel;
  private ChannelGroup children;

  public HttpApiServer(NodeGateway gateway, LeaderForwarder forwarder, NodeMetrics metrics, Options options) {
    this.gateway = gateway;
    this.forwarder = forwarder;
    this.metrics = metrics;
    this.options = options;
    this.governor = new ConnectionGovernor(options.connections(), new ConnectionGovernor.Events() {
      @Override
      public void refused(ChannelHandlerContext ctx, String why) {
        metrics.connections().httpRefused();
        if (tls == null) { // over TLS there is no handshake yet to answer in: the connection just closes
          ctx.writeAndFlush(Unpooled.wrappedBuffer(ApiResponses.raw(503, "Service Unavailable",
              "too_many_connections", why)));
        }
      }

      @Override
      public void evicted(ConnectionGovernor.Activity activity) {
        metrics.connections().httpEvicted(activity);
      }
    });
    metrics.connections().httpOpenSource(governor::open);
  }

  public InetSocketAddress bind(EventLoopGroup group, Class<? extends ServerSocketChannel> channelClass,
      InetSocketAddress address) throws InterruptedException {
    children = new DefaultChannelGroup(group.next());
    ServerBootstrap b = new ServerBootstrap().group(group).channel(channelClass)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            children.add(ch);
            initPipeline(ch.pipeline());
          }
        });
    serverChannel = b.bind(address).sync().channel();
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Adds the API's handlers to {@code p}; public for tests that drive an embedded channel. */
  public void initPipeline(ChannelPipeline p) {
    HttpDeadlines deadlines = new HttpDeadlines(options.timeouts(), metrics.connections()::httpTimedOut);
    p.addLast(governor);
    TlsContexts t = tls;
    if (t != null) {
      p.addLast(t.httpServerHandler(p.channel(), options.timeouts().headerTimeoutMillis()),
          new TlsFailureCounter(metrics.connections()));
    }
    p.addLast(deadlines.bytes(),
        new HttpServerCodec(options.initialLineBytesMax(), options.headerBytesMax(), 64 << 10),
        deadlines.messages(),
        new JsonOversizeAggregator(options.requestBytesMax(), deadlines),
        new HttpApiHandler(this, deadlines));
  }

  /** Serves HTTPS from now on, taking client certificates when offered; call before {@link #bind}. */
  public void useTls(TlsContexts contexts) {
    this.tls = contexts;
  }

  /** Who may do what; {@link HttpAuth#OPEN} unless set (before {@link #bind}). */
  public void useAuth(HttpAuth policy) {
    this.auth = policy;
  }

  HttpAuth auth() {
    return auth;
  }

  /** Stops accepting and closes every connection. */
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
      children.close().awaitUninterruptibly();
    }
  }

  NodeGateway gateway() {
    return gateway;
  }

  LeaderForwarder forwarder() {
    return forwarder;
  }

  NodeMetrics metrics() {
    return metrics;
  }

  /** Records the latency of what the leader served itself (node thread). */
  void observe(ApiRequest.KeyOp op, ClientReply reply, long nanos) {
    if (reply instanceof ClientReply.Done) {
      if (op.op().isWrite()) {
        metrics.writeCommitted(nanos);
      } else if (op.op() == ApiRequest.Op.GET) {
        metrics.linearizableRead(nanos);
      }
    }
  }

  FullHttpResponse health(NodeStatus s) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", s.running() ? "ok" : "stopped");
    body.put("id", s.id());
    body.put("role", s.role().name().toLowerCase());
    body.put("leaderId", s.leaderId());
    return ApiResponses.json(s.running() ? 200 : 503, body);
  }

  FullHttpResponse cluster(NodeStatus s) {
    return ApiResponses.json(200, ClusterJson.status(s, gateway));
  }

  /** The response to an administrative request that ended here (not forwarded); on the node's thread. */
  FullHttpResponse adminResponse(AdminReply reply) {
    return switch (reply) {
      case AdminReply.Done d -> ApiResponses.json(200, adminDone(d));
      case AdminReply.NotLeader nl -> ApiResponses.unavailable("no_leader", "no leader is known; the cluster may be"
          + " electing one");
      case AdminReply.Refused r -> ApiResponses.error(r.status(), r.code(), r.message());
      case AdminReply.Unavailable u -> ApiResponses.unavailable("unavailable", u.reason());
      case AdminReply.Unknown u -> ApiResponses.error(504, "outcome_unknown", u.reason()
          + " (the change may or may not take effect; GET /cluster shows the configuration)");
    };
  }

  private Map<String, Object> adminDone(AdminReply.Done d) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("leaderId", d.leaderId());
    body.putAll(ClusterJson.configuration(d.membership(), d.leaderId(), gateway.nodeId(), gateway));
    return body;
  }

  Options options() {
    return options;
  }

  FullHttpResponse metricsPage(NodeStatus s) {
    return ApiResponses.text(200, metrics.render(s), "text/plain; version=0.0.4; charset=utf-8");
  }


  /**
   * Turns an oversized body into a request whose decoder result is a {@link BodyTooLargeException},
   * so that {@link HttpApiHandler} answers 413 in order with the other pipelined responses. The
   * aggregator then discards the rest of the body, and a keep-alive connection stays usable.
   */
  private static final class JsonOversizeAggregator extends HttpObjectAggregator {
    private final HttpDeadlines deadlines;

    JsonOversizeAggregator(int maxContentLength, HttpDeadlines deadlines) {
      super(maxContentLength);
      this.deadlines = deadlines;
    }

    /**
     * Replaces Netty's empty 413 to an {@code Expect: 100-continue} with the API's JSON one, and
     * closes the connection gracefully after it: many clients send the body anyway, and the decoder
     * would take it for the next request.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
      Object r = super.newContinueResponse(start, maxContentLength, pipeline);
      if (r instanceof FullHttpResponse refusal && refusal.status().code() == 413) {
        refusal.release();
        FullHttpResponse json = ApiResponses.error(413, "too_large", "the request body exceeds " + maxContentLength
            + " bytes");
        json.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ChannelHandlerContext ctx = pipeline.context(this);
        ctx.executor().execute(() -> deadlines.closeGracefully(ctx)); // after the aggregator wrote the 413
        return json;
      }
      return r;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      if (!(oversized instanceof HttpRequest request)) {
        ctx.close();
        return;
      }
      FullHttpRequest marker = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
          Unpooled.EMPTY_BUFFER, request.headers().copy(), EmptyHttpHeaders.INSTANCE);
      marker.setDecoderResult(DecoderResult.failure(new BodyTooLargeException("the request body exceeds "
          + maxContentLength() + " bytes")));
      ctx.fireChannelRead(marker);
    }
  }

  /** Counts failed TLS handshakes (no TLS, wrong CA, too slow); the channel closes on its own. */
  private static final class TlsFailureCounter extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final io.raftbed.runtime.metrics.ConnectionMetrics counters;

    TlsFailureCounter(io.raftbed.runtime.metrics.ConnectionMetrics counters) {
      this.counters = counters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done && !done.isSuccess()) {
        counters.tlsHandshakeFailed();
      }
      super.userEventTriggered(ctx, evt);
    }
  }

  /** The body of a request was larger than {@code requestBytesMax}. */
  static final class BodyTooLargeException extends TooLongFrameException {
    BodyTooLargeException(String message) {
      super(message);
    }
  }
}
