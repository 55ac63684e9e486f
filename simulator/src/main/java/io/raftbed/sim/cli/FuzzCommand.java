package io.raftbed.sim.cli;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.fault.FaultTypes;
import io.raftbed.sim.fuzz.CampaignSpec;
import io.raftbed.sim.fuzz.Json;
import io.raftbed.sim.fuzz.SeedOutcome;
import io.raftbed.sim.fuzz.Shard;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftbed fuzz}: a swarm-testing campaign. Each seed turns on a random subset of the fault
 * types with random intensities; failing seeds are minimized and saved as failure folders. Runs on the
 * calling thread except for the seeds and the minimizer's trials, which run on pools.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a swarm-testing campaign. Every seed turns on a random subset of the fault",
        "types with random intensities (mean fault interval, message-fault levels, fault",
        "durations), drawn from the seed alone, and every run is checked: Raft's safety",
        "invariants after each event, linearizability of the client history, and",
        "liveness once the faults heal.",
        "",
        "A failing seed is minimized (delta debugging over its fault events, then its",
        "run length) and saved as DIR/failure-seed-<seed>/: README.txt, the original and",
        "minimized schedules, the trace, the history (EDN) and an HTML timeline.",
        "`raftbed replay DIR/failure-seed-<seed>` re-runs it. Each seed also writes one",
        "JSON line to DIR/results-shard-K-of-N.jsonl.",
        "",
        "Sharding: seed s belongs to shard K of N when s mod N = K-1. The shards of one",
        "range, run anywhere, cover each seed once; their results files merge by",
        "concatenation (cat DIR/results-shard-*.jsonl).",
        "",
        "Exit 0 when every seed is clean, 1 on a violation, 2 on bad usage.",
        "",
        "Examples:",
        "  raftbed fuzz --minutes 5                      five minutes from seed 1",
        "  raftbed fuzz --seeds 1..10000 --shard 3/8     shard 3 of 8 of a range",
        "  raftbed fuzz --seeds 1..50 --canary no-fsync  the fuzzer must catch it",
        "  raftbed fuzz --list-canaries",
        ""})
