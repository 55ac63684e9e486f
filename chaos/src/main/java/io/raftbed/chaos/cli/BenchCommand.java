package io.raftbed.chaos.cli;

import io.raftbed.chaos.bench.BenchResult;
import io.raftbed.chaos.bench.BenchSpec;
import io.raftbed.chaos.bench.LoadGenerator;
import io.raftbed.chaos.bench.Target;
import io.raftbed.chaos.client.ClientCredentials;
import io.raftbed.chaos.client.KvHttp;
import io.raftbed.chaos.cluster.ClusterLayout;
import io.raftbed.chaos.cluster.LocalCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftbed bench}: closed-loop load against a running cluster, reporting ops/s and latency
 * percentiles, then the leader's fsync figures from {@code /metrics}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = {ScenarioCommands.CatchUp.class, ScenarioCommands.Rejoin.class},
    description = {"Closed-loop load against a running cluster (start one with 'raftbed cluster up').",
        "Writes and linearizable reads go to the leader; stale reads are spread over every node.",
        "--suite runs the standard matrix: put with 1, 16 and 64 clients, get and stale-get with 64.",
        "Scenarios on a fresh cluster of their own: 'bench catch-up' (a follower far behind catches up) and",
        "'bench rejoin' (a frozen follower comes back; elections counted)."})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--dir", defaultValue = "runs/cluster", description = "The cluster to find nodes in."
      + " Default: ${DEFAULT-VALUE}.")
  Path dir;

  @Option(names = "--url", split = ",", paramLabel = "URL", description = "Target base URLs instead of --dir,"
      + " e.g. http://127.0.0.1:8081.")
  List<String> urls;

  @Option(names = "--op", defaultValue = "put", description = "put, get or stale-get. Default: ${DEFAULT-VALUE}.")
  String op;

  @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients. Default: ${DEFAULT-VALUE}.")
  int clients;

  @Option(names = "--suite", description = "Run the standard matrix instead of one --op/--clients run.")
  boolean suite;

  @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per run. Default: ${DEFAULT-VALUE}.")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "3", description = "Unmeasured seconds first."
      + " Default: ${DEFAULT-VALUE}.")
  int warmupSeconds;

  @Option(names = "--key-bytes", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
  int keyBytes;

  @Option(names = "--value-bytes", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int valueBytes;

  @Option(names = "--keys", defaultValue = "10000", description = "Distinct keys. Default: ${DEFAULT-VALUE}.")
  int keys;

  @Option(names = "--threads", defaultValue = "1", description = "Client event loop threads."
      + " Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--json", paramLabel = "FILE", description = "Append each result as a JSON line to FILE.")
  Path json;

  @Option(names = "--ca", paramLabel = "FILE", description = "With --url https://...: the cluster's CA certificate"
      + " (with --dir, a cluster started with --tls is found out by itself).")
  Path caFile;

  @Option(names = "--token-file", paramLabel = "FILE", description = "With --url: a file holding the bearer token"
      + " to send.")
  Path tokenFile;

  @Option(names = "--target", defaultValue = "raftbed", paramLabel = "SYSTEM", description = "raftbed, or etcd through"
      + " its v3 JSON gateway (give its client URLs with --url, the leader first: puts and linearizable reads go"
      + " there, stale reads, serializable for etcd, to every URL). Default: ${DEFAULT-VALUE}.")
  String targetName;

  private ClientCredentials credentials;
  private KvHttp http;
  private Target target;

  /** Checks the options before anything runs; an IllegalArgumentException is a usage error (exit 2). */
  private void validate() throws IOException {
    BenchSpec.Op.parse(op);
    target = Target.parse(targetName);
    if (clients < 1 || seconds < 1 || warmupSeconds < 0 || threads < 1 || keys < 1 || keyBytes < 1 || valueBytes < 0) {
      throw new IllegalArgumentException("--clients, --seconds, --threads, --keys and --key-bytes must be positive,"
          + " --warmup-seconds and --value-bytes not negative");
    }
    if (target == Target.ETCD && (urls == null || urls.isEmpty())) {
      throw new IllegalArgumentException("--target etcd needs --url with etcd's client URLs");
    }
    if (urls == null || urls.isEmpty()) {
      ClusterCommand.requireCluster(dir);
      credentials = cluster().credentials();
    } else {
      for (Path f : java.util.Arrays.asList(caFile, tokenFile)) {
        if (f != null && !Files.isReadable(f)) {
          throw new IllegalArgumentException("cannot read " + f);
        }
      }
      credentials = new ClientCredentials(caFile, tokenFile == null ? null : Files.readString(tokenFile).strip());
    }
    http = new KvHttp(Duration.ofSeconds(5), credentials);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    List<String[]> runs = suite
        ? List.of(new String[] {"put", "1"}, new String[] {"put", "16"}, new String[] {"put", "64"},
            new String[] {"get", "64"}, new String[] {"stale-get", "64"})
        : List.<String[]>of(new String[] {op, Integer.toString(clients)});
    boolean preloaded = false;
    for (String[] run : runs) {
      BenchSpec.Op o = BenchSpec.Op.parse(run[0]);
      List<String> targets = target == Target.ETCD && o != BenchSpec.Op.STALE_GET ? List.of(urls.get(0)) : targets(o);
      if (o != BenchSpec.Op.PUT && !preloaded) {
        BenchSpec load = spec(BenchSpec.Op.PUT, List.of(leaderUrl()), 64);
        long failed = LoadGenerator.preload(load, threads, target, credentials);
        System.out.println("preloaded " + keys + " keys (" + failed + " failures)");
        preloaded = true;
      }
      BenchResult r = LoadGenerator.run(spec(o, targets, Integer.parseInt(run[1])), threads, target, credentials);
      System.out.println(r.line());
      if (r.ok() == 0) {
        // Nothing to measure: the target is down or refuses everything. Not a result (no JSON line).
        System.err.println("raftbed bench: no " + o.label() + " succeeded against " + String.join(",", targets)
            + " (failures by HTTP status, 0 = connection refused or timed out: " + r.errors() + "); is "
            + (target == Target.ETCD ? "etcd" : "the cluster") + " running there?");
        return 2;
      }
      if (json != null) {
        Files.writeString(json, r.json(target) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    }
    if (target == Target.RAFTBED) {
      printFsyncFigures();
    }
    return 0;
  }

  private BenchSpec spec(BenchSpec.Op o, List<String> targets, int clientCount) {
    return new BenchSpec(o, targets, clientCount, warmupSeconds * 1000, seconds * 1000, keyBytes, valueBytes, keys);
  }

  private List<String> targets(BenchSpec.Op o) throws IOException, InterruptedException {
    if (urls != null && !urls.isEmpty()) {
      return urls;
    }
    if (o == BenchSpec.Op.STALE_GET) {
      ClusterLayout layout = cluster().layout();
      return layout.nodes().stream().map(n -> layout.httpUrl(n.id())).toList();
    }
    return List.of(leaderUrl());
  }

  private String leaderUrl() throws IOException, InterruptedException {
    if (urls != null && !urls.isEmpty()) {
      return urls.get(0);
    }
    LocalCluster c = cluster();
    Optional<Integer> leader = c.awaitLeader(Duration.ofSeconds(10));
    if (leader.isEmpty()) {
      throw new IOException("no leader in the cluster in " + dir);
    }
    return c.layout().httpUrl(leader.get());
  }

  private LocalCluster cluster() {
    try {
      return LocalCluster.open(dir, LocalCluster.Launcher.ofCurrentJvm(true, true));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Prints every node's durability figures from {@code /metrics}: writes it acknowledged, how many of
   * those were not fsynced first (0 unless fsync is off), its fsyncs and records per fsync.
   */
  private void printFsyncFigures() throws IOException {
    List<String> nodes = urls != null && !urls.isEmpty() ? urls
        : cluster().layout().nodes().stream().map(n -> cluster().layout().httpUrl(n.id())).toList();
    System.out.println("durability (/metrics of each node; acknowledged counts writes that node answered as leader):");
    for (String node : nodes) {
      Map<String, Double> m;
      try {
        m = http.metrics(node);
      } catch (IOException e) {
        System.out.println("  " + node + " unreachable: " + e.getMessage());
        continue;
      }
      double fsyncs = m.getOrDefault("raftbed_wal_records_per_fsync_count", 0.0);
      System.out.printf("  %s acknowledged=%.0f acknowledged_unsynced=%.0f fsyncs=%.0f records_per_fsync=%.1f%n", node,
          m.getOrDefault("raftbed_client_writes_acknowledged_total", 0.0),
          m.getOrDefault("raftbed_client_writes_acknowledged_unsynced_total", 0.0), fsyncs,
          fsyncs == 0 ? 0 : m.getOrDefault("raftbed_wal_records_per_fsync_sum", 0.0) / fsyncs);
    }
  }

}
