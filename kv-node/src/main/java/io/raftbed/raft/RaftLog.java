package io.raftbed.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's view of the replicated log: the entries it holds, how far they are durable, committed
 * and applied. Single-threaded, owned by one {@link RaftNode}.
 *
 * <p>Invariants: {@code snapshotIndex <= appliedIndex <= commitIndex <= lastIndex};
 * {@code stableIndex <= lastIndex}; entries are contiguous from {@code snapshotIndex + 1} and their
 * terms never decrease. Entries up to {@code stableIndex} are durable on this node's storage.
 */
final class RaftLog {
  /** Entries after the snapshot: {@code entries.get(i)} has index {@code snapshotIndex + 1 + i}. */
  private final ArrayList<LogEntry> entries = new ArrayList<>();
  /** Index and term of the last entry covered by the snapshot (0, 0 without one). */
  private long snapshotIndex;
  private long snapshotTerm;
  /** Highest index that is durable on this node; entries above it still need persisting. */
  private long stableIndex;
  /** Lowest index overwritten while a Ready was being persisted: caps what advance() may mark stable. */
  private long truncatedSinceReady = Long.MAX_VALUE;
  private long commitIndex;
  private long appliedIndex;
  /** The lowest index the last {@link #maybeAppend} wrote, or MAX when it wrote nothing. */
  private long lastWriteFrom = Long.MAX_VALUE;

