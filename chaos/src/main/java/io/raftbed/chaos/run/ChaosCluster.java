package io.raftbed.chaos.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftbed.chaos.backend.NodeBackend;
import io.raftbed.chaos.client.KvHttp;
import io.raftbed.chaos.scenario.Scenario.ClusterSpec;
import io.raftbed.chaos.wiring.ProxyNet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A chaos cluster: nodes on a backend, each dialling the others through its own proxies
 * ({@code --routes}), and the membership the harness has made. The founders are nodes
 * {@code 1..nodes}; spares (the ids after them) join when a membership fault adds them.
 *
 * <p>Status queries go straight to a node's HTTP port (the control plane), never through the
 * proxies, so that a partition cannot hide the cluster's state from the harness.
 *
 * <p>Thread-safe for what the nemesis and the harness do at once: membership state is guarded by
 * this object; the backend serializes signals.
 */
public final class ChaosCluster {
  private final ClusterSpec spec;
  private final NodeBackend backend;
  private final ProxyNet net;
  private final String clusterId;
  private final String peersSpec;
  private final KvHttp control = new KvHttp(Duration.ofMillis(800));
  private final KvHttp admin = new KvHttp(Duration.ofSeconds(8));
  /** Nodes that are members by the harness's doing: founders not removed, spares added. */
  private final TreeSet<Integer> members = new TreeSet<>();
  private final TreeSet<Integer> joined = new TreeSet<>();
  private final TreeSet<Integer> removed = new TreeSet<>();

  public ChaosCluster(ClusterSpec spec, NodeBackend backend, ProxyNet net, String clusterId, String peersSpec) {
    this.spec = spec;
    this.backend = backend;
    this.net = net;
    this.clusterId = clusterId;
    this.peersSpec = peersSpec;
    for (int id = 1; id <= spec.nodes(); id++) {
      members.add(id);
    }
  }

  public NodeBackend backend() {
    return backend;
  }

  public ProxyNet net() {
    return net;
  }

  public ClusterSpec spec() {
    return spec;
  }

  /** The members the harness has made, in id order. */
  public synchronized List<Integer> members() {
    return List.copyOf(members);
  }

