package io.raftbed.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftbed.chaos.client.KvHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Membership changes on real processes, under a steady write load: three founders; one of them (the
 * laggard) is killed; a fourth node joins as a voter; the leader is removed; leadership moves to the
 * new node; the laggard comes back, behind every one of those changes and behind a snapshot, and
 * must catch up from a leader it has never heard of. At the end every acknowledged write must be
 * readable with its last acknowledged value from every node, and writes must never have stalled for
 * long. The steps run in order on one cluster; {@link #stopCluster} kills every node it started, by
 * PID, whatever happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class MembershipRealClusterTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  /** Longest pause in acknowledged writes the changes may cause (elections take well under a second). */
  private static final long GAP_MILLIS_MAX = 10_000;

  private final Path dir = Path.of("target", "membership-test");
  private final KvHttp http = new KvHttp(Duration.ofSeconds(5));
  private LocalCluster cluster;
  private ClusterAdmin admin;
  private Thread killOnExit;
  private WriteLoad load;
  /** The nodes the writers write through; replaced as nodes come and go. */
  private volatile List<String> targets;
  private int laggard;
  private int joiner;

  @BeforeAll
  void startCluster() throws Exception {
    RealClusterTest.deleteRecursively(dir);
    List<ClusterLayout.NodeSpec> nodes = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      nodes.add(new ClusterLayout.NodeSpec(id, freePort(), freePort()));
    }
    ClusterLayout layout = new ClusterLayout("membership", "127.0.0.1", nodes,
        List.of("--io-threads=0", "--wal-segment-bytes=1048576", "--value-bytes-max=4096",
            "--request-bytes-max=8192", "--snapshot-every-entries=200", "--snapshot-retain-entries=20"),
        List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
    cluster = LocalCluster.createOrOpen(dir, layout, LocalCluster.Launcher.ofCurrentJvm(false, false));
    admin = new ClusterAdmin(cluster, PATIENCE);
    killOnExit = new Thread(this::killAll, "kill-membership-test-nodes");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    cluster.startAll();
    for (ClusterLayout.NodeSpec n : cluster.layout().nodes()) {
      cluster.awaitServing(n.id(), PATIENCE);
    }
    int leader = cluster.awaitLeader(PATIENCE).orElseThrow();
    laggard = nodes.stream().mapToInt(ClusterLayout.NodeSpec::id).filter(id -> id != leader).max().orElseThrow();
    refreshTargets();
    load = new WriteLoad(2, 20, () -> targets);
    load.start();
    load.awaitMoreAcks(20, PATIENCE);
  }

  @AfterAll
  void stopCluster() throws InterruptedException {
    if (load != null) {
      load.close();
    }
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
  void aFourthNodeJoinsAsAVoterWhileAFollowerIsDown() throws Exception {
    cluster.kill(laggard);
    refreshTargets();
    ClusterLayout.NodeSpec n = admin.join(OptionalInt.empty(), OptionalInt.of(freePort()), OptionalInt.of(freePort()),
        true);
    joiner = n.id();
    assertEquals(4, joiner, "the next unused id");
    refreshTargets();
    JsonNode status = clusterOf(leader());
    assertEquals(Set.of(1, 2, 3, 4), ids(status.get("voters")));
    assertEquals(Set.of(), ids(status.get("learners")));
    awaitCaughtUp(joiner);
    load.awaitMoreAcks(20, PATIENCE);
  }

  @Test
  @Order(2)
  void theLeaderIsRemovedAndAnotherTakesOver() throws Exception {
    int removed = leader();
    admin.remove(removed, Duration.ofSeconds(5));
    refreshTargets();
    assertTrue(cluster.process(removed).isEmpty(), "the removed node was stopped");
    assertFalse(cluster.layout().hasNode(removed));
    int next = leader();
    assertNotEquals(removed, next);
    JsonNode status = clusterOf(next);
    assertFalse(ids(status.get("voters")).contains(removed), status.toString());
    assertEquals(3, status.get("voters").size(), "the laggard is still a voter, though down");
    load.awaitMoreAcks(20, PATIENCE);
  }

  @Test
  @Order(3)
  void leadershipMovesToTheNewNode() throws Exception {
    if (leader() == joiner) {
      int other = otherRunningVoter(joiner); // away first, so that the transfer below has somewhere to come from
      admin.transfer(other);
      assertEquals(other, leader());
    }
    admin.transfer(joiner);
    assertEquals(joiner, leader());
    assertEquals("leader", clusterOf(joiner).get("role").asText());
    load.awaitMoreAcks(20, PATIENCE);
  }

  @Test
  @Order(4)
  void theLaggardCatchesUpFromALeaderItNeverHeardOf() throws Exception {
    assertEquals(joiner, leader(), "the laggard was down when the leader joined");
    cluster.start(laggard);
    cluster.awaitServing(laggard, PATIENCE);
    refreshTargets();
    awaitCaughtUp(laggard);
    JsonNode status = clusterOf(laggard);
    assertEquals(ids(clusterOf(leader()).get("voters")), ids(status.get("voters")), "it learned the configuration");
    assertTrue(metric(laggard, "raftbed_snapshots_installed_total") >= 1, "it was behind a compacted log");
    load.awaitMoreAcks(20, PATIENCE);
  }

  @Test
  @Order(5)
  void everyAcknowledgedWriteIsReadableFromEveryNode() throws Exception {
    load.close();
    long gapMillis = load.longestAckGapMillis();
    Map<String, Set<String>> allowed = load.allowedFinalValues();
    assertTrue(load.acked() >= 100, "acknowledged " + load.acked());
    assertTrue(gapMillis < GAP_MILLIS_MAX, "writes stalled for " + gapMillis + " ms");
    for (ClusterLayout.NodeSpec n : cluster.layout().nodes()) {
      awaitCaughtUp(n.id());
      for (Map.Entry<String, Set<String>> e : allowed.entrySet()) {
        for (boolean stale : new boolean[] {false, true}) {
          KvHttp.Reply r = http.get(url(n.id()), e.getKey(), stale);
          String value = r.status() == 404 ? WriteLoad.ABSENT : r.text();
          assertTrue(r.status() == 200 || r.status() == 404, "read of " + e.getKey() + " on n" + n.id() + ": "
              + r.status() + " " + r.text());
          assertTrue(e.getValue().contains(value), (stale ? "stale" : "linearizable") + " read of " + e.getKey()
              + " on n" + n.id() + " gave " + value + "; allowed " + e.getValue());
        }
      }
    }
    System.out.printf("membership test: %d writes acknowledged, longest pause %d ms%n", load.acked(), gapMillis);
  }

  // ---------------------------------------------------------------- helpers

  private void refreshTargets() {
    targets = cluster.layout().nodes().stream().filter(n -> cluster.process(n.id()).isPresent())
        .map(n -> url(n.id())).toList();
  }

  private String url(int id) {
    return cluster.layout().httpUrl(id);
  }

  private int leader() throws InterruptedException {
    return cluster.awaitLeader(PATIENCE).orElseThrow(() -> new AssertionError("no agreed leader"));
  }

  private int otherRunningVoter(int not) throws Exception {
    for (int id : ids(clusterOf(leader()).get("voters"))) {
      if (id != not && cluster.process(id).isPresent()) {
        return id;
      }
    }
    throw new AssertionError("no other running voter");
  }

  private JsonNode clusterOf(int id) throws IOException {
    return http.cluster(url(id));
  }

  /** Waits until node {@code id} has applied what the leader had committed when the wait began. */
  private void awaitCaughtUp(int id) throws Exception {
    long target = clusterOf(leader()).get("commitIndex").asLong();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    long applied = -1;
    while (System.nanoTime() < deadline) {
      applied = clusterOf(id).get("appliedIndex").asLong();
      if (applied >= target) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("n" + id + " applied " + applied + " of " + target + "; see " + cluster.logFile(id));
  }

  private long metric(int id, String name) throws IOException {
    for (String line : http.raw(url(id), "GET", "/metrics", new byte[0]).text().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }

  private static Set<Integer> ids(JsonNode array) {
    Set<Integer> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
