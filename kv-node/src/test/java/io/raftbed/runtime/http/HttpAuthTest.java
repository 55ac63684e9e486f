package io.raftbed.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply;
import org.junit.jupiter.api.Test;

/** Who may do what over HTTP with tokens configured: 401 without or with a wrong one, 403 without the right. */
class HttpAuthTest {
  private static final String TRANSFER = "POST /cluster/leader HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n";
  private static final String PUT = "PUT /keys/a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n";

  private static FullHttpResponse send(HttpAuth auth, String head, String body) {
    HttpApiServer server = HttpApiHandlerTest.server(new FakeGateway(r -> new ClientReply.Done(Result.OK)), 10);
    server.useAuth(auth);
    EmbeddedChannel ch = HttpApiHandlerTest.connect(server);
    return HttpApiHandlerTest.exchange(ch, head + "\r\n" + body).get(0);
  }

  @Test
  void adminRequestsNeedTheAdminToken() {
    HttpAuth auth = new HttpAuth("admin-secret", "client-secret", false, false);
    FullHttpResponse none = send(auth, TRANSFER, "{\"id\":2}");
    assertEquals(401, none.status().code());
    assertEquals("Bearer realm=\"raftbed\"", none.headers().get("WWW-Authenticate"));
    assertTrue(HttpApiHandlerTest.body(none).contains("\"unauthorized\""), HttpApiHandlerTest.body(none));
    assertEquals(401, send(auth, TRANSFER + "Authorization: Bearer guess\r\n", "{\"id\":2}").status().code());
    FullHttpResponse data = send(auth, TRANSFER + "Authorization: Bearer client-secret\r\n", "{\"id\":2}");
    assertEquals(403, data.status().code());
    assertTrue(HttpApiHandlerTest.body(data).contains("\"forbidden\""), HttpApiHandlerTest.body(data));
    assertEquals(200, send(auth, TRANSFER + "Authorization: Bearer admin-secret\r\n", "{\"id\":2}").status().code());
  }

  @Test
  void readsAndWritesNeedATokenOnlyWhenAClientTokenIsSet() {
    HttpAuth adminOnly = new HttpAuth("admin-secret", null, false, false);
    assertEquals(200, send(adminOnly, PUT, "v").status().code(), "open without a client token");
    HttpAuth both = new HttpAuth("admin-secret", "client-secret", false, false);
    assertEquals(401, send(both, PUT, "v").status().code());
    assertEquals(200, send(both, PUT + "Authorization: Bearer client-secret\r\n", "v").status().code());
    assertEquals(200, send(both, PUT + "Authorization: bearer admin-secret\r\n", "v").status().code(),
        "the admin token also allows data; the scheme is case-insensitive");
  }

  @Test
  void statusPagesAreOpenUnlessProtected() {
    String health = "GET /health HTTP/1.1\r\nHost: x\r\n";
    assertEquals(200, send(new HttpAuth("a", "c", false, false), health, "").status().code());
    HttpAuth protectedStatus = new HttpAuth("a", "c", false, true);
    assertEquals(401, send(protectedStatus, health, "").status().code());
    assertEquals(200, send(protectedStatus, health + "Authorization: Bearer c\r\n", "").status().code());
  }

  @Test
  void withoutTokensOrCertificatesEverythingIsOpenAsBefore() {
    assertEquals(200, send(HttpAuth.OPEN, TRANSFER, "{\"id\":2}").status().code());
    assertEquals(200, send(HttpAuth.OPEN, PUT, "v").status().code());
  }
}
