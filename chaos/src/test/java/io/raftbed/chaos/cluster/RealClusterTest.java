package io.raftbed.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftbed.chaos.client.KvHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Three real node processes on loopback, driven through their HTTP API and peer port: forwarding,
 * leader failure, catch-up, a whole-cluster restart, and bad input of every kind. The tests run in
 * order on one cluster; {@link #stopCluster} kills every node it started, by PID, whatever happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class RealClusterTest {
  private static final int VALUE_BYTES_MAX = 4096;
  private static final int REQUEST_BYTES_MAX = 8192;
  private static final int KEY_BYTES_MAX = 64;
  /** How long a node may take to start or a leader to emerge (TLS start-up costs more on a loaded machine). */
  private final Duration patience = Duration.ofSeconds(tls() ? 60 : 20);

  /** Kept after the run (logs for a failure); cleared when the next run starts. */
  private final Path dir = Path.of("target", tls() ? "real-cluster-tls-test" : "real-cluster-test");
  private LocalCluster cluster;
  private Thread killOnExit;
  private KvHttp http;
  /** Every write the cluster acknowledged, key to value, in order. */
  private final Map<String, String> acknowledged = new LinkedHashMap<>();

  @BeforeAll
  void startCluster() throws Exception {
    deleteRecursively(dir);
    List<ClusterLayout.NodeSpec> nodes = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      nodes.add(new ClusterLayout.NodeSpec(id, freePort(), freePort()));
    }
    ClusterLayout layout = new ClusterLayout("test", "127.0.0.1", nodes,
        List.of("--value-bytes-max=" + VALUE_BYTES_MAX, "--request-bytes-max=" + REQUEST_BYTES_MAX,
            "--key-bytes-max=" + KEY_BYTES_MAX, "--wal-segment-bytes=1048576", "--io-threads=0",
            // Snapshot and compact often, so that a node that was down needs the leader's snapshot.
            "--snapshot-every-entries=40", "--snapshot-retain-entries=10"),
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
    cluster = LocalCluster.createOrOpen(dir, layout.withTls(tls()), LocalCluster.Launcher.ofCurrentJvm(false, false));
    http = new KvHttp(Duration.ofSeconds(5), cluster.credentials());
    killOnExit = new Thread(this::killAll, "kill-test-nodes");
    Runtime.getRuntime().addShutdownHook(killOnExit); // even if the test JVM is told to stop mid-run
    cluster.startAll();
    awaitAllServing();
  }

  /** Whether the cluster runs as 'cluster up --tls' runs it; {@link RealClusterTlsTest} turns it on. */
  boolean tls() {
    return false;
  }

  @AfterAll
  void stopCluster() {
    killAll();
    if (killOnExit != null) {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    }
  }

  private void killAll() {
    if (cluster != null) {
      cluster.layout().nodes().forEach(n -> cluster.kill(n.id()));
    }
  }

  @Test
  @Order(1)
  void aWriteThroughAFollowerIsReadFromEveryNode() throws Exception {
    int leader = leader();
    int follower = otherThan(leader);
    for (int i = 0; i < 10; i++) {
      put(follower, "k" + i, "v" + i);
    }
    for (ClusterLayout.NodeSpec n : cluster.layout().nodes()) {
      for (int i = 0; i < 10; i++) {
        KvHttp.Reply r = http.get(url(n.id()), "k" + i, false);
        assertEquals(200, r.status(), "linearizable read of k" + i + " on n" + n.id() + ": " + r.text());
        assertEquals("v" + i, r.text());
      }
      awaitStale(n.id(), "k9", "v9");
    }
  }

  @Test
  @Order(2)
  void badRequestsGetTheirErrorAndTheClusterKeepsServing() throws Exception {
    int node = otherThan(leader());
    String url = url(node);
    assertError(http.raw(url, "POST", "/keys/a", new byte[0]), 405, "method_not_allowed");
    assertError(http.raw(url, "GET", "/nowhere", new byte[0]), 404, "no_such_route");
    assertError(http.raw(url, "GET", "/keys/", new byte[0]), 400, "bad_request");
    String badEscape = rawExchange(cluster.layout().node(node).httpPort(),
        "GET /keys/a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(badEscape.startsWith("HTTP/1.1 400") && badEscape.contains("bad percent-escape"), badEscape);
    assertError(http.raw(url, "GET", "/keys/a?consistency=sometimes", new byte[0]), 400, "bad_request");
    assertError(http.put(url, "a", new byte[1], Map.of("X-Seq", "1")), 400, "bad_request");
    assertError(http.put(url, "a", new byte[VALUE_BYTES_MAX + 1], Map.of()), 413, "too_large");
    assertError(http.put(url, "a", new byte[REQUEST_BYTES_MAX + 1], Map.of()), 413, "too_large");
    assertError(http.put(url, "k".repeat(KEY_BYTES_MAX + 1), new byte[1], Map.of()), 413, "too_large");
    assertError(http.get(url, "never-written", false), 404, "key_not_found");
    String answer = rawExchange(cluster.layout().node(node).httpPort(), "\u0000\u0001 garbage\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400"), "garbage on the HTTP port gets 400: " + answer);
    put(node, "after-bad-requests", "still-serving");
    assertEquals("still-serving", http.get(url(leader()), "after-bad-requests", false).text());
  }

  @Test
  @Order(3)
  void garbageOnThePeerPortClosesThatConnectionAndNothingElse() throws Exception {
    int victim = otherThan(leader());
    int peerPort = cluster.layout().node(victim).peerPort();
    byte[] noise = new byte[4096];
    new Random(42).nextBytes(noise);
    assertClosedAfter(peerPort, noise); // a random length prefix: too long, or a bad checksum
    assertClosedAfter(peerPort, new byte[] {0, 0, 0, 12, 1, 2, 3, 4, 1, 0, 9, 9, 9, 9, 9, 9}); // bad checksum
    assertClosedAfter(peerPort, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    put(leader(), "after-peer-garbage", "x");
    awaitStale(victim, "after-peer-garbage", "x");
    String metrics = http.raw(url(victim), "GET", "/metrics", new byte[0]).text();
    assertTrue(metricValue(metrics, "raftbed_peer_connections_rejected_total") >= 3, metrics);
  }

  @Test
  @Order(4)
  void killingTheLeaderElectsAnotherAndWritesGoOn() throws Exception {
    int old = leader();
    assertTrue(cluster.kill(old), "the leader was running");
    int next = cluster.awaitLeader(patience).orElseThrow(() -> new AssertionError("no new leader"));
    assertNotEquals(old, next);
    for (int i = 0; i < 120; i++) {
      put(otherThan(old), "after-kill-" + i, "w" + i);
    }
  }

  @Test
  @Order(5)
  void theRestartedNodeCatchesUp() throws Exception {
    int down = cluster.layout().nodes().stream().filter(n -> cluster.process(n.id()).isEmpty()).findFirst()
        .orElseThrow().id();
    cluster.start(down);
    cluster.awaitServing(down, patience);
    // The leader compacted its log past what this node has: it catches up from the leader's snapshot.
    awaitStale(down, "after-kill-119", "w119");
    awaitStale(down, "after-kill-0", "w0");
  }

  @Test
  @Order(6)
  void aRetriedWriteInASessionAppliesOnce() throws Exception {
    String url = url(leader());
    put(leader(), "counter", "0");
    Map<String, String> session = Map.of("X-Client-Id", "77", "X-Seq", "1");
    byte[] one = "1".getBytes(StandardCharsets.UTF_8);
    KvHttp.Reply first = http.raw(url, "PUT", "/keys/counter?cas=0", one, session);
    assertEquals(200, first.status(), first.text());
    // Without the session the same cas now conflicts; the session's retry gets the first result.
    assertError(http.raw(url, "PUT", "/keys/counter?cas=0", one, Map.of()), 409, "cas_mismatch");
    KvHttp.Reply retry = http.raw(url, "PUT", "/keys/counter?cas=0", one, session);
    assertEquals(200, retry.status(), "the retry is answered with the first result: " + retry.text());
    acknowledged.put("counter", "1");
  }

  @Test
  @Order(7)
  void everyAcknowledgedWriteSurvivesAWholeClusterRestart() throws Exception {
    // Writes keep coming while every node is killed with SIGKILL: only what was fsynced can come back.
    Map<String, String> acknowledgedUnderLoad = new java.util.concurrent.ConcurrentHashMap<>();
    String leaderUrl = url(leader());
    Thread writer = new Thread(() -> {
      for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
        try {
          if (http.put(leaderUrl, "load-" + i, "x" + i).status() == 200) {
            acknowledgedUnderLoad.put("load-" + i, "x" + i);
          }
        } catch (IOException e) {
          return; // the cluster is gone; what was acknowledged so far is what counts
        }
      }
    }, "writer");
    writer.start();
    Thread.sleep(300);
    killAll();
    writer.interrupt();
    writer.join(10_000);
    assertTrue(acknowledgedUnderLoad.size() > 0, "some writes were acknowledged before the kill");
    acknowledged.putAll(acknowledgedUnderLoad);
    cluster.startAll();
    awaitAllServing();
    int leader = leader();
    for (Map.Entry<String, String> e : acknowledged.entrySet()) {
      KvHttp.Reply r = http.get(url(leader), e.getKey(), false);
      assertEquals(200, r.status(), e.getKey() + ": " + r.text());
      assertEquals(e.getValue(), r.text(), e.getKey());
    }
    String metrics = http.raw(url(leader), "GET", "/metrics", new byte[0]).text();
    assertEquals(0, metricValue(metrics, "raftbed_client_writes_acknowledged_unsynced_total"));
  }

  @Test
  @Order(8)
  void aNodeWithACorruptLogRefusesToStartAndSaysWhere() throws Exception {
    int victim = otherThan(leader());
    assertTrue(cluster.stop(victim, Duration.ofSeconds(10)));
    Path segment;
    try (var s = Files.list(cluster.dataDir(victim).resolve("wal"))) {
      segment = s.filter(p -> p.toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
    }
    try (var ch = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x42}), 60); // inside the first record; records follow
    }
    long pid = cluster.start(victim);
    ProcessHandle ph = ProcessHandle.of(pid).orElseThrow();
    ph.onExit().get(patience.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    String log = cluster.tail(victim, 5);
    assertTrue(log.contains("corrupt write-ahead log") && log.contains(segment.toString())
        && log.contains("offset 32"), log);
    put(leader(), "with-two-nodes", "ok"); // the other two still form a quorum
  }

  // ---------------------------------------------------------------- helpers

  private void awaitAllServing() throws Exception {
    for (ClusterLayout.NodeSpec n : cluster.layout().nodes()) {
      cluster.awaitServing(n.id(), patience);
    }
  }

  private int leader() throws InterruptedException {
    Optional<Integer> l = cluster.awaitLeader(patience);
    return l.orElseThrow(() -> new AssertionError("no leader within " + patience));
  }

  private int otherThan(int id) {
    return cluster.layout().nodes().stream().map(ClusterLayout.NodeSpec::id)
        .filter(n -> n != id && cluster.process(n).isPresent()).findFirst().orElseThrow();
  }

  private String url(int id) {
    return cluster.layout().httpUrl(id);
  }

  /** Writes through {@code node}, retrying while the cluster has no leader; records the acknowledgement. */
  private void put(int node, String key, String value) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    KvHttp.Reply r = null;
    while (System.nanoTime() < deadline) {
      r = http.put(url(node), key, value);
      if (r.status() == 200) {
        acknowledged.put(key, value);
        return;
      }
      if (r.status() != 503 && r.status() != 504) {
        break;
      }
      Thread.sleep(100);
    }
    fail("put " + key + " through n" + node + ": " + (r == null ? "no answer" : r.status() + " " + r.text()));
  }

  private void awaitStale(int node, String key, String value) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    KvHttp.Reply r = null;
    while (System.nanoTime() < deadline) {
      r = http.get(url(node), key, true);
      if (r.status() == 200 && r.text().equals(value)) {
        return;
      }
      Thread.sleep(50);
    }
    fail("n" + node + " never caught up on " + key + ": " + r.status() + " " + r.text());
  }

  private static void assertError(KvHttp.Reply r, int status, String code) {
    assertEquals(status, r.status(), r.text());
    assertEquals(code, r.errorCode(), r.text());
  }

  /** One request written as raw bytes (over TLS when the cluster has it); everything the node answers. */
  private String rawExchange(int port, String request) throws IOException {
    try (Socket s = tls() ? cluster.credentials().sslContext().getSocketFactory().createSocket() : new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Sends {@code bytes} to a peer port and asserts the node closes the connection. */
  private static void assertClosedAfter(int port, byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = s.getInputStream();
      try {
        assertEquals(-1, in.read(), "the node closes the connection");
      } catch (java.net.SocketException e) {
        // reset by the node: closed too
      }
    }
  }

  private static long metricValue(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " missing from /metrics");
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var paths = Files.walk(p)) {
      for (Path q : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
