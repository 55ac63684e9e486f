package io.raftbed.linearizability;

import java.time.Duration;

/**
 * The verdict on one independent partition (one key of a keyed history). Immutable.
 *
 * @param key          the partition's key, or null for an unkeyed history
 * @param operations   operations searched (indeterminate reads are dropped before the search)
 * @param verdict      the partition's verdict
 * @param reason       why the verdict is UNKNOWN, else null
 * @param elapsed      time spent searching this partition
 * @param memoEntries  configurations memoized
 */
public record PartitionResult(Object key, int operations, Verdict verdict, String reason,
               Duration elapsed, long memoEntries) {
  /** How the reason of a partition that was never decided starts (the check stopped before it). */
  public static final String UNDECIDED_PREFIX = "not decided: ";

  /** True if the search ran to a verdict or its own budget; false if it stopped because the check did. */
  public boolean decided() {
    return verdict != Verdict.UNKNOWN || reason == null || !reason.startsWith(UNDECIDED_PREFIX);
  }
}
