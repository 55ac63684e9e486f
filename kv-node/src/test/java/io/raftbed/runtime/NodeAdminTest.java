package io.raftbed.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.config.RuntimeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership requests on a one-node cluster in this JVM, end to end through HTTP, the leader's checks
 * and the driver: what is refused and why, and that what is accepted shows in {@code /cluster}.
 */
@Timeout(60)
class NodeAdminTest {
  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Throwable> fatal = new ArrayList<>();
  private NodeRuntime node;

  @BeforeEach
  void start() throws Exception {
    node = NodeRuntime.start(new RuntimeConfig(1, "test", List.of(new Member(1, "127.0.0.1", 1, 1)), "127.0.0.1", 0,
        0, dir, RuntimeConfig.Timing.defaults(), new RuntimeConfig.Limits(64, 4096, 1000, 8192, 16), 0, 1 << 20, 0, 5,
        false), fatal::add);
    awaitLeadership();
  }

  @AfterEach
  void stop() {
    node.close();
    assertTrue(fatal.isEmpty(), "no fatal errors: " + fatal);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpAddress().getPort() + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** A single node elects itself within an election timeout; a change is refused (503) until then. */
  private void awaitLeadership() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!send("GET", "/cluster", "").body().contains("\"role\":\"leader\"")) {
      assertTrue(System.nanoTime() < deadline, "the node did not elect itself");
      Thread.sleep(20);
    }
  }

  private static String member(int id, int peerPort) {
    return "{\"id\":" + id + ",\"peer\":\"127.0.0.1:" + peerPort + "\",\"http\":\"http://127.0.0.1:" + (peerPort + 1)
        + "\"}";
  }

  /** Retries 503 (the leader has not committed an entry of its term yet, so it takes no change). */
  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, body);
    for (int i = 0; i < 100 && r.statusCode() == 503; i++) {
      Thread.sleep(20);
      r = send(method, path, body);
    }
    return r;
  }

  @Test
  void aLearnerIsAddedAndRemoved() throws Exception {
    HttpResponse<String> r = admin("POST", "/cluster/members?as=learner", member(2, 40002));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"learners\":[2]"), r.body());
    String cluster = send("GET", "/cluster", "").body();
    assertTrue(cluster.contains("\"address\":\"127.0.0.1:40002|http://127.0.0.1:40003\""), cluster);
    assertEquals(200, admin("DELETE", "/cluster/members/2", "").statusCode());
    assertTrue(send("GET", "/cluster", "").body().contains("\"learners\":[]"));
  }

  @Test
  void contradictionsAreRefusedWithAReason() throws Exception {
    assertEquals(200, admin("POST", "/cluster/members?as=learner", member(2, 40002)).statusCode());
    HttpResponse<String> r = admin("POST", "/cluster/members?as=learner", member(2, 40012));
    assertEquals(409, r.statusCode(), r.body());
    assertTrue(r.body().contains("member_exists") && r.body().contains("remove it first"), r.body());
    r = admin("POST", "/cluster/members?as=learner", member(3, 40002));
    assertEquals(409, r.statusCode(), r.body());
    assertTrue(r.body().contains("address_in_use"), r.body());
    r = admin("POST", "/cluster/members?as=learner", "{\"id\":1,\"peer\":\"127.0.0.1:1\",\"http\":\"http://127.0.0.1:1\"}");
    assertEquals(409, r.statusCode(), "a voter cannot be made a learner: " + r.body());
    r = admin("DELETE", "/cluster/members/7", "");
    assertEquals(404, r.statusCode(), r.body());
    assertTrue(r.body().contains("no_such_member"), r.body());
    r = admin("DELETE", "/cluster/members/1", "");
    assertEquals(409, r.statusCode(), r.body());
    assertTrue(r.body().contains("last_voter"), r.body());
    r = admin("POST", "/cluster/leader", "{\"id\":2}");
    assertEquals(409, r.statusCode(), "a learner cannot lead: " + r.body());
    r = admin("POST", "/cluster/leader", "{\"id\":1}");
    assertEquals(200, r.statusCode(), "the leader already leads: " + r.body());
    assertTrue(send("GET", "/cluster", "").body().contains("\"voters\":[1]"), "nothing changed");
  }
}
