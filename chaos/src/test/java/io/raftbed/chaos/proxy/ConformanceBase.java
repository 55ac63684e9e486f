package io.raftbed.chaos.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

/**
 * What the conformance suites share: the Toxiproxy server under test (the embedded one, or the one
 * {@code TOXIPROXY_URL} names), a {@code toxiproxy-java} client for it, proxies named per test and
 * deleted after it, test servers closed after it, and socket helpers whose waits are bounded.
 *
 * <p>Proxies listen on {@code 127.0.0.1:0} and their upstreams are test servers on
 * {@code 127.0.0.1}, so an external server must share the test JVM's loopback (same host, or a
 * container with {@code --net=host}); test sockets connect to the API's host at the reported port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class ConformanceBase {
  /** A server under test: where its API is, and what to close after the class (null: not ours). */
  record Target(String host, int port, AutoCloseable owned) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ToxiproxyClient client;
  private Target target;
  /** Why the server under test is absent (its tests are then skipped, each with this reason). */
  private TestAbortedException absent;
  private final List<String> proxies = new ArrayList<>();
  private final List<AutoCloseable> closeAfterTest = new ArrayList<>();
  private int named;

  /** Opens (or finds) the server under test; may abort the class with an assumption. */
  abstract Target openTarget() throws Exception;

  @BeforeAll
  void openServer() throws Exception {
    try {
      target = openTarget();
    } catch (TestAbortedException e) {
      // Thrown again per test: an abort in @BeforeAll would leave no skipped test (nor reason) in the report.
      absent = e;
      return;
    }
    client = freshClient();
  }

  @BeforeEach
  void requireServer() {
    if (absent != null) {
      throw absent;
    }
  }

  /**
   * A new client. {@code toxiproxy-java}'s {@code reset()} re-reads every proxy its client has handed
   * out and fails on one deleted since (404), so a test that resets uses a client of its own.
   */
  ToxiproxyClient freshClient() {
    return new ToxiproxyClient(target.host(), target.port());
  }

  @AfterAll
  void closeServer() throws Exception {
    if (target != null && target.owned() != null) {
      target.owned().close();
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String name : client == null ? List.<String>of() : proxies) {
      Proxy p = client.getProxyOrNull(name);
      if (p != null) {
        p.delete();
      }
    }
    proxies.clear();
    for (AutoCloseable c : closeAfterTest) {
      c.close();
    }
    closeAfterTest.clear();
  }

  /** A proxy name unique to this run, deleted after the test. */
  String name(String hint) {
    String name = "conformance-" + hint + "-" + ProcessHandle.current().pid() + "-" + (++named);
    proxies.add(name);
    return name;
  }

  /** A proxy on a free loopback port in front of {@code server}. */
  Proxy proxyTo(TestServers.Server server, String hint) throws IOException {
    return client.createProxy(name(hint), "127.0.0.1:0", "127.0.0.1:" + server.port());
  }

  <C extends AutoCloseable> C closeLater(C closeable) {
    closeAfterTest.add(closeable);
    return closeable;
  }

  static int port(String listen) {
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
  }

  /** A connected socket to {@code proxy}'s listen port, closed after the test; reads wait ≤ 10 s. */
  Socket connect(Proxy proxy) throws IOException {
    Socket s = new Socket();
    closeLater(s);
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(target.host(), port(proxy.getListen())), 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Sends {@code message} and reads the same number of bytes back; returns the elapsed ms. */
  static long roundTripMillis(Socket s, byte[] message) throws IOException {
    long start = System.nanoTime();
    OutputStream out = s.getOutputStream();
    out.write(message);
    out.flush();
    byte[] reply = readExactly(s.getInputStream(), message.length);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(new String(message), new String(reply), "the echo must return what was sent");
    return elapsedMillis;
  }

  static byte[] readExactly(InputStream in, int length) throws IOException {
    byte[] data = in.readNBytes(length);
    assertEquals(length, data.length, "connection ended after " + data.length + " of " + length + " bytes");
    return data;
  }

  /** Reads until the peer closes (or resets); returns the bytes read and the sizes of the reads. */
  static Drained readUntilClosed(Socket s) throws IOException {
    List<Integer> reads = new ArrayList<>();
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    InputStream in = s.getInputStream();
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        reads.add(n);
        data.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException reset) {
      return new Drained(data.toByteArray(), reads, reset);
    }
    return new Drained(data.toByteArray(), reads, null);
  }

  /** What {@link #readUntilClosed} saw: data, read sizes, and the exception if it ended in one. */
  record Drained(byte[] data, List<Integer> reads, IOException failure) {}

  /** True if the socket sees its peer close (EOF or reset) within {@code millis}. */
  static boolean closesWithin(Socket s, long millis) throws IOException {
    s.setSoTimeout((int) millis);
    try {
      byte[] buffer = new byte[4096];
      while (s.getInputStream().read(buffer) >= 0) {
        // data still arriving; keep reading until the close
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  static void assertIoFailure(String expectedStart, ThrowingRunnable action) {
    try {
      action.run();
    } catch (IOException e) {
      assertTrue(String.valueOf(e.getMessage()).startsWith(expectedStart),
          "expected an error starting with " + expectedStart + ", got " + e);
      return;
    }
    throw new AssertionError("expected an error starting with " + expectedStart);
  }

  interface ThrowingRunnable {
    void run() throws IOException;
  }

  /** A response to a hand-written request. */
  record Raw(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /**
   * A hand-written API request, for what {@code toxiproxy-java} cannot express (each caller says
   * what); everything else goes through the client.
   */
  Raw raw(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + target.host() + ":" + target.port() + path))
        .timeout(Duration.ofSeconds(15));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Raw(r.statusCode(), r.body());
  }
}
