package io.raftbed.sim.cli;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.Simulation;
import io.raftbed.sim.fault.FaultSchedule;
import io.raftbed.sim.fault.FaultTypes;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code raftbed sim}: runs one seed with a summary line, or many with a live progress line and a table. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = {
        "Runs seeded simulations of a Raft KV cluster under faults and checks every run: Raft's safety",
        "invariants after every event, linearizability of the client history, and that the cluster",
        "commits new writes after every fault heals. Exit 0 when every run is clean, 1 on a violation.",
        "",
        "Examples:",
        "  raftbed sim --seed 7                     one run, one summary line with its digest",
        "  raftbed sim --seeds 1..1000              a thousand runs on all cores",
        "  raftbed sim --seed 7 --faults none       a run without faults",
        "  raftbed sim --seed 7 --schedule '@1000 crash 1; @3000 restart 1'"})
final class SimCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--seed", description = "Run this one seed.")
  Long seed;

  @Option(names = "--seeds", paramLabel = "A..B", description = "Run every seed in this inclusive range.")
  String seeds;

  @Option(names = "--nodes", defaultValue = "5", description = "Cluster size (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--clients", defaultValue = "10", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--virtual-seconds", defaultValue = "60",
      description = "Virtual length of each run; the last sixth (at most 10 s) is the heal phase "
          + "(default: ${DEFAULT-VALUE}).")
  long virtualSeconds;

  @Option(names = "--faults", defaultValue = "partition,crash,messages", paramLabel = "TYPES",
      description = "Fault types to draw schedules from: comma-separated of partition, crash, torn-write, pause, "
          + "messages, clock, corruption, disk-full; or 'all' or 'none' (default: ${DEFAULT-VALUE}).")
  String faults;

  @Option(names = "--fault-interval-ms", defaultValue = "3000",
      description = "Mean virtual time between fault actions (default: ${DEFAULT-VALUE}).")
  long faultIntervalMillis;

  @Option(names = "--schedule", paramLabel = "SCHEDULE|@FILE",
      description = "Run this fault schedule instead of drawing one, e.g. '@1000 crash 1; @3000 restart 1', "
          + "or @path to read it from a file.")
  String schedule;

  @Option(names = "--canary", paramLabel = "NAME", split = ",",
      description = "Turn on an unsafe node setting that the checks must catch: ${COMPLETION-CANDIDATES}.")
  List<Canary> canaries = new ArrayList<>();

  @Option(names = "--membership", description = "Run two spare machines and let an operator add voters, "
      + "remove voters and transfer leadership every few seconds.")
  boolean membership;

  @Option(names = "--no-pre-vote", description = "Campaign without a pre-vote round (§9.6).")
  boolean noPreVote;

  @Option(names = "--no-check-quorum", description = "Leaders do not step down without a quorum, and followers "
      + "do not ignore campaigns while they hear from a leader.")
  boolean noCheckQuorum;

  @Option(names = "--read-percent", defaultValue = "40", paramLabel = "PERCENT",
      description = "Share of client operations that are reads (default: ${DEFAULT-VALUE}).")
  int readPercent;

  @Option(names = "--lease-reads", description = "Nodes serve linearizable reads from a leader lease that "
      + "tolerates --clock-drift-bound; clock faults then stay within that bound.")
  boolean leaseReads;

  @Option(names = "--clock-drift-bound", defaultValue = "100", paramLabel = "PERMILLE",
      description = "With --lease-reads: how far clocks may run fast or slow, in thousandths (default: "
          + "${DEFAULT-VALUE}).")
  int clockDriftBoundPermille;

  @Option(names = "--threads", description = "Seeds run in parallel (default: all cores).")
  Integer threads;

  @Option(names = "--verbose", description = "Print the trace of failing runs.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if ((seed == null) == (seeds == null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --seed N or --seeds A..B");
    }
    SimConfig config = config();
    FaultSchedule fixed = schedule == null ? null : readSchedule(schedule);
    SeedRange range;
    try {
      range = seeds == null ? null : SeedRange.parse(seeds);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--seeds: " + e.getMessage());
    }
    if (threads != null && threads < 1) {
      throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
    }
    PrintStream out = System.out;
    if (seed != null) {
      long start = System.nanoTime();
      SimResult r = fixed == null ? Simulation.run(seed, config) : Simulation.run(seed, config, fixed);
      double wall = (System.nanoTime() - start) / 1e9;
      out.println(r.summary() + String.format(" wall=%.2fs", wall));
      if (!r.clean()) {
        Reports.printViolation(out, r, replayCommand(r.seed()), verbose);
        return 1;
      }
      return 0;
    }
    int parallelism = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    List<SimResult> failures = new ArrayList<>();
    CampaignTable table = new SeedRunner(parallelism).run(range, s -> fixed == null ? Simulation.run(s, config)
        : Simulation.run(s, config, fixed), failures::add);
    table.print(out, range);
    for (SimResult f : failures) {
      Reports.printViolation(out, f, replayCommand(f.seed()), verbose);
    }
    return failures.isEmpty() ? 0 : 1;
  }

  private SimConfig config() {
    if (virtualSeconds < 2) {
      throw new ParameterException(spec.commandLine(), "--virtual-seconds must be at least 2");
    }
    try {
      return Canary.applyAll(canaries, SimConfig.standard().withNodes(nodes).withClients(clients)
          .withVirtualMillis(virtualSeconds * 1000).withFaultTypes(FaultTypes.parse(faults))
          .withFaultIntervalMillis(faultIntervalMillis).toBuilder().readPercent(readPercent).build()
          .withMembership(membership)
          .toBuilder().preVote(!noPreVote).checkQuorum(!noCheckQuorum).build()
          .withLeaseReads(leaseReads, clockDriftBoundPermille,
              leaseReads ? clockDriftBoundPermille : SimConfig.standard().clockDriftMaxPermille()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private FaultSchedule readSchedule(String text) throws Exception {
    String body;
    try {
      body = text.startsWith("@") && !text.matches("@\\d.*") ? Files.readString(Path.of(text.substring(1))) : text;
    } catch (java.io.IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read the --schedule file " + text.substring(1));
    }
    try {
      return FaultSchedule.parse(body);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "bad --schedule: " + e.getMessage());
    }
  }

  private String replayCommand(long failedSeed) {
    StringBuilder sb = new StringBuilder("bin/raftbed sim --seed ").append(failedSeed);
    if (nodes != 5) {
      sb.append(" --nodes ").append(nodes);
    }
    if (clients != 10) {
      sb.append(" --clients ").append(clients);
    }
    if (virtualSeconds != 60) {
      sb.append(" --virtual-seconds ").append(virtualSeconds);
    }
    if (!faults.equals("partition,crash,messages")) {
      sb.append(" --faults ").append(faults);
    }
    if (faultIntervalMillis != 3000) {
      sb.append(" --fault-interval-ms ").append(faultIntervalMillis);
    }
    for (Canary c : canaries) {
      sb.append(" --canary ").append(c.label());
    }
    if (membership) {
      sb.append(" --membership");
    }
    if (noPreVote) {
      sb.append(" --no-pre-vote");
    }
    if (noCheckQuorum) {
      sb.append(" --no-check-quorum");
    }
    if (readPercent != 40) {
      sb.append(" --read-percent ").append(readPercent);
    }
    if (leaseReads) {
      sb.append(" --lease-reads --clock-drift-bound ").append(clockDriftBoundPermille);
    }
    if (schedule != null) {
      sb.append(" --schedule '").append(schedule).append("'");
    }
    return sb.append(" --verbose").toString();
  }
}
