package io.raftbed.chaos.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.raftbed.chaos.workload.HistoryRecorder.Type;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The witness's reading of the node's answers, Jepsen's way: only a certain refusal is a :fail. */
class KvOpsTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      read  | 200 | 42                 | OK   | 42
      read  | 404 | {"error":"no key"} | OK   |
      write | 200 | ok                 | OK   |
      cas   | 404 | {"error":"no key"} | FAIL |
      cas   | 409 | {"error":"cas"}    | FAIL |
      write | 503 | {"error":"no leader"} | FAIL |
      write | 504 | {"error":"unknown"}   | INFO |
      write | 500 | oops               | INFO |
      read  | 200 | not-a-number       | INFO |
      write | 400 | {"error":"bad"}    | INFO |
      """)
  void statusCodesMeanWhatTheApiSays(String f, int status, String body, Type type, Long value) {
    KvOps.Outcome o = KvOps.classify(f, status, body);
    assertEquals(type, o.type());
    assertEquals(value, o.value());
    assertEquals(type != Type.OK, o.error() != null, "every non-ok outcome says why");
  }

  private String serve(int status, String body, long delayMillis, AtomicReference<String> seen) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      seen.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, b.length);
      exchange.getResponseBody().write(b);
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void requestsAreTheDocumentedOnes() throws IOException {
    AtomicReference<String> seen = new AtomicReference<>();
    String url = serve(200, "7", 0, seen);
    KvOps ops = new KvOps(Duration.ofSeconds(5), false);
    try {
      assertEquals(7L, ops.read(url, "k1").value());
      assertEquals("GET /keys/k1 ", seen.get());
      assertEquals(Type.OK, ops.write(url, "k2", 9).type());
      assertEquals("PUT /keys/k2 9", seen.get());
      assertEquals(Type.OK, ops.cas(url, "k2", 9, 10).type());
      assertEquals("PUT /keys/k2?cas=9 10", seen.get());
    } finally {
      ops.close();
    }
    KvOps stale = new KvOps(Duration.ofSeconds(5), true);
    try {
      stale.read(url, "k3");
      assertEquals("GET /keys/k3?consistency=stale ", seen.get());
    } finally {
      stale.close();
    }
  }

  @Test
  void aTimeoutIsIndeterminate() throws IOException {
    String url = serve(200, "1", 2_000, new AtomicReference<>());
    KvOps ops = new KvOps(Duration.ofMillis(200), false);
    try {
      KvOps.Outcome o = ops.write(url, "k1", 1);
      assertEquals(Type.INFO, o.type(), "the write may still apply");
      assertTrue(o.error().contains("timed out"), o.error());
    } finally {
      ops.close();
    }
  }

  @Test
  void aRefusedConnectionIsACertainFailure() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    KvOps ops = new KvOps(Duration.ofSeconds(2), false);
    try {
      KvOps.Outcome o = ops.write("http://127.0.0.1:" + port, "k1", 1);
      assertEquals(Type.FAIL, o.type(), "nothing was sent");
      assertNull(o.value());
    } finally {
      ops.close();
    }
  }

  @Test
  void aConnectionClosedBeforeTheAnswerIsIndeterminate() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread closer = Thread.ofPlatform().start(() -> {
        try (var c = s.accept()) {
          c.getInputStream().read(new byte[512]); // the request arrived, then the peer vanished
        } catch (IOException ignored) {
          // the test's assertion is on the client's side
        }
      });
      KvOps ops = new KvOps(Duration.ofSeconds(5), false);
      try {
        assertEquals(Type.INFO, ops.write("http://127.0.0.1:" + s.getLocalPort(), "k1", 1).type());
      } finally {
        ops.close();
      }
      closer.join(5_000);
    }
  }
}
