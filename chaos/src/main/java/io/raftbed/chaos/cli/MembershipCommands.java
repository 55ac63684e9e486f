package io.raftbed.chaos.cli;

import io.raftbed.chaos.cluster.ClusterAdmin;
import io.raftbed.chaos.cluster.ClusterLayout;
import io.raftbed.chaos.cluster.LocalCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftbed cluster join|remove|transfer}: membership changes of a local cluster (see
 * {@link ClusterAdmin}). Exit codes: 0 done; 1 the cluster refused, or the change did not finish in
 * time (the message says what state things are in); 2 bad options.
 */
final class MembershipCommands {
  private static final String EXIT_CODES = "%nRequests that get no answer (503, 504, no connection) are sent again until"
      + " --timeout-seconds: all three are idempotent.%nExit codes: 0 done; 1 refused by the cluster, or not done in"
      + " time (the message says what state things are in); 2 bad options.";

  private MembershipCommands() {}

  /** Options of the three commands. */
  abstract static class AdminCommand extends ClusterCommand.DirOption implements Callable<Integer> {
    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "120", description = "How long to wait"
        + " for the change (adding a voter waits for it to catch up). Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    abstract String name();

    /** Refuses (IllegalArgumentException: exit 2) options that do not fit the cluster, before anything is done. */
    void check(LocalCluster cluster) {}

    abstract void run(LocalCluster cluster, ClusterAdmin admin) throws Exception;

    @Override
    public Integer call() throws Exception {
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException("--timeout-seconds must be positive, got " + timeoutSeconds);
      }
      LocalCluster c = open(); // no cluster: a usage error (exit 2)
      check(c);
      try {
        run(c, new ClusterAdmin(c, Duration.ofSeconds(timeoutSeconds)));
      } catch (ClusterAdmin.AdminException | IOException e) {
        System.err.println("raftbed cluster " + name() + ": " + e.getMessage());
        ClusterCommand.printStatus(c);
        return 1;
      }
      ClusterCommand.printStatus(c);
      return 0;
    }
  }

  @Command(name = "join", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
      footer = EXIT_CODES, description = {"Starts a new node in --dir and adds it to the running cluster through any"
          + " member: as a voter (a learner first, promoted once its log has caught up) or, with --as learner, as a"
          + " learner. The node starts with --join, learns the cluster's configuration from a member and keeps it in"
          + " its data directory, so 'cluster start' and 'cluster up' restart it like any other node. Running join"
          + " again for a node whose join did not finish (--id N) retries it.",
          "", "Example: raftbed cluster join --dir runs/cluster      (n4, on ports 8084 and 9084 after 'up --nodes 3')"})
  static final class Join extends AdminCommand {
    /** What the new node becomes. */
    enum Role { voter, learner }

    @Option(names = "--id", paramLabel = "N", converter = ClusterCommand.NodeIdConverter.class,
        description = "The new node's id. Default: one above every id the cluster has used.")
    Integer id;

    @Option(names = "--as", paramLabel = "ROLE", defaultValue = "voter", description = "${COMPLETION-CANDIDATES}."
        + " Default: ${DEFAULT-VALUE}.")
    Role as;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Default: the founders' HTTP base port + id.")
    Integer httpPort;

    @Option(names = "--peer-port", paramLabel = "PORT", description = "Default: the founders' peer base port + id.")
    Integer peerPort;

    @Override
    String name() {
      return "join";
    }

    @Override
    void check(LocalCluster c) {
      if (id != null && c.layout().idUsed(id) && !(c.layout().hasNode(id) && c.layout().node(id).joined())) {
        throw new IllegalArgumentException("id " + id + " was already used in this cluster (ids are never reused);"
            + " leave out --id to get a fresh one");
      }
      for (Integer port : java.util.Arrays.asList(httpPort, peerPort)) {
        if (port != null && (port < 1 || port > 65535)) {
          throw new IllegalArgumentException("a port must be 1..65535, got " + port);
        }
      }
    }

    @Override
    void run(LocalCluster c, ClusterAdmin admin) throws Exception {
      ClusterLayout.NodeSpec n = admin.join(optional(id), optional(httpPort), optional(peerPort), as == Role.voter);
      System.out.println("n" + n.id() + " joined as a " + as);
    }

    private static OptionalInt optional(Integer v) {
      return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
      footer = EXIT_CODES, description = {"Removes a node from the configuration through any member (the leader too:"
          + " it steps down once the change commits), then stops its process, moves its directory and log aside to"
          + " nN.removed-MILLIS/ and retires its id. Removing a node that already left the configuration only stops"
          + " it.", "", "Example: raftbed cluster remove --dir runs/cluster --id 2"})
  static final class Remove extends AdminCommand {
    @Option(names = "--id", required = true, paramLabel = "N", converter = ClusterCommand.NodeIdConverter.class,
        description = "The node to remove (2 or n2).")
    int id;

    @Option(names = "--grace-seconds", paramLabel = "S", defaultValue = "10", description = "SIGTERM, then SIGKILL after this long."
        + " Default: ${DEFAULT-VALUE}.")
    int graceSeconds;

    @Override
    String name() {
      return "remove";
    }

    @Override
    void check(LocalCluster c) {
      ClusterCommand.requireNode(c, id);
      if (graceSeconds < 0) {
        throw new IllegalArgumentException("--grace-seconds must not be negative, got " + graceSeconds);
      }
    }

    @Override
    void run(LocalCluster c, ClusterAdmin admin) throws Exception {
      admin.remove(id, Duration.ofSeconds(graceSeconds));
      System.out.println("n" + id + " removed and stopped");
    }
  }

  @Command(name = "transfer", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
      footer = EXIT_CODES, description = {"Hands leadership to a voter (Raft's leadership transfer, dissertation"
          + " §3.10): the leader brings the target's log up to date and tells it to campaign at once. Returns once"
          + " the target leads.", "", "Example: raftbed cluster transfer --dir runs/cluster --to 3"})
  static final class Transfer extends AdminCommand {
    @Option(names = "--to", required = true, paramLabel = "N", converter = ClusterCommand.NodeIdConverter.class,
        description = "The voter to lead (3 or n3).")
    int to;

    @Override
    String name() {
      return "transfer";
    }

    @Override
    void check(LocalCluster c) {
      ClusterCommand.requireNode(c, to);
    }

    @Override
    void run(LocalCluster c, ClusterAdmin admin) throws Exception {
      admin.transfer(to);
      System.out.println("n" + to + " leads");
    }
  }
}
