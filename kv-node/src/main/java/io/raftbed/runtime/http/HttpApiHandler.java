package io.raftbed.runtime.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.raftbed.node.ClientReply;
import io.raftbed.runtime.AdminReply;
import io.raftbed.runtime.NodeStatus;
import io.raftbed.runtime.http.ApiRequest.KeyOp;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One HTTP connection: parses each request, hands key operations to the node (or, when the node is
 * not the leader, to the {@link LeaderForwarder}) and writes the responses.
 *
 * <p>Threading: one instance per connection; every method runs on the connection's I/O thread.
 * Replies produced on the node's thread or a forwarder's thread are handed back with
 * {@code ctx.executor().execute}. Ordering: HTTP/1.1 pipelining requires responses in request
 * order, so each request takes a sequence number and a finished response waits until those before it
 * are written. At most {@value #PIPELINED_MAX} requests are in flight per connection; beyond that
 * the connection stops reading (back-pressure instead of an unbounded queue).
 */
final class HttpApiHandler extends ChannelInboundHandlerAdapter {
  static final int PIPELINED_MAX = 64;

  private record Outgoing(FullHttpResponse response, boolean close) {}

  private final HttpApiServer api;
  private final HttpDeadlines deadlines;
  /** Sequence number of the next request read. */
  private long nextSeq;
  /** Sequence number of the next response to write. */
  private long nextToWrite;
  /** Finished responses waiting for earlier ones, by sequence number. */
  private final Map<Long, Outgoing> finished = new TreeMap<>();
  /** Set once a response closes the connection: later requests are dropped, late replies released. */
  private boolean closing;

  HttpApiHandler(HttpApiServer api, HttpDeadlines deadlines) {
    this.api = api;
    this.deadlines = deadlines;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    deadlines.requestTaken(ctx);
    try {
      handle(ctx, request, nextSeq++);
    } finally {
      request.release();
    }
    if (nextSeq - nextToWrite >= PIPELINED_MAX) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request, long seq) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof HttpApiServer.BodyTooLargeException) {
        // Closing: the client may be sending a large body; it is drained (bounded) before the close.
        respond(ctx, seq, "oversized", ApiResponses.error(413, "too_large", cause.getMessage()), false);
        return;
      }
      FullHttpResponse r = cause instanceof TooLongFrameException
          ? ApiResponses.error(413, "too_large", "request line or headers too long: " + cause.getMessage())
          : ApiResponses.error(400, "bad_request", "malformed HTTP request: " + cause.getMessage());
      respond(ctx, seq, "malformed", r, false); // the byte stream cannot be trusted past this point
      return;
    }
    byte[] body = ByteBufUtil.getBytes(request.content());
    ApiRequest parsed = ApiRequestParser.parse(request.method().name(), request.uri(), request.headers(), body);
    FullHttpResponse refusal = api.auth().refusal(switch (parsed) {
      case ApiRequest.Invalid invalid -> HttpAuth.Right.NONE;
      case ApiRequest.Health h -> HttpAuth.Right.STATUS;
      case ApiRequest.Cluster c -> HttpAuth.Right.STATUS;
      case ApiRequest.Metrics m -> HttpAuth.Right.STATUS;
      case KeyOp op -> HttpAuth.Right.DATA;
      case ApiRequest.Admin admin -> HttpAuth.Right.ADMIN;
    }, request.headers(), ctx.channel());
    if (refusal != null) {
      api.metrics().connections().authRefused(refusal.status().code());
      respond(ctx, seq, "refused", refusal, keepAlive);
      return;
    }
    switch (parsed) {
      case ApiRequest.Invalid invalid -> respond(ctx, seq, "invalid", ApiResponses.error(invalid), keepAlive);
      case ApiRequest.Health h -> withStatus(ctx, seq, "health", keepAlive, api::health);
      case ApiRequest.Cluster c -> withStatus(ctx, seq, "cluster", keepAlive, api::cluster);
      case ApiRequest.Metrics m -> withStatus(ctx, seq, "metrics", keepAlive, api::metricsPage);
      case KeyOp op -> submit(ctx, seq, op, request, keepAlive);
      case ApiRequest.Admin admin -> submitAdmin(ctx, seq, admin, request, keepAlive);
    }
  }

  private void submitAdmin(ChannelHandlerContext ctx, long seq, ApiRequest.Admin admin, FullHttpRequest request,
      boolean keepAlive) {
    FullHttpRequest original = request.retain(); // as in submit: kept in case it goes to the leader
    String label = admin.request().label();
    api.gateway().admin(admin.request(), reply -> {
      // Rendered here, on the node's thread, where a success's configuration was taken.
      FullHttpResponse response = reply instanceof AdminReply.NotLeader ? null : api.adminResponse(reply);
      ctx.executor().execute(() -> {
        if (reply instanceof AdminReply.NotLeader notLeader) {
          forwardToLeader(ctx, seq, label, original, notLeader.leaderId(), true, api.options().adminTimeoutMillis(),
              keepAlive);
        } else {
          original.release();
          respond(ctx, seq, label, response, keepAlive);
        }
      });
    });
  }

  private void withStatus(ChannelHandlerContext ctx, long seq, String label, boolean keepAlive,
      Function<NodeStatus, FullHttpResponse> render) {
    api.gateway().status(s -> {
      FullHttpResponse r = render.apply(s);
      ctx.executor().execute(() -> respond(ctx, seq, label, r, keepAlive));
    });
  }

  private void submit(ChannelHandlerContext ctx, long seq, KeyOp op, FullHttpRequest request, boolean keepAlive) {
    // Kept until the reply, in case it must be forwarded to the leader (channelRead releases its own reference).
    FullHttpRequest original = request.retain();
    long startNanos = System.nanoTime();
    api.gateway().submit(op.request(), reply -> {
      api.observe(op, reply, System.nanoTime() - startNanos);
      ctx.executor().execute(() -> onReply(ctx, seq, op, original, reply, keepAlive));
    });
  }

  private void onReply(ChannelHandlerContext ctx, long seq, KeyOp op, FullHttpRequest original, ClientReply reply,
      boolean keepAlive) {
    if (!(reply instanceof ClientReply.NotLeader notLeader)) {
      original.release();
      respond(ctx, seq, op.op().label(), ApiResponses.fromReply(op.op(), reply), keepAlive);
      return;
    }
    forwardToLeader(ctx, seq, op.op().label(), original, notLeader.leaderId(), op.op().isWrite(),
        api.forwarder().timeoutMillis(), keepAlive);
  }

  /**
   * Proxies {@code original} (ownership passes here) to the leader, at most one hop: a request that
   * was forwarded already, or with no other leader known, gets 503 instead.
   *
   * @param changes whether the request changes state: if the leader may have got it but did not
   *     answer, the outcome is unknown (504) rather than certainly not applied (503)
   */
  private void forwardToLeader(ChannelHandlerContext ctx, long seq, String label, FullHttpRequest original,
      int leader, boolean changes, int timeoutMillis, boolean keepAlive) {
    String refusal = leader == 0 ? "no leader is known; the cluster may be electing one"
        : leader == api.gateway().nodeId() ? "this node is becoming the leader; retry"
        : original.headers().contains(LeaderForwarder.FORWARDED_HEADER) ? "node " + leader
            + " is the leader now; this request was already forwarded once"
        : null;
    if (refusal != null) {
      original.release();
      respond(ctx, seq, label, ApiResponses.unavailable("no_leader", refusal), keepAlive);
      return;
    }
    api.forwarder().forward(leader, original, timeoutMillis, new LeaderForwarder.Callback() {
      @Override
      public void response(FullHttpResponse response) {
        api.metrics().forwarded(true);
        ctx.executor().execute(() -> respond(ctx, seq, label, response, keepAlive));
      }

      @Override
      public void failed(boolean maybeDelivered, String why) {
        api.metrics().forwarded(false);
        FullHttpResponse r = maybeDelivered && changes
            ? ApiResponses.error(504, "outcome_unknown", why + "; the request may or may not have taken effect")
            : ApiResponses.unavailable("no_leader", why);
        ctx.executor().execute(() -> respond(ctx, seq, label, r, keepAlive));
      }
    });
  }

  /** Queues the response for {@code seq} and writes every response that is now in order. */
  private void respond(ChannelHandlerContext ctx, long seq, String label, FullHttpResponse response,
      boolean keepAlive) {
    api.metrics().httpRequest(label, response.status().code());
    if (closing || !ctx.channel().isActive()) {
      response.release();
      return;
    }
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    finished.put(seq, new Outgoing(response, !keepAlive));
    boolean wrote = false;
    for (Outgoing o = finished.remove(nextToWrite); o != null; o = finished.remove(nextToWrite)) {
      nextToWrite++;
      deadlines.requestAnswered(ctx);
      ctx.write(o.response());
      wrote = true;
      if (o.close()) {
        closing = true;
        ctx.flush();
        deadlines.closeGracefully(ctx);
        releaseFinished();
        return;
      }
    }
    if (wrote) {
      ctx.flush();
    }
    if (!ctx.channel().config().isAutoRead() && nextSeq - nextToWrite < PIPELINED_MAX / 2) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void releaseFinished() {
    finished.values().forEach(o -> o.response().release());
    finished.clear();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    releaseFinished();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // I/O errors (reset by peer and the like); decoding errors arrive as decoder results
  }
}