  RaftLog(List<LogEntry> recovered, long snapshotIndex, long snapshotTerm, long commitIndex) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    long expected = snapshotIndex + 1;
    long previousTerm = snapshotTerm;
    for (LogEntry e : recovered) {
      if (e.index() < expected) {
        continue; // covered by the snapshot
      }
      if (e.index() != expected || e.term() < previousTerm) {
        throw new IllegalStateException("recovered log is not contiguous or terms decrease at " + e);
      }
      entries.add(e);
      expected++;
      previousTerm = e.term();
    }
    this.stableIndex = lastIndex();
    this.appliedIndex = snapshotIndex;
    this.commitIndex = Math.max(snapshotIndex, Math.min(commitIndex, lastIndex()));
  }

  long firstIndex() {
    return snapshotIndex + 1;
  }

  long lastIndex() {
    return snapshotIndex + entries.size();
  }

  long lastTerm() {
    return entries.isEmpty() ? snapshotTerm : entries.get(entries.size() - 1).term();
  }

  long snapshotIndex() {
    return snapshotIndex;
  }

  long snapshotTerm() {
    return snapshotTerm;
  }

  /** The term of the entry at {@code index}, or -1 when this log cannot tell (compacted or beyond the end). */
  long term(long index) {
    if (index == snapshotIndex) {
      return snapshotTerm;
    }
    if (index < snapshotIndex || index > lastIndex()) {
      return -1;
    }
    return entries.get((int) (index - snapshotIndex - 1)).term();
  }

  LogEntry entry(long index) {
    if (index <= snapshotIndex || index > lastIndex()) {
      throw new IndexOutOfBoundsException("no entry " + index + " in log (" + snapshotIndex + ", " + lastIndex() + "]");
    }
    return entries.get((int) (index - snapshotIndex - 1));
  }

  boolean matchTerm(long index, long term) {
    return term(index) == term;
  }

  /** §5.4.1: is a log ending at (lastIndex, lastTerm) at least as up-to-date as this one? */
  boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
    return otherLastTerm > lastTerm() || (otherLastTerm == lastTerm() && otherLastIndex >= lastIndex());
  }

  /**
   * Entries from {@code from} on, as many as fit in {@code bytesMax} (at least one when any exist).
   */
  List<LogEntry> slice(long from, int bytesMax) {
    if (from <= snapshotIndex) {
      throw new IndexOutOfBoundsException("entry " + from + " is compacted");
    }
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; i <= lastIndex(); i++) {
      LogEntry e = entry(i);
      bytes += e.sizeBytes();
      if (!out.isEmpty() && bytes > bytesMax) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /** The leader appends its own new entry. */
  void appendNew(LogEntry e) {
    if (e.index() != lastIndex() + 1 || e.term() < lastTerm()) {
      throw new IllegalStateException("append out of order: " + e + " after " + lastIndex() + "@" + lastTerm());
    }
    entries.add(e);
  }

  /**
   * A follower appends a leader's entries that follow an entry matching (prevIndex, prevTerm):
   * entries it already holds are skipped, the first conflicting one truncates the log (§5.3).
   *
   * @return the index of the last entry now known to match the leader's, or -1 on a mismatch
   */
  long maybeAppend(long prevIndex, long prevTerm, List<LogEntry> incoming) {
    if (prevIndex < snapshotIndex) {
      throw new IllegalStateException("append after " + prevIndex + ", inside the snapshot at " + snapshotIndex
          + ": the caller must skip committed entries");
    }
    lastWriteFrom = Long.MAX_VALUE;
    if (!matchTerm(prevIndex, prevTerm)) {
      return -1;
    }
    long last = prevIndex + incoming.size();
    for (LogEntry e : incoming) {
      long existing = term(e.index());
      if (existing == e.term()) {
        continue;
      }
      if (existing != -1) {
        if (e.index() <= commitIndex) {
          throw new IllegalStateException("leader overwrote committed entry " + e.index() + " (commit " + commitIndex + ")");
        }
        truncateFrom(e.index());
      }
      lastWriteFrom = Math.min(lastWriteFrom, e.index());
      entries.add(e);
    }
    return last;
  }

  long lastWriteFrom() {
    return lastWriteFrom;
  }

  private void truncateFrom(long index) {
    int keep = (int) (index - snapshotIndex - 1);
    entries.subList(keep, entries.size()).clear();
    if (stableIndex >= index) {
      stableIndex = index - 1;
    }
    truncatedSinceReady = Math.min(truncatedSinceReady, index);
  }

  /** §6.3 of the paper's Figure 2: the follower's hint for where the leader should retry. */
  long rejectHint(long rejectedIndex, long rejectedTerm) {
    long index = Math.min(rejectedIndex, lastIndex());
    while (index > snapshotIndex && term(index) > rejectedTerm) {
      index--;
    }
    return index;
  }

  /** A Ready takes the unstable entries: from now on an overwrite limits what it makes durable. */
  List<LogEntry> takeUnstableEntries() {
    truncatedSinceReady = Long.MAX_VALUE;
    return unstableEntries();
  }

  List<LogEntry> unstableEntries() {
    return stableIndex >= lastIndex() ? List.of() : new ArrayList<>(entries.subList(
        (int) (stableIndex - snapshotIndex), entries.size()));
  }

  /** The entries of a persisted Ready up to {@code index} with {@code term} are now durable. */
  void stableTo(long index, long term) {
    // An overwrite at j while the batch was being written leaves only the entries below j durable.
    long limit = Math.min(index, truncatedSinceReady - 1);
    if (limit > stableIndex && (limit < index || matchTerm(index, term))) {
      stableIndex = limit;
    }
    truncatedSinceReady = Long.MAX_VALUE;
  }

  long stableIndex() {
    return stableIndex;
  }

  long commitIndex() {
    return commitIndex;
  }

  long appliedIndex() {
    return appliedIndex;
  }

  void commitTo(long index) {
    if (index > commitIndex) {
      if (index > lastIndex()) {
        throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex());
      }
      commitIndex = index;
    }
  }

  /** Committed entries that are durable here and not yet handed out for applying. */
  List<LogEntry> nextCommitted(long handedOutTo) {
    long to = Math.min(commitIndex, stableIndex);
    if (to <= handedOutTo) {
      return List.of();
    }
    return new ArrayList<>(entries.subList((int) (handedOutTo - snapshotIndex), (int) (to - snapshotIndex)));
  }

  void appliedTo(long index) {
    if (index < appliedIndex || index > commitIndex) {
      throw new IllegalStateException("applied " + index + " outside [" + appliedIndex + ", " + commitIndex + "]");
    }
    appliedIndex = index;
  }

  /** Drops the entries up to {@code index} from memory; they are covered by a durable snapshot. */
  void compact(long index) {
    if (index <= snapshotIndex) {
      return;
    }
    if (index > appliedIndex || index > stableIndex) {
      throw new IllegalStateException("compact to " + index + " beyond applied " + appliedIndex + " or stable "
          + stableIndex);
    }
    long newTerm = term(index);
    entries.subList(0, (int) (index - snapshotIndex)).clear();
    snapshotIndex = index;
    snapshotTerm = newTerm;
  }

  /** Replaces the whole log with a snapshot that ends at (index, term): nothing else is kept (§7). */
  void restore(long index, long term) {
    entries.clear();
    snapshotIndex = index;
    snapshotTerm = term;
    stableIndex = index;
    commitIndex = index;
    appliedIndex = index;
    truncatedSinceReady = Long.MAX_VALUE;
  }

  void checkInvariants() {
    if (!(snapshotIndex <= appliedIndex && appliedIndex <= commitIndex && commitIndex <= lastIndex())) {
      throw new AssertionError("log indexes out of order: snapshot=" + snapshotIndex + " applied=" + appliedIndex
          + " commit=" + commitIndex + " last=" + lastIndex());
    }
    if (stableIndex > lastIndex()) {
      throw new AssertionError("stable " + stableIndex + " beyond last " + lastIndex());
    }
  }
}
