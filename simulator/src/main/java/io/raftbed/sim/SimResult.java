package io.raftbed.sim;

import io.raftbed.linearizability.CheckResult;
import io.raftbed.linearizability.History;
import io.raftbed.sim.fault.FaultSchedule;
import java.util.List;

/**
 * The outcome of one simulated run.
 *
 * @param seed the run's root seed
 * @param config the run's configuration
 * @param schedule the fault schedule it ran
 * @param violation the first broken property, or null for a clean run
 * @param check the linearizability verdict on the history (null if the run stopped on a violation
 *     before the end)
 * @param digest fingerprint of the whole event trace: equal digests mean identical runs
 * @param trace the last events before the end or the violation (only for failed runs)
 * @param history the client history
 * @param nodes every machine's state at the end
 */
public record SimResult(long seed, SimConfig config, FaultSchedule schedule, Violation violation, CheckResult check,
    long digest, Counts counts, String trace, History history, List<NodeState> nodes) {

  /** A machine at the end of the run. */
  public record NodeState(int id, boolean up, String role, long term, long firstIndex, long lastIndex,
      long commitIndex, long appliedIndex, boolean member, String downReason) {}

  /**
   * What happened in the run, for summaries and campaign results. {@code operatorTriggered} counts the
   * operator's operations timed against the cluster's state; {@code inFaultEvaluations} the in-fault
   * liveness evaluations, {@code inFaultHealthyEvaluations} those that found a healthy connected
   * quorum, and {@code longestStallMillis} the longest stretch such a quorum went with nothing
   * committed and no idle leader ({@code longestStallPercentOfTimeout}: in percent of the run's
   * maximal election timeout).
   */
  public record Counts(long ok, long fail, long info, long leadersElected, long events, long virtualMillis,
      long writesAcknowledgedAfterHeal, long nodeStarts, long refusedStarts, long peerMessages,
      long peerMessagesDropped, long configurationChanges, long snapshotsSent, long snapshotsInstalled,
      long transfers, long committedAtHeal, long convergedAfterHealMillis, long operatorTriggered,
      long inFaultEvaluations, long inFaultHealthyEvaluations, long longestStallMillis,
      long longestStallPercentOfTimeout) {}

  public boolean clean() {
    return violation == null;
  }

  public String digestHex() {
    return String.format("%016x", digest);
  }

  /** One line: the outcome and the counts, ending with the digest. */
  public String summary() {
    return "seed=" + seed + " " + (clean() ? "ok" : "VIOLATION " + violation.kind())
        + " ops ok/fail/info=" + counts.ok() + "/" + counts.fail() + "/" + counts.info()
        + " elections=" + counts.leadersElected() + " events=" + counts.events()
        + (counts.configurationChanges() + counts.transfers() > 0 ? " config-changes=" + counts.configurationChanges()
            + " transfers=" + counts.transfers() : "")
        + " snapshots sent/installed=" + counts.snapshotsSent() + "/" + counts.snapshotsInstalled()
        + " virtual=" + String.format("%.1fs", counts.virtualMillis() / 1000.0)
        + " digest=" + digestHex();
  }
}
