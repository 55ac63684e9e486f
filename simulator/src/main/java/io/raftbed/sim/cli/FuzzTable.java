package io.raftbed.sim.cli;

import io.raftbed.sim.SimResult;
import io.raftbed.sim.fault.FaultType;
import io.raftbed.sim.fuzz.Shard;
import io.raftbed.sim.fuzz.Trial;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * A fuzz campaign's totals: {@link CampaignTable}'s rows, plus what swarm testing adds (how many seeds,
 * and how many failing seeds, had each fault type on) and how soon the first failure came. Fed on one
 * thread, in completion order.
 */
final class FuzzTable {
  final CampaignTable runs = new CampaignTable();
  private final Map<FaultType, long[]> byType = new EnumMap<>(FaultType.class);
  long firstSeedStarted = Long.MAX_VALUE;
  long lastSeedStarted = Long.MIN_VALUE;
  long firstFailureSeed = -1;
  long seedsToFirstFailure;
  double secondsToFirstFailure;
  long wallMsTotal;

  FuzzTable() {
    for (FaultType t : FaultType.values()) {
      byType.put(t, new long[2]);
    }
  }

  void started(long seed) {
    firstSeedStarted = Math.min(firstSeedStarted, seed);
    lastSeedStarted = Math.max(lastSeedStarted, seed);
  }

  void add(Trial trial, SimResult r, long wallMs, double elapsedSeconds) {
    runs.add(r);
    wallMsTotal += wallMs;
    for (FaultType t : trial.config().faultTypes()) {
      byType.get(t)[0]++;
      if (!r.clean()) {
        byType.get(t)[1]++;
      }
    }
    if (!r.clean() && firstFailureSeed < 0) {
      firstFailureSeed = r.seed();
      seedsToFirstFailure = runs.runs;
      secondsToFirstFailure = elapsedSeconds;
    }
  }

  long failures() {
    return runs.failures();
  }

  /** Fault types that at least one finished seed had on. */
  int typesSeen() {
    return (int) byType.values().stream().filter(c -> c[0] > 0).count();
  }

  void print(PrintWriter out, Shard shard, String stopReason) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      runs.print(ps, runs.runs == 0 ? new SeedRange(0, 0) : new SeedRange(firstSeedStarted, lastSeedStarted));
    }
    out.print(bytes.toString(StandardCharsets.UTF_8));
    out.printf("%-28s %s, stopped: %s%n", "shard", shard, stopReason);
    out.printf("%-28s %.0f%n", "seeds per minute", runs.runs * 60.0 / Math.max(runs.wallSeconds, 1e-9));
    out.printf("%-28s %.2f%n", "seconds per seed (1 thread)", wallMsTotal / 1000.0 / Math.max(1, runs.runs));
    out.printf("%-28s %s%n", "fault types", "seeds with it on / failing seeds with it on");
    byType.forEach((t, c) -> out.printf("  %-26s %d / %d%n", t.label(), c[0], c[1]));
    if (firstFailureSeed >= 0) {
      out.printf("%-28s seed %d, after %d seed(s) and %.1f s%n", "first failure", firstFailureSeed,
          seedsToFirstFailure, secondsToFirstFailure);
    }
    out.flush();
  }
}
