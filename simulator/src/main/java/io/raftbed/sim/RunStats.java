package io.raftbed.sim;

/** Counters of one run, for its summary line. Plain fields: one thread, one run. */
final class RunStats {
  long events;
  long nodeStarts;
  long refusedStarts;
  long diskFailures;
  long writesAcknowledged;
  long writesAcknowledgedAfterHeal;
  /** Write-path operations (write, cas, delete) invoked in the first half of the heal phase. */
  long writesInvokedEarlyInHeal;
  /** Linearizable reads acknowledged after the heal. */
  long readsAcknowledgedAfterHeal;
  long staleReads;
  long committedAtHeal;
  /** How long after the heal every running member had applied what was committed at the heal; -1 until then. */
  long convergedAfterHealMicros = -1;
  /** Summed over node incarnations (a crash adds the dead incarnation's counts). */
  long snapshotsSent;
  long snapshotsInstalled;

  void addNodeStats(io.raftbed.raft.RaftNode.Stats s) {
    snapshotsSent += s.snapshotsSent;
    snapshotsInstalled += s.snapshotsInstalled;
  }
}