  /** Spares not yet added and never removed. */
  public synchronized List<Integer> unusedSpares() {
    List<Integer> out = new ArrayList<>();
    for (int id = spec.nodes() + 1; id <= spec.machines(); id++) {
      if (!members.contains(id) && !removed.contains(id) && !joined.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** The arguments node {@code id} starts with, every time. */
  synchronized List<String> nodeArgs(int id) {
    List<String> args = new ArrayList<>(List.of("--id", Integer.toString(id), "--cluster-id", clusterId));
    if (joined.contains(id)) {
      // Only the first start asks a member; later ones read what it learned from the data directory.
      args.add("--join");
      args.add(String.join(",", members.stream().filter(m -> m != id).map(backend::nodeHttpForNodes).toList()));
    } else {
      args.addAll(List.of("--peers", peersSpec));
    }
    args.addAll(List.of("--routes", net.routesOf(id)));
    args.addAll(backend.placementArgs(id));
    spec.settings().forEach((key, value) -> args.add(switch (value) {
      case "true" -> "--" + key;
      case "false" -> "--no-" + key;
      default -> "--" + key + "=" + value;
    }));
    return args;
  }

  /**
   * The backend could not start a node (no process, no container): the machine's problem, not the
   * cluster's, so a run that meets it ends as an environment error, never as a verdict.
   */
  public static final class NodeStartException extends IOException {
    NodeStartException(int id, IOException cause) {
      super("n" + id + " could not be started: " + cause.getMessage(), cause);
    }
  }

  /** Starts node {@code id} (a member or a spare about to join) unless it runs. */
  public void start(int id) throws IOException {
    if (!backend.running(id)) {
      try {
        backend.start(id, nodeArgs(id), backend.clockEnvironment(id));
      } catch (NodeStartException e) {
        throw e;
      } catch (IOException e) {
        throw new NodeStartException(id, e);
      }
    }
  }

  /** Starts every member that is not running. */
  public void startMembers() throws IOException {
    for (int id : members()) {
      start(id);
    }
  }

  /** {@code GET /cluster} of node {@code id}, straight to its port; empty when it does not answer. */
  public Optional<JsonNode> status(int id) {
    try {
      return Optional.of(control.cluster(backend.directUrl(id)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The leader every answering member names, if they agree and it is a running member; empty
   * otherwise. Members that do not answer (down, paused) are not asked twice.
   */
  public Optional<Integer> agreedLeader() {
    Integer leader = null;
    int answered = 0;
    for (int id : members()) {
      if (!backend.running(id)) {
        continue;
      }
      Optional<JsonNode> s = status(id);
      if (s.isEmpty()) {
        continue;
      }
      answered++;
      int l = s.get().path("leaderId").asInt();
      if (l == 0 || (leader != null && leader != l)) {
        return Optional.empty();
      }
      leader = l;
    }
    if (leader == null || answered == 0 || !backend.running(leader)) {
      return Optional.empty();
    }
    return Optional.of(leader);
  }

  /** The node that says it leads, whoever else agrees; empty when none does. */
  public Optional<Integer> selfProclaimedLeader() {
    for (int id : members()) {
      if (backend.running(id) && status(id).map(s -> "leader".equals(s.path("role").asText())).orElse(false)) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  public Optional<Integer> awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Optional<Integer> l = agreedLeader();
      if (l.isPresent()) {
        return l;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  /** Waits until node {@code id} answers {@code /cluster}; false if it exits or the time runs out. */
  public boolean awaitServing(int id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!backend.running(id)) {
        return false;
      }
      if (status(id).isPresent()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /**
   * Starts spare {@code id} with {@code --join} and adds it as a voter through a running member.
   * Returns a one-line description of what happened.
   */
  public String add(int id, Duration timeout) throws IOException, InterruptedException {
    synchronized (this) {
      joined.add(id);
    }
    start(id);
    if (!awaitServing(id, timeout)) {
      throw new IOException("spare n" + id + " did not serve within " + timeout.toSeconds() + "s (exit "
          + backend.exitCode(id) + ")");
    }
    String body = "{\"id\":" + id + ",\"peer\":\"" + hostPort(backend.placementArgs(id), "--peer-port")
        + "\",\"http\":\"" + backend.nodeHttpForNodes(id) + "\"}";
    String outcome;
    try {
      outcome = adminRequest("POST", "/cluster/members", body, 409, timeout);
    } catch (IOException e) {
      // The change may still have taken effect: the cluster's own configuration decides.
      if (!configurationHolds(id).orElse(false)) {
        backend.kill(id);
        throw e;
      }
      outcome = "applied although the request failed (" + e.getMessage() + ")";
    }
    synchronized (this) {
      members.add(id);
    }
    return outcome;
  }

  /**
   * Whether the leader's configuration holds node {@code id} (as a voter or a learner); empty when no
   * leader answers. Used after an admin request failed whose effect is uncertain.
   */
  private Optional<Boolean> configurationHolds(int id) throws InterruptedException {
    Optional<Integer> leader = awaitLeader(Duration.ofSeconds(10));
    Optional<JsonNode> s = leader.flatMap(this::status);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    boolean holds = false;
    for (String field : List.of("voters", "learners")) {
      for (JsonNode n : s.get().path(field)) {
        holds |= n.asInt() == id;
      }
    }
    return Optional.of(holds);
  }

  private static String hostPort(List<String> placement, String portFlag) {
    String host = placement.get(placement.indexOf("--listen-host") + 1);
    return host + ":" + placement.get(placement.indexOf(portFlag) + 1);
  }

  /** Removes voter {@code id} through a running member, then stops it. */
  public String remove(int id, Duration timeout) throws IOException, InterruptedException {
    String outcome;
    try {
      outcome = adminRequest("DELETE", "/cluster/members/" + id, "", 404, timeout);
    } catch (IOException e) {
      if (configurationHolds(id).orElse(true)) {
        throw e;
      }
      outcome = "applied although the request failed (" + e.getMessage() + ")";
    }
    synchronized (this) {
      members.remove(id);
      removed.add(id);
    }
    backend.kill(id);
    return outcome;
  }

  /** Hands leadership to voter {@code id}. */
  public String transfer(int id, Duration timeout) throws IOException, InterruptedException {
    return adminRequest("POST", "/cluster/leader", "{\"id\":" + id + "}", 0, timeout);
  }

  /**
   * Sends an idempotent admin request to running members in turn until one answers 200 or the
   * deadline passes; 503, 504 and no answer are retried, anything else is a refusal. Once an attempt
   * may have taken effect (504, or no answer), {@code doneAlreadyStatus} from a later attempt (409 "is
   * a member" for an add, 404 "not a member" for a remove; 0 for none) means that earlier attempt
   * did: it is success, not a refusal.
   */
  private String adminRequest(String method, String path, String body, int doneAlreadyStatus, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no member answered";
    int attempt = 0;
    boolean mayHaveApplied = false;
    while (System.nanoTime() < deadline) {
      List<Integer> candidates = members().stream().filter(backend::running).toList();
      if (candidates.isEmpty()) {
        last = "no member runs";
      } else {
        int id = candidates.get(attempt++ % candidates.size());
        KvHttp.Reply r;
        try {
          r = admin.raw(backend.directUrl(id), method, path, body.getBytes(StandardCharsets.UTF_8),
              Map.of("Content-Type", "application/json"));
        } catch (IOException e) {
          r = null;
          last = "n" + id + ": " + e;
          mayHaveApplied = true;
        }
        if (r != null && r.status() == 200) {
          return "done through n" + id;
        }
        if (r != null && mayHaveApplied && doneAlreadyStatus != 0 && r.status() == doneAlreadyStatus) {
          return "done by an earlier attempt (n" + id + " answered " + r.status() + " " + r.errorCode() + ")";
        }
        if (r != null && r.status() != 503 && r.status() != 504) {
          throw new IOException(method + " " + path + " refused by n" + id + ": " + r.status() + " " + r.text());
        }
        if (r != null) {
          last = "n" + id + " answered " + r.status() + " " + r.errorCode();
          mayHaveApplied |= r.status() == 504;
        }
      }
      Thread.sleep(200);
    }
    throw new IOException(method + " " + path + " not done within " + timeout.toSeconds() + "s: " + last);
  }
}
