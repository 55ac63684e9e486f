package io.raftbed.sim.cli;

import io.raftbed.sim.SimResult;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/** Totals over many runs, printed as a small table at the end of a campaign. */
final class CampaignTable {
  long runs;
  long ok;
  long fail;
  long info;
  long elections;
  long events;
  long virtualMillis;
  long unknownVerdicts;
  double wallSeconds;
  final Map<String, Long> violationsByKind = new TreeMap<>();

  void add(SimResult r) {
    runs++;
    ok += r.counts().ok();
    fail += r.counts().fail();
    info += r.counts().info();
    elections += r.counts().leadersElected();
    events += r.counts().events();
    virtualMillis += r.counts().virtualMillis();
    if (r.check() != null && r.check().verdict() == io.raftbed.linearizability.Verdict.UNKNOWN) {
      unknownVerdicts++;
    }
    if (!r.clean()) {
      violationsByKind.merge(r.violation().kind(), 1L, Long::sum);
    }
  }

  long failures() {
    return violationsByKind.values().stream().mapToLong(Long::longValue).sum();
  }

  void print(PrintStream out, SeedRange range) {
    out.printf("%-28s %s%n", "seeds", range);
    out.printf("%-28s %d%n", "runs", runs);
    out.printf("%-28s %d%n", "clean", runs - failures());
    out.printf("%-28s %d%n", "violations", failures());
    violationsByKind.forEach((k, v) -> out.printf("  %-26s %d%n", k, v));
    out.printf("%-28s %d%n", "linearizability unknown", unknownVerdicts);
    out.printf("%-28s %d / %d / %d%n", "ops ok / fail / info", ok, fail, info);
    out.printf("%-28s %d (%.1f per run)%n", "leader elections", elections, elections / (double) Math.max(1, runs));
    out.printf("%-28s %d%n", "events", events);
    out.printf("%-28s %.0f%n", "virtual seconds", virtualMillis / 1000.0);
    out.printf("%-28s %.1f%n", "wall seconds", wallSeconds);
    out.printf("%-28s %.0f%n", "events per wall second", events / Math.max(wallSeconds, 1e-9));
    out.printf("%-28s %.0fx%n", "virtual : wall", virtualMillis / 1000.0 / Math.max(wallSeconds, 1e-9));
  }
}
