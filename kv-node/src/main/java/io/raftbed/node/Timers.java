package io.raftbed.node;

/**
 * The node's clock and timers. The clock is the node's own monotonic clock (which the simulator may
 * make run fast or slow, pause or step); timers follow it. The driver derives Raft ticks from the
 * clock rather than from counting timer firings, so that a late timer (after a GC pause or a
 * SIGSTOP) still accounts for all the time that passed.
 */
public interface Timers {
  /** The node's monotonic clock in milliseconds; never goes backwards. */
  long nowMillis();

  /** Runs {@code task} on the node's thread after {@code delayMillis} of the node's clock. */
  void schedule(long delayMillis, Runnable task);
}
