package io.raftbed.node;

/**
 * Schedules work on the node's thread after a delay on the node's own clock (which the simulator
 * may make run fast or slow, or pause).
 */
public interface Timers {
  /** Runs {@code task} on the node's thread after {@code delayMillis}. */
  void schedule(long delayMillis, Runnable task);
}
