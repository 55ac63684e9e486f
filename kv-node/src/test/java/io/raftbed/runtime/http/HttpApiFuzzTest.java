package io.raftbed.runtime.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.raftbed.kv.Command;
import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of HTTP request handling. In {@code mvn verify} these run once per saved
 * input in {@code src/test/resources/io/raftbed/runtime/http/HttpApiFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} Jazzer explores.
 */
class HttpApiFuzzTest {
  private static final Set<Integer> API_STATUSES = Set.of(200, 400, 404, 405, 409, 413, 503, 504);

  /** Answers like a healthy leader: reads find a value, writes succeed. */
  private static ClientReply leader(ClientRequest r) {
    return new ClientReply.Done(r.command() instanceof Command.Get ? Result.value(new byte[] {'v'}) : Result.OK);
  }

  /**
   * Any bytes on an HTTP connection: nothing escapes the pipeline, and every response is a
   * well-formed HTTP response with one of the API's statuses (errors as JSON).
   */
  @FuzzTest(maxDuration = "30s")
  void anyBytesGetWellFormedAnswers(byte[] data) {
    EmbeddedChannel ch = HttpApiHandlerTest.connect(HttpApiHandlerTest.server(new FakeGateway(
        HttpApiFuzzTest::leader), 10));
    int half = data.length / 2;
    ch.writeInbound(Unpooled.wrappedBuffer(data, 0, half)); // two reads: exercise reassembly
    if (ch.isActive()) {
      ch.writeInbound(Unpooled.wrappedBuffer(data, half, data.length - half));
    }
    ch.runPendingTasks();
    List<FullHttpResponse> responses = HttpApiHandlerTest.responses(ch);
    for (FullHttpResponse r : responses) {
      int status = r.status().code();
      assertTrue(API_STATUSES.contains(status), "unexpected status " + status);
      if (status != 200) {
        assertTrue(HttpApiHandlerTest.body(r).startsWith("{\"code\":\""), HttpApiHandlerTest.body(r));
      }
      r.release();
    }
    ch.finishAndReleaseAll();
  }

  /** The parser never throws, and what it accepts is a well-formed request for the node. */
  @FuzzTest(maxDuration = "30s")
  void theParserNeverThrows(FuzzedDataProvider data) {
    String method = data.pickValue(new String[] {"GET", "PUT", "DELETE", "POST", "HEAD"});
    HttpHeaders headers = new DefaultHttpHeaders(false);
    if (data.consumeBoolean()) {
      headers.add(ApiRequestParser.CLIENT_ID_HEADER, data.consumeString(24));
    }
    if (data.consumeBoolean()) {
      headers.add(ApiRequestParser.SEQ_HEADER, data.consumeString(24));
    }
    if (data.consumeBoolean()) {
      headers.add("If-None-Match", data.consumeString(8));
    }
    byte[] body = data.consumeBytes(64);
    String uri = data.consumeRemainingAsString();
    ApiRequest r = ApiRequestParser.parse(method, uri, headers, body);
    if (r instanceof ApiRequest.KeyOp op) {
      assertTrue(!op.request().command().key().isEmpty());
      assertTrue((op.request().clientId() == 0) == (op.request().seq() == 0));
    } else if (r instanceof ApiRequest.Invalid invalid) {
      assertTrue(API_STATUSES.contains(invalid.status()), invalid.toString());
    }
  }
}
