package io.raftbed.sim.cli;

import io.raftbed.sim.InFaultLiveness;
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
  long configurationChanges;
  long seedsWithChanges;
  long transfers;
  long snapshotsSent;
  long snapshotsInstalled;
  long seedsWithSnapshots;
  long operatorTriggered;
  long inFaultEvaluations;
  long inFaultHealthy;
  long longestStallMillis;
  long longestStallPercent;
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
    SimResult.Counts c = r.counts();
    configurationChanges += c.configurationChanges();
    seedsWithChanges += c.configurationChanges() > 0 ? 1 : 0;
    transfers += c.transfers();
    snapshotsSent += c.snapshotsSent();
    snapshotsInstalled += c.snapshotsInstalled();
    seedsWithSnapshots += c.snapshotsInstalled() > 0 ? 1 : 0;
    operatorTriggered += c.operatorTriggered();
    inFaultEvaluations += c.inFaultEvaluations();
    inFaultHealthy += c.inFaultHealthyEvaluations();
    longestStallMillis = Math.max(longestStallMillis, c.longestStallMillis());
    longestStallPercent = Math.max(longestStallPercent, c.longestStallPercentOfTimeout());
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
    out.printf("%-28s %d (in %d seeds)%n", "configuration changes", configurationChanges, seedsWithChanges);
    out.printf("%-28s %d%n", "leadership transfers", transfers);
    out.printf("%-28s %d / %d (installed in %d seeds)%n", "snapshots sent / installed", snapshotsSent,
        snapshotsInstalled, seedsWithSnapshots);
    out.printf("%-28s %d%n", "operator ops on triggers", operatorTriggered);
    out.printf("%-28s %d (%.0f per run), %d with a healthy quorum%n", "in-fault liveness checks",
        inFaultEvaluations, inFaultEvaluations / (double) Math.max(1, runs), inFaultHealthy);
    out.printf("%-28s %d ms; %.2f election timeouts (k = %d)%n", "longest healthy stall", longestStallMillis,
        longestStallPercent / 100.0, InFaultLiveness.ELECTION_TIMEOUTS_MAX);
    out.printf("%-28s %d%n", "events", events);
    out.printf("%-28s %.0f%n", "virtual seconds", virtualMillis / 1000.0);
    out.printf("%-28s %.1f%n", "wall seconds", wallSeconds);
    out.printf("%-28s %.0f%n", "events per wall second", events / Math.max(wallSeconds, 1e-9));
    out.printf("%-28s %.0fx%n", "virtual : wall", virtualMillis / 1000.0 / Math.max(wallSeconds, 1e-9));
  }
}
