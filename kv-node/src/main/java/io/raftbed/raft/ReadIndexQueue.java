package io.raftbed.raft;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * The leader's pending ReadIndex reads (dissertation §6.4). A read records the commit index when it
 * was asked; the leader then confirms it is still leader by a heartbeat round that a quorum
 * answers, after which the read may be served at that index. Reads asked before the leader has
 * committed an entry of its own term wait for that first (§6.4 step 1).
 *
 * <p>Rounds only grow, and a round confirms every read of that round and of earlier rounds.
 */
final class ReadIndexQueue {
  private record Pending(long readId, long index, long round) {}

  /** Reads waiting for the leader's first commit in its term. */
  private final ArrayDeque<Long> waitingForTermCommit = new ArrayDeque<>();
  /** Reads with an index, waiting for their round to be confirmed; rounds ascending. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  /** Reads with an index whose round has not been broadcast yet. */
  private final ArrayDeque<Pending> unsent = new ArrayDeque<>();
  private long round;
  /** Start tick of the most recent rounds: {@code roundStartTicks[r % length]} for round r. */
  private final long[] roundStartTicks = new long[64];
  private final int readsPendingMax;

  ReadIndexQueue(int readsPendingMax) {
    this.readsPendingMax = readsPendingMax;
  }

  int size() {
    return waitingForTermCommit.size() + pending.size() + unsent.size();
  }

  boolean isFull() {
    return size() >= readsPendingMax;
  }

  long round() {
    return round;
  }

  void waitForTermCommit(long readId) {
    waitingForTermCommit.addLast(readId);
  }

  /** The leader committed in its term: every waiting read gets the current commit index. */
  void termCommitted(long commitIndex) {
    while (!waitingForTermCommit.isEmpty()) {
      add(waitingForTermCommit.removeFirst(), commitIndex);
    }
  }

  void add(long readId, long commitIndex) {
    unsent.addLast(new Pending(readId, commitIndex, 0));
  }

  boolean hasUnsent() {
    return !unsent.isEmpty();
  }

  /** Starts a new round at {@code nowTick} for every unsent read; returns the round to broadcast. */
  long startRound(long nowTick) {
    round++;
    roundStartTicks[(int) (round % roundStartTicks.length)] = nowTick;
    while (!unsent.isEmpty()) {
      Pending p = unsent.removeFirst();
      pending.addLast(new Pending(p.readId, p.index, round));
    }
    return round;
  }

  /** Confirms every read whose round a quorum acknowledged; {@code acks} maps voter to its highest round. */
  void confirm(Map<Integer, Long> acks, int quorum, List<ReadState> out) {
    while (!pending.isEmpty()) {
      long r = pending.peekFirst().round;
      long count = acks.values().stream().filter(a -> a >= r).count();
      if (count < quorum) {
        return;
      }
      while (!pending.isEmpty() && pending.peekFirst().round <= r) {
        Pending p = pending.removeFirst();
        out.add(new ReadState(p.readId, p.index));
      }
    }
  }

  /** The tick at which {@code r} started, or -1 when it is too old to remember. */
  long startTickOf(long r) {
    return r <= 0 || r <= round - roundStartTicks.length ? -1 : roundStartTicks[(int) (r % roundStartTicks.length)];
  }

  void clear() {
    waitingForTermCommit.clear();
    pending.clear();
    unsent.clear();
  }
}
