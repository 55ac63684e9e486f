package io.raftbed.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.node.Storage.StorageException;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.config.RuntimeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A one-node cluster in this JVM: the real ports end to end, a restart, and a corrupt log. */
@Timeout(60)
class NodeRuntimeTest {
  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Throwable> fatal = new ArrayList<>();
  private NodeRuntime node;

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
    assertTrue(fatal.isEmpty(), "no fatal errors: " + fatal);
  }

  private RuntimeConfig config() {
    return config(0);
  }

  private RuntimeConfig config(int snapshotEveryEntries) {
    return new RuntimeConfig(1, "test", List.of(new Member(1, "127.0.0.1", 1, 1)), "127.0.0.1", 0, 0, dir,
        RuntimeConfig.Timing.defaults(), new RuntimeConfig.Limits(64, 4096, 1000, 8192, 16), 0, 1 << 20,
        snapshotEveryEntries, 5, false);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + node.httpAddress().getPort() + path;
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return http.send(b.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Puts until the node has elected itself (a single node needs one election timeout). */
  private void put(String key, String value) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> r;
    do {
      r = send(HttpRequest.newBuilder(URI.create(url("/keys/" + key))).PUT(HttpRequest.BodyPublishers.ofString(value)));
      if (r.statusCode() == 200) {
        return;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("put " + key + ": " + r.statusCode() + " " + r.body());
  }

  private String get(String key) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url("/keys/" + key))).GET());
    return r.statusCode() + " " + r.body();
  }

  @Test
  void servesAndKeepsItsDataAcrossARestart() throws Exception {
    node = NodeRuntime.start(config(), fatal::add);
    put("a", "1");
    put("b", "2");
    assertEquals("200 1", get("a"));
    node.close();
    node = NodeRuntime.start(config(), fatal::add);
    put("c", "3"); // waits for the re-election; the log replays before the node serves
    assertEquals("200 1", get("a"));
    assertEquals("200 2", get("b"));
    String metrics = send(HttpRequest.newBuilder(URI.create(url("/metrics"))).GET()).body();
    assertTrue(metrics.contains("raftbed_client_writes_acknowledged_unsynced_total 0"), metrics);
    assertTrue(metrics.contains("raftbed_wal_fsyncs_total"), metrics);
    assertTrue(metrics.contains("raftbed_role_changes_total{role=\"leader\"} 1\n"), metrics);
  }

  @Test
  void snapshotsCompactTheLogAndRestoreTheStoreOnRestart() throws Exception {
    node = NodeRuntime.start(config(20), fatal::add);
    for (int i = 0; i < 100; i++) {
      put("k" + i, "v" + i);
    }
    node.close();
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".snap")), "a snapshot was written");
    }
    node = NodeRuntime.start(config(20), fatal::add);
    put("after", "restart");
    for (int i = 0; i < 100; i += 7) {
      assertEquals("200 v" + i, get("k" + i));
    }
  }

  @Test
  void refusesToStartOnACorruptRecordNamingFileAndOffset() throws Exception {
    node = NodeRuntime.start(config(), fatal::add);
    for (int i = 0; i < 5; i++) {
      put("k" + i, "v" + i);
    }
    node.close();
    node = null;
    Path segment;
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      segment = s.filter(p -> p.toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
    }
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x42}), 60); // inside the first record, which later ones follow
    }
    StorageException e = assertThrows(StorageException.class, () -> NodeRuntime.start(config(), fatal::add));
    assertTrue(e.getMessage().contains(segment.toString()) && e.getMessage().contains("offset 32"), e.getMessage());
  }
}
