package io.raftbed.chaos.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftbed.chaos.bench.CatchUpBench;
import io.raftbed.chaos.bench.RejoinBench;
import io.raftbed.chaos.cluster.ClusterLayout;
import io.raftbed.chaos.cluster.LocalCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftbed bench catch-up|rejoin}: measurements on a fresh local cluster that the command
 * starts in {@code --dir} and stops at the end (unless {@code --keep}). Exit codes: 0 measured; 1 the
 * scenario failed (no leader, the follower did not catch up in time); 2 bad options.
 */
final class ScenarioCommands {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FOOTER = "%nThe cluster is new: --dir must not hold one. Its nodes run with the JVM options"
      + " of 'cluster up' (-Xms256m -Xmx1g G1) unless --java-opt is given.%nExit codes: 0 measured; 1 the scenario"
      + " failed; 2 bad options.";

  private ScenarioCommands() {}

  /** Options of every scenario: where the fresh cluster lives and how its nodes run. */
  abstract static class Scenario implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "A new directory for the cluster.")
    Path dir;

    @Option(names = "--http-port-base", defaultValue = "8080", paramLabel = "PORT", description = "Node i serves"
        + " HTTP on base+i. Default: ${DEFAULT-VALUE}.")
    int httpPortBase;

    @Option(names = "--peer-port-base", defaultValue = "9080", paramLabel = "PORT", description = "Default:"
        + " ${DEFAULT-VALUE}.")
    int peerPortBase;

    @Option(names = "--node-arg", paramLabel = "ARG", description = "An extra argument for every node, repeatable,"
        + " e.g. --node-arg=--no-pre-vote.")
    List<String> nodeArgs = new ArrayList<>();

    @Option(names = "--java-opt", paramLabel = "OPT", description = "A JVM option for every node, repeatable.")
    List<String> javaOptions;

    @Option(names = "--timeout-seconds", defaultValue = "300", paramLabel = "S", description = "Bound on each"
        + " phase. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--keep", description = "Leave the cluster running at the end.")
    boolean keep;

    @Option(names = "--json", paramLabel = "FILE", description = "Append the result as a JSON line to FILE.")
    Path json;

    abstract String name();

    /** The scenario's own option checks; throws IllegalArgumentException (exit 2). */
    abstract void validate();

    abstract Map<String, Object> measure(LocalCluster cluster, Duration timeout) throws Exception;

    @Override
    public Integer call() throws Exception {
      if (timeoutSeconds < 1 || httpPortBase < 1 || httpPortBase > 65532 || peerPortBase < 1 || peerPortBase > 65532) {
        throw new IllegalArgumentException("--timeout-seconds must be positive and the port bases 1..65532");
      }
      validate();
      if (Files.exists(dir.resolve(ClusterLayout.FILE))) {
        System.err.println("raftbed bench " + name() + ": " + dir + " already holds a cluster; give a new --dir");
        return 2;
      }
      ClusterLayout layout = ClusterLayout.of("bench-" + name(), "127.0.0.1", 3, httpPortBase, peerPortBase, nodeArgs,
          javaOptions != null ? javaOptions : ClusterCommand.DEFAULT_JAVA_OPTIONS);
      LocalCluster cluster = LocalCluster.createOrOpen(dir, layout, LocalCluster.Launcher.ofCurrentJvm(true, true));
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      try {
        cluster.startAll();
        for (ClusterLayout.NodeSpec n : layout.nodes()) {
          cluster.awaitServing(n.id(), timeout);
        }
        Map<String, Object> result = measure(cluster, timeout);
        result.put("nodeArgs", nodeArgs);
        if (json != null) {
          Files.writeString(json, JSON.writeValueAsString(result) + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return 0;
      } catch (IOException e) {
        System.err.println("raftbed bench " + name() + ": " + e.getMessage() + " (node logs in " + cluster.dir() + ")");
        return 1;
      } finally {
        if (!keep) {
          cluster.stopAll(Duration.ofSeconds(10));
        }
      }
    }
  }

  @Command(name = "catch-up", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
      footer = FOOTER, description = {"Starts a 3-node cluster, kills a follower, writes --entries new keys to the"
          + " leader (which snapshots and compacts its log behind them), starts the follower again and times how long"
          + " it takes to apply everything the leader had committed: through the leader's snapshot, since the log"
          + " behind it is gone. Samples the heap of the leader and the follower from /metrics meanwhile.", "",
          "Example: raftbed bench catch-up --dir runs/catch-up --entries 100000"})
  static final class CatchUp extends Scenario {
    @Option(names = "--entries", defaultValue = "100000", paramLabel = "N", description = "Writes while the"
        + " follower is down. Default: ${DEFAULT-VALUE}.")
    int entries;

    @Option(names = "--clients", defaultValue = "64", paramLabel = "N", description = "Concurrent writers."
        + " Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--value-bytes", defaultValue = "128", paramLabel = "BYTES", description = "Default:"
        + " ${DEFAULT-VALUE}.")
    int valueBytes;

    @Override
    String name() {
      return "catch-up";
    }

    @Override
    void validate() {
      if (entries < 1 || clients < 1 || valueBytes < 0) {
        throw new IllegalArgumentException("--entries and --clients must be positive and --value-bytes not negative");
      }
    }

    @Override
    Map<String, Object> measure(LocalCluster cluster, Duration timeout) throws Exception {
      CatchUpBench.Result r = CatchUpBench.run(cluster, new CatchUpBench.Options(entries, clients, valueBytes, timeout),
          System.out);
      System.out.println(r.describe());
      return r.json();
    }
  }

  @Command(name = "rejoin", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
      footer = FOOTER, description = {"Starts a 3-node cluster, freezes a follower with SIGSTOP for --pause-seconds"
          + " under a light write load, resumes it with SIGCONT, and counts the elections that follow (from every"
          + " node's raftbed_elections_won_total). Compare the defaults with pre-vote and check-quorum turned off.", "",
          "Example: raftbed bench rejoin --dir runs/rejoin-default",
          "         raftbed bench rejoin --dir runs/rejoin-none --node-arg=--no-pre-vote --node-arg=--no-check-quorum"})
  static final class Rejoin extends Scenario {
    @Option(names = "--pause-seconds", defaultValue = "60", paramLabel = "S", description = "How long the follower"
        + " stays frozen. Default: ${DEFAULT-VALUE}.")
    int pauseSeconds;

    @Option(names = "--settle-seconds", defaultValue = "10", paramLabel = "S", description = "How long to watch"
        + " after it resumes. Default: ${DEFAULT-VALUE}.")
    int settleSeconds;

    @Override
    String name() {
      return "rejoin";
    }

    @Override
    void validate() {
      if (pauseSeconds < 1 || settleSeconds < 1) {
        throw new IllegalArgumentException("--pause-seconds and --settle-seconds must be positive");
      }
    }

    @Override
    Map<String, Object> measure(LocalCluster cluster, Duration timeout) throws Exception {
      RejoinBench.Result r = RejoinBench.run(cluster, new RejoinBench.Options(Duration.ofSeconds(pauseSeconds),
          Duration.ofSeconds(settleSeconds), timeout), System.out);
      System.out.println(r.describe());
      return r.json();
    }
  }
}
