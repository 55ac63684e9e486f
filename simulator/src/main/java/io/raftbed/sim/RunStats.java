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
}
