package io.raftbed.chaos.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftbed.chaos.client.KvHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Changes the membership of a {@link LocalCluster}: starts a node and adds it, removes a node and
 * stops it, hands leadership over. Each step goes through a member's HTTP API (which forwards it to
 * the leader) and keeps {@code cluster.json} in step with the cluster.
 *
 * <p>The three requests are idempotent (adding a voter twice, removing a node that left, or handing
 * leadership to the leader all answer "done"), so a request that got no answer (503, 504, no
 * connection) is simply sent again until the deadline.
 *
 * <p>Not thread-safe; one caller drives it. Every wait is bounded by {@code timeout}.
 */
public final class ClusterAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The cluster refused a request, or it did not finish in time; the message says what state things are in. */
  public static final class AdminException extends Exception {
    public AdminException(String message) {
      super(message);
    }
  }

  private final LocalCluster cluster;
  private final Duration timeout;
  private final KvHttp http;

  public ClusterAdmin(LocalCluster cluster, Duration timeout) {
    this.cluster = cluster;
    this.timeout = timeout;
    this.http = new KvHttp(timeout.plusSeconds(5), cluster.credentials()); // the leader answers an add once the learner caught up
  }

  /**
   * Starts a new node (or the joined node {@code id} again, if an earlier join did not finish) and adds it
   * through a member: as a voter (a learner first, promoted once caught up) unless {@code asVoter} is false.
   *
   * @param id the new node's id; default: one above every id the cluster ever used
   * @param httpPort default: the founders' base port plus the id, as {@code cluster up} numbers them
   * @param peerPort likewise
   * @return the node as saved in the layout
   */
  public ClusterLayout.NodeSpec join(OptionalInt id, OptionalInt httpPort, OptionalInt peerPort, boolean asVoter)
      throws IOException, InterruptedException, AdminException {
    ClusterLayout layout = cluster.layout();
    ClusterLayout.NodeSpec node = id.isPresent() && layout.hasNode(id.getAsInt()) ? layout.node(id.getAsInt()) : null;
    if (node != null && !node.joined()) {
      throw new AdminException("n" + node.id() + " is a founder of this cluster, not a node to join");
    }
    if (node == null) {
      node = newNode(layout, id, httpPort, peerPort);
      cluster.updateLayout(layout.withNode(node)); // saved first: status and down find the process
    }
    cluster.start(node.id());
    cluster.awaitServing(node.id(), timeout);
    ClusterLayout.NodeSpec n = node;
    String body = JSON.writeValueAsString(Map.of("id", n.id(), "peer", layout.host() + ":" + n.peerPort(),
        "http", cluster.layout().httpUrl(n.id())));
    request("add n" + n.id(), "POST", "/cluster/members?as=" + (asVoter ? "voter" : "learner"), body, n.id(), false);
    return node;
  }

  private ClusterLayout.NodeSpec newNode(ClusterLayout layout, OptionalInt id, OptionalInt httpPort,
      OptionalInt peerPort) throws AdminException {
    int newId = id.orElse(nextId(layout));
    if (newId <= 0 || layout.idUsed(newId)) {
      throw new AdminException("id " + newId + " was already used in this cluster (ids are never reused: a node's"
          + " id names its votes and its log); leave out --id to get a fresh one");
    }
    ClusterLayout.NodeSpec first = layout.founders().get(0);
    int http = httpPort.orElse(first.httpPort() - first.id() + newId);
    int peer = peerPort.orElse(first.peerPort() - first.id() + newId);
    for (int port : List.of(http, peer)) {
      if (!isFree(layout.host(), port)) {
        throw new AdminException("port " + port + " on " + layout.host() + " is in use; choose --http-port and"
            + " --peer-port");
      }
    }
    return new ClusterLayout.NodeSpec(newId, http, peer, true);
  }

  private static int nextId(ClusterLayout layout) {
    int max = 0;
    for (ClusterLayout.NodeSpec n : layout.nodes()) {
      max = Math.max(max, n.id());
    }
    for (ClusterLayout.NodeSpec n : layout.founders()) {
      max = Math.max(max, n.id());
    }
    for (int r : layout.retiredIds()) {
      max = Math.max(max, r);
    }
    return max + 1;
  }

  /**
   * Removes node {@code id} from the configuration, then stops its process (SIGTERM, SIGKILL after
   * {@code grace}), moves its directory aside to {@code nN.removed-MILLIS} and retires its id.
   */
  public void remove(int id, Duration grace) throws IOException, InterruptedException, AdminException {
    if (!cluster.layout().hasNode(id)) {
      throw new AdminException("no node n" + id + " in " + cluster.dir() + "; 'cluster status' lists them");
    }
    request("remove n" + id, "DELETE", "/cluster/members/" + id, "", id, true);
    cluster.stop(id, grace);
    cluster.retire(id);
  }

  /** Hands leadership to node {@code to}; returns once it leads. */
  public void transfer(int to) throws IOException, InterruptedException, AdminException {
    if (!cluster.layout().hasNode(to) || cluster.process(to).isEmpty()) {
      throw new AdminException("n" + to + " is not a running node of " + cluster.dir());
    }
    request("transfer to n" + to, "POST", "/cluster/leader", "{\"id\":" + to + "}", to, true);
  }

  /**
   * Sends one administrative request to a running member until it answers 200, or also 404 when
   * {@code notFoundIsDone}; retries 503, 504 and connection failures until the deadline.
   *
   * @param subject the node the request is about: asked last, since it may be leaving or not yet a member
   */
  private JsonNode request(String what, String method, String path, String body, int subject,
      boolean notFoundIsDone) throws InterruptedException, AdminException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no running member to ask";
    int round = 0;
    do {
      for (String url : memberUrls(subject, round++)) {
        try {
          KvHttp.Reply r = http.raw(url, method, path, body.getBytes(StandardCharsets.UTF_8));
          if (r.status() == 200 || (notFoundIsDone && r.status() == 404)) {
            return r.status() == 200 ? JSON.readTree(r.body()) : null;
          }
          last = url + " answered " + r.status() + ": " + r.text();
          if (r.status() != 503 && r.status() != 504) {
            throw new AdminException(what + " was refused: " + last);
          }
          break; // the leader was reached (or none is known): wait, then ask again
        } catch (IOException e) {
          last = url + ": " + e.getMessage(); // try the next member
        }
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new AdminException(what + " did not finish within " + timeout.toSeconds() + " s (it may still take"
        + " effect; 'cluster status' and GET /cluster show the configuration); last: " + last);
  }

  /** Running members' URLs, rotated by {@code round}, with {@code subject} last. */
  private List<String> memberUrls(int subject, int round) {
    List<ClusterLayout.NodeSpec> running = cluster.layout().nodes().stream()
        .filter(n -> n.id() != subject && cluster.process(n.id()).isPresent()).toList();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < running.size(); i++) {
      urls.add(cluster.layout().httpUrl(running.get((i + round) % running.size()).id()));
    }
    if (cluster.layout().hasNode(subject) && cluster.process(subject).isPresent()) {
      urls.add(cluster.layout().httpUrl(subject));
    }
    return urls;
  }

  private static boolean isFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
