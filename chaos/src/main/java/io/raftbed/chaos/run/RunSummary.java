package io.raftbed.chaos.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a chaos run did and decided, as {@code summary.json} holds it.
 *
 * @param runStartMs when the run began (wall clock, epoch ms)
 * @param startMs the history's time zero (its {@code :time} counts nanoseconds from here)
 * @param endMs when the run ended
 * @param backend where the nodes ran, as {@link io.raftbed.chaos.backend.NodeBackend#describe} says
 * @param faults faults that took effect (skipped ones are in the fault log, not counted)
 */
public record RunSummary(String scenario, long seed, String canary, long runStartMs, long startMs, long endMs,
    int nodes, String backend, long ok, long fail, long info, int faults, Map<String, Integer> faultsByKind,
    Verdict verdict, String rerun, String folder) {

  public double wallSeconds() {
    return (endMs - runStartMs) / 1000.0;
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", scenario);
    m.put("seed", seed);
    m.put("canary", canary);
    m.put("runStartMs", runStartMs);
    m.put("startMs", startMs);
    m.put("endMs", endMs);
    m.put("wallSeconds", wallSeconds());
    m.put("nodes", nodes);
    m.put("backend", backend);
    m.put("ops", Map.of("ok", ok, "fail", fail, "info", info));
    m.put("faults", faults);
    m.put("faultsByKind", faultsByKind);
    m.put("verdict", verdict.word());
    m.put("exitCode", verdict.exitCode());
    m.put("violations", verdict.violations());
    m.put("rerun", rerun);
    return m;
  }

  /** The closing lines on the terminal and in {@code summary.txt}. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%s seed %d%s: %s in %.0fs%n", scenario, seed, canary == null ? "" : " canary " + canary,
        verdict.word().toUpperCase(java.util.Locale.ROOT), wallSeconds()));
    sb.append(String.format("  ops          ok %d, fail %d, info %d%n", ok, fail, info));
    sb.append(String.format("  faults       %d %s%n", faults, faultsByKind));
    sb.append(String.format("  linearizable %s: %s%n", verdict.linearizability(), verdict.linearizabilityDetail()));
    sb.append(String.format("  liveness     %s: %s%n", word(verdict.liveness()), verdict.liveness().detail()));
    sb.append(String.format("  durability   %s: %s%n", word(verdict.durability()), verdict.durability().detail()));
    for (String v : verdict.violations()) {
      // The first line names the violation; a counterexample's lines are printed above, once.
      sb.append("  VIOLATION    ").append(v.lines().findFirst().orElse(v)).append('\n');
    }
    if (verdict.environment() != null) {
      sb.append("  ENVIRONMENT  ").append(verdict.environment()).append(" (not a verdict on the cluster)\n");
    }
    if (verdict.undecided() != null) {
      sb.append("  UNDECIDED    ").append(verdict.undecided()).append('\n');
    }
    sb.append("  folder       ").append(folder).append('\n');
    sb.append("  re-run       ").append(rerun).append('\n');
    return sb.toString();
  }

  private static String word(Verdict.Check c) {
    return !c.ran() ? "skipped" : c.ok() ? "ok" : "FAILED";
  }
}
