package io.raftbed.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.runtime.metrics.NodeMetrics;
import io.raftbed.runtime.net.NetIo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The HTTP pipeline of one connection, driven through an embedded channel with a stand-in node. */
class HttpApiHandlerTest {
  static final int REQUEST_BYTES_MAX = 1024;
  private static final EventLoopGroup UNUSED = NetIo.newGroup(1, "test-forwarder");

  @AfterAll
  static void shutDown() {
    UNUSED.shutdownGracefully();
  }

  /** A server whose forwarder knows no peers: every forward fails as "not sent". */
  static HttpApiServer server(FakeGateway gateway, int connectionsMax) {
    LeaderForwarder forwarder = new LeaderForwarder(1, Map.of(), UNUSED, NetIo.socketChannel(),
        new LeaderForwarder.Options(1, 1, 1000, 1 << 20));
    return new HttpApiServer(gateway, forwarder, new NodeMetrics(),
        new HttpApiServer.Options(REQUEST_BYTES_MAX, 4096, 8192, connectionsMax));
  }

  static EmbeddedChannel connect(HttpApiServer server) {
    EmbeddedChannel ch = new EmbeddedChannel(false, false);
    server.initPipeline(ch.pipeline());
    try {
      ch.register();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return ch;
  }

  /** Sends raw bytes, lets the loop run, and decodes every response written back. */
  static List<FullHttpResponse> exchange(EmbeddedChannel ch, String raw) {
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    ch.runPendingTasks();
    return responses(ch);
  }

  static List<FullHttpResponse> responses(EmbeddedChannel ch) {
    EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      client.writeInbound(b);
    }
    List<FullHttpResponse> out = new ArrayList<>();
    for (FullHttpResponse r = client.readInbound(); r != null; r = client.readInbound()) {
      out.add(r);
    }
    return out;
  }

  static String body(FullHttpResponse r) {
    return r.content().toString(StandardCharsets.UTF_8);
  }

  private static FakeGateway answering(Function<ClientRequest, ClientReply> f) {
    return new FakeGateway(f);
  }

  @Test
  void pipelinedResponsesComeBackInRequestOrder() {
    FakeGateway gateway = new FakeGateway(null);
    EmbeddedChannel ch = connect(server(gateway, 10));
    exchange(ch, "GET /keys/first HTTP/1.1\r\nHost: x\r\n\r\nGET /keys/second HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(2, gateway.pending.size());
    gateway.pending.get(1).sink().reply(new ClientReply.Done(Result.value("2".getBytes(StandardCharsets.UTF_8))));
    ch.runPendingTasks();
    assertTrue(responses(ch).isEmpty(), "the second answer waits for the first");
    gateway.pending.get(0).sink().reply(new ClientReply.Done(Result.value("1".getBytes(StandardCharsets.UTF_8))));
    ch.runPendingTasks();
    List<FullHttpResponse> rs = responses(ch);
    assertEquals(List.of("1", "2"), rs.stream().map(HttpApiHandlerTest::body).toList());
  }

  @Test
  void anOversizedBodyGets413AndTheConnectionCloses() {
    EmbeddedChannel ch = connect(server(answering(r -> new ClientReply.Done(Result.OK)), 10));
    String big = "x".repeat(REQUEST_BYTES_MAX + 1);
    List<FullHttpResponse> rs = exchange(ch, "PUT /keys/a HTTP/1.1\r\nHost: x\r\nContent-Length: " + big.length()
        + "\r\n\r\n" + big + "PUT /keys/b HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv");
    assertEquals(1, rs.size(), "nothing after the oversized request is served");
    assertEquals(413, rs.get(0).status().code());
    assertEquals("close", rs.get(0).headers().get("connection"));
    assertTrue(body(rs.get(0)).contains("\"too_large\""), body(rs.get(0)));
  }

  @Test
  void garbageGets400AndTheConnectionCloses() {
    EmbeddedChannel ch = connect(server(answering(r -> new ClientReply.Done(Result.OK)), 10));
    List<FullHttpResponse> rs = exchange(ch, "\u0001\u0002 not http at all\r\n\r\n");
    assertEquals(1, rs.size());
    assertEquals(400, rs.get(0).status().code());
    assertTrue(body(rs.get(0)).contains("\"bad_request\""));
    assertFalse(ch.isActive());
  }

  @Test
  void noLeaderIs503WithRetryAfter() {
    EmbeddedChannel ch = connect(server(answering(r -> new ClientReply.NotLeader(0)), 10));
    FullHttpResponse r = exchange(ch, "PUT /keys/a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv").get(0);
    assertEquals(503, r.status().code());
    assertEquals("1", r.headers().get("Retry-After"));
    assertTrue(body(r).contains("\"no_leader\""));
  }

  @Test
  void aForwardedRequestIsNeverForwardedAgain() {
    EmbeddedChannel ch = connect(server(answering(r -> new ClientReply.NotLeader(2)), 10));
    FullHttpResponse r = exchange(ch, "GET /keys/a HTTP/1.1\r\nHost: x\r\n" + LeaderForwarder.FORWARDED_HEADER
        + ": 3\r\n\r\n").get(0);
    assertEquals(503, r.status().code());
    assertTrue(body(r).contains("already forwarded"), body(r));
  }

  @Test
  void repliesMapToTheirStatus() {
    Map<ClientReply, Integer> cases = Map.of(
        new ClientReply.Rejected("key too long", true), 413,
        new ClientReply.Rejected("key is empty", false), 400,
        new ClientReply.Unknown("timed out"), 504,
        new ClientReply.Unavailable("busy"), 503,
        new ClientReply.Done(Result.casMismatch("now".getBytes(StandardCharsets.UTF_8))), 409,
        new ClientReply.Done(Result.NOT_FOUND), 404,
        new ClientReply.Done(Result.STALE_REQUEST), 409);
    cases.forEach((reply, status) -> {
      EmbeddedChannel ch = connect(server(answering(r -> reply), 10));
      FullHttpResponse r = exchange(ch, "PUT /keys/a?cas=x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv").get(0);
      assertEquals(status, r.status().code(), reply.toString());
      assertTrue(body(r).startsWith("{\"code\":"), body(r));
    });
  }

  @Test
  void aNewConnectionOverTheLimitGets503WhenEveryOtherIsBusy() {
    FakeGateway gateway = new FakeGateway(null); // keeps requests unanswered: the first connection stays busy
    HttpApiServer server = server(gateway, 1);
    EmbeddedChannel first = connect(server);
    exchange(first, "GET /keys/a HTTP/1.1\r\nHost: x\r\n\r\n");
    EmbeddedChannel second = connect(server);
    List<FullHttpResponse> rs = responses(second);
    assertEquals(503, rs.get(0).status().code());
    assertTrue(body(rs.get(0)).contains("too_many_connections"), body(rs.get(0)));
    assertFalse(second.isActive());
    assertTrue(first.isActive(), "a busy connection is never evicted");
    gateway.pending.get(0).sink().reply(new ClientReply.Done(Result.value(new byte[] {'1'})));
    first.runPendingTasks();
    assertEquals(200, responses(first).get(0).status().code());
  }

  @Test
  void aNewConnectionOverTheLimitEvictsAnIdleOne() {
    HttpApiServer server = server(answering(r -> new ClientReply.Done(Result.OK)), 1);
    EmbeddedChannel idle = connect(server);
    EmbeddedChannel fresh = connect(server);
    assertFalse(idle.isActive(), "the idle connection made room");
    assertEquals(200, exchange(fresh, "GET /keys/a HTTP/1.1\r\nHost: x\r\n\r\n").get(0).status().code());
  }
}
