package io.raftbed.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.raftbed.kv.Command;
import io.raftbed.node.ReadMode;
import io.raftbed.runtime.http.ApiRequest.Invalid;
import io.raftbed.runtime.http.ApiRequest.KeyOp;
import io.raftbed.runtime.http.ApiRequest.Op;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiRequestParserTest {
  private static final byte[] BODY = "value".getBytes(StandardCharsets.UTF_8);

  private static ApiRequest parse(String method, String uri, String... headerPairs) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < headerPairs.length; i += 2) {
      h.add(headerPairs[i], headerPairs[i + 1]);
    }
    return ApiRequestParser.parse(method, uri, h, BODY);
  }

  private static KeyOp keyOp(ApiRequest r) {
    return assertInstanceOf(KeyOp.class, r, () -> "expected a key operation, got " + r);
  }

  @Test
  void getIsLinearizableUnlessStaleIsAsked() {
    KeyOp lin = keyOp(parse("GET", "/keys/a"));
    assertEquals(Op.GET, lin.op());
    assertEquals(ReadMode.LINEARIZABLE, lin.request().readMode());
    assertEquals(new Command.Get("a"), lin.request().command());
    KeyOp stale = keyOp(parse("GET", "/keys/a?consistency=stale"));
    assertEquals(Op.STALE_GET, stale.op());
    assertEquals(ReadMode.STALE, stale.request().readMode());
  }

  @Test
  void keysArePercentDecodedUtf8AndMayHoldSlashes() {
    assertEquals("a b/c", keyOp(parse("GET", "/keys/a%20b%2Fc")).request().command().key());
    assertEquals("x/y", keyOp(parse("GET", "/keys/x/y")).request().command().key());
    assertEquals("é", keyOp(parse("GET", "/keys/%C3%A9")).request().command().key());
  }

  @Test
  void putSetsTheBodyAndCasCarriesTheExpectedBytes() {
    assertEquals(new Command.Put("k", BODY), keyOp(parse("PUT", "/keys/k")).request().command());
    KeyOp cas = keyOp(parse("PUT", "/keys/k?cas=%00old"));
    assertEquals(Op.CAS, cas.op());
    Command.Cas c = (Command.Cas) cas.request().command();
    assertArrayEquals(new byte[] {0, 'o', 'l', 'd'}, c.expected());
    assertArrayEquals(BODY, c.value());
    Command.Cas create = (Command.Cas) keyOp(parse("PUT", "/keys/k", "If-None-Match", "*")).request().command();
    assertNull(create.expected());
  }

  @Test
  void deleteWithCasRemovesOnlyAMatchingValue() {
    assertEquals(new Command.Delete("k"), keyOp(parse("DELETE", "/keys/k")).request().command());
    Command.Cas c = (Command.Cas) keyOp(parse("DELETE", "/keys/k?cas=v")).request().command();
    assertArrayEquals(new byte[] {'v'}, c.expected());
    assertNull(c.value());
  }

  @Test
  void sessionHeadersGoTogether() {
    KeyOp op = keyOp(parse("PUT", "/keys/k", "X-Client-Id", "12", "X-Seq", "3"));
    assertEquals(12, op.request().clientId());
    assertEquals(3, op.request().seq());
    assertEquals(400, ((Invalid) parse("PUT", "/keys/k", "X-Client-Id", "12")).status());
    assertEquals(400, ((Invalid) parse("PUT", "/keys/k", "X-Client-Id", "0", "X-Seq", "1")).status());
    assertEquals(400, ((Invalid) parse("PUT", "/keys/k", "X-Client-Id", "x", "X-Seq", "1")).status());
  }

  @Test
  void statusRoutes() {
    assertInstanceOf(ApiRequest.Cluster.class, parse("GET", "/cluster"));
    assertInstanceOf(ApiRequest.Health.class, parse("GET", "/health"));
    assertInstanceOf(ApiRequest.Metrics.class, parse("GET", "/metrics"));
  }

  @Test
  void wrongMethodsGet405WithAllow() {
    Invalid keys = (Invalid) parse("POST", "/keys/k");
    assertEquals(405, keys.status());
    assertEquals(List.of("GET", "PUT", "DELETE"), keys.allow());
    Invalid cluster = (Invalid) parse("PUT", "/cluster");
    assertEquals(405, cluster.status());
    assertEquals(List.of("GET"), cluster.allow());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET|/keys/|400",
      "GET|/keys/a%2|400",
      "GET|/keys/a%zz|400",
      "GET|/keys/%FF%FE|400",
      "GET|/keys/a?consistency=maybe|400",
      "GET|/keys/a?consistancy=stale|400",
      "GET|/keys/a?cas=x|400",
      "PUT|/keys/a?consistency=stale|400",
      "PUT|/keys/a?cas=1&cas=2|400",
      "GET|/cluster?x=1|400",
      "GET|keys/a|400",
      "GET|/nowhere|404",
      "GET|/keys|404"})
  void malformedRequestsAreNamed(String method, String uri, int status) {
    Invalid invalid = assertInstanceOf(Invalid.class, parse(method, uri), uri);
    assertEquals(status, invalid.status(), invalid.message());
  }

  @Test
  void ifNoneMatchAcceptsOnlyTheWildcard() {
    assertEquals(400, ((Invalid) parse("PUT", "/keys/k", "If-None-Match", "\"etag\"")).status());
    assertEquals(400, ((Invalid) parse("PUT", "/keys/k?cas=a", "If-None-Match", "*")).status());
  }
}
