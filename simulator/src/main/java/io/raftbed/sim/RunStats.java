package io.raftbed.sim;

/** Counters of one run, for its summary line. Plain fields: one thread, one run. */
final class RunStats {
  long events;
  long nodeStarts;
  long refusedStarts;
  long diskFailures;
  long writesAcknowledged;
  long writesAcknowledgedAfterHeal;
  long staleReads;
  long committedAtHeal;
  /** Summed over node incarnations (a crash adds the dead incarnation's counts). */
  long snapshotsSent;
  long snapshotsInstalled;

  void addNodeStats(io.raftbed.raft.RaftNode.Stats s) {
    snapshotsSent += s.snapshotsSent;
    snapshotsInstalled += s.snapshotsInstalled;
  }
}