final class FuzzCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--minutes", paramLabel = "M", description = "Run seeds until M minutes (may be fractional) "
      + "have passed; seeds running then finish. Without --seeds, seeds count up from 1.")
  Double minutes;

  @Option(names = "--seeds", paramLabel = "A..B", description = "Run the seeds of this inclusive range (those of "
      + "the shard, with --shard).")
  String seeds;

  @Option(names = "--fixed-cluster", description = "Run every seed on the standard cluster and workload (5 nodes "
      + "unless --nodes, 10 clients, pre-vote and check-quorum on, ...). By default each seed also draws its own: "
      + "protocol options, timing, latency, snapshot frequency, membership changes and client mix.")
  boolean fixedCluster;

  @Option(names = "--membership", description = "Every seed also runs spare machines and an operator who adds "
      + "and removes voters and transfers leadership (by default a quarter of the seeds do).")
  boolean membership;

  @Option(names = "--shard", paramLabel = "K/N", defaultValue = "1/1",
      description = "Run only shard K of N: the seeds s with s mod N = K-1 (default: ${DEFAULT-VALUE}).")
  String shard;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/fuzz",
      description = "Where results and failure folders go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--canary", paramLabel = "NAME", split = ",",
      description = "Turn on an unsafe setting the fuzzer must catch (see --list-canaries): ${COMPLETION-CANDIDATES}.")
  List<Canary> canaries = new ArrayList<>();

  @Option(names = "--list-canaries", description = "List the canaries and what each turns on, and exit.")
  boolean listCanaries;

  @Option(names = "--nodes", defaultValue = "5", description = "Cluster size (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--virtual-seconds", paramLabel = "S", defaultValue = "60", description = "Virtual length of each "
      + "run; the last sixth (at most 10 s) is the heal phase (default: ${DEFAULT-VALUE}).")
  long virtualSeconds;

  @Option(names = "--faults", paramLabel = "TYPES", defaultValue = "all", description = "The fault types the swarm "
      + "draws each seed's subset from: comma-separated of partition, crash, torn-write, pause, messages, clock, "
      + "corruption, disk-full, or 'all' (default: ${DEFAULT-VALUE}).")
  String faults;

  @Option(names = "--threads", paramLabel = "T", description = "Seeds run at once (default: all cores).")
  Integer threads;

  @Option(names = "--max-failures", paramLabel = "N", defaultValue = "10", description = "Stop starting seeds after "
      + "N failures; 0 for no limit (default: ${DEFAULT-VALUE}).")
  int maxFailures;

  @Option(names = "--minimize", paramLabel = "N", defaultValue = "3", description = "Minimize the first N failing "
      + "seeds (by seed); later ones are saved as they ran (default: ${DEFAULT-VALUE}).")
  int minimizeCount;

  @Option(names = "--minimize-runs", paramLabel = "R", defaultValue = "1000",
      description = "Simulations the minimizer may run per failure (default: ${DEFAULT-VALUE}).")
  int minimizeRuns;

  @Option(names = "--minimize-seconds", paramLabel = "S", defaultValue = "120",
      description = "Wall seconds the minimizer may take per failure (default: ${DEFAULT-VALUE}).")
  long minimizeSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    if (listCanaries) {
      for (Canary c : Canary.values()) {
        stdout.printf("%-30s %s%n", c.label(), c.description);
      }
      stdout.flush();
      return 0;
    }
    Plan plan = plan();
    try {
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw usage("cannot make the --out directory " + out + " (" + (e.getMessage() == null ? "I/O error"
          : e.getMessage()) + ")");
    }
    Path resultsFile = out.resolve(plan.shard().resultsFileName());
    FailureReporter failures = new FailureReporter(out, plan.threads(), minimizeCount, minimizeRuns,
        Duration.ofSeconds(minimizeSeconds), stdout, spec.commandLine().getErr());
    FuzzRunner.Summary summary;
    try (BufferedWriter results = Files.newBufferedWriter(resultsFile, StandardCharsets.UTF_8)) {
      FuzzRunner runner = new FuzzRunner(new FuzzRunner.Settings(plan.threads(), plan.budget(), maxFailures),
          spec.commandLine().getErr());
      summary = runner.run(plan.campaign(), plan.range(), plan.shard(), ran -> {
        writeLine(results, SeedOutcome.of(ran.trial(), ran.result(), plan.shard(), ran.wallMs(),
            System.currentTimeMillis()));
        if (!ran.result().clean()) {
          failures.offer(ran);
        }
      });
    }
    FuzzTable table = summary.table();
    table.print(stdout, plan.shard(), summary.stopReason());
    stdout.println("results: " + resultsFile);
    if (table.runs.runs == 0) {
      stdout.println("no seed of " + plan.range() + " belongs to shard " + plan.shard() + ": nothing ran");
    }
    if (table.failures() == 0) {
      stdout.println("no violation in " + table.runs.runs + " seeds");
      stdout.flush();
      return 0;
    }
    failures.finish();
    return 1;
  }

  /** The validated options. */
  private record Plan(CampaignSpec campaign, SeedRange range, Shard shard, Duration budget, int threads) {}

  private Plan plan() {
    if (minutes == null && seeds == null) {
      throw usage("give --minutes M, --seeds A..B, or both (see --help)");
    }
    if (minutes != null && !(minutes > 0)) {
      throw usage("--minutes must be more than 0, got " + minutes);
    }
    if (virtualSeconds < 2) {
      throw usage("--virtual-seconds must be at least 2, got " + virtualSeconds);
    }
    if (threads != null && threads < 1 || maxFailures < 0 || minimizeCount < 0 || minimizeRuns < 1
        || minimizeSeconds < 1) {
      throw usage("--threads, --minimize-runs and --minimize-seconds must be positive; --max-failures and "
          + "--minimize must not be negative");
    }
    try {
      Shard s = Shard.parse(shard);
      SeedRange range = seeds == null ? new SeedRange(1, Long.MAX_VALUE) : SeedRange.parse(seeds);
      SimConfig base = SimConfig.standard().withNodes(nodes).withVirtualMillis(virtualSeconds * 1000)
          .withMembership(membership);
      CampaignSpec campaign = new CampaignSpec(base, FaultTypes.parse(faults), c -> Canary.applyAll(canaries, c),
          !fixedCluster);
      campaign.trial(range.first()); // fails here, not on a pool thread, if the canaries do not fit the config
      Duration budget = minutes == null ? null : Duration.ofMillis(Math.round(minutes * 60_000));
      int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      return new Plan(campaign, range, s, budget, t);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static void writeLine(BufferedWriter w, SeedOutcome o) {
    try {
      w.write(Json.line(o));
      w.newLine();
      w.flush(); // a campaign killed midway keeps the lines of the seeds it finished
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results file", e);
    }
  }
}
