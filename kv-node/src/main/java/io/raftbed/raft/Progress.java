package io.raftbed.raft;

import java.util.ArrayDeque;

/**
 * The leader's view of one follower's log (§5.3 nextIndex/matchIndex), with etcd-style flow
 * control: in {@code PROBE} the leader sends one append and waits for its answer; in
 * {@code REPLICATE} it streams appends optimistically, at most {@code inflightMax} unanswered.
 *
 * <p>Invariant: {@code match < next}.
 */
final class Progress {
  enum State { PROBE, REPLICATE, SNAPSHOT }

  /** Highest index known to match the leader's log. */
  long match;
  /** Index of the next entry to send. */
  long next;
  State state = State.PROBE;
  /** In PROBE: an append is out and unanswered, so wait (a heartbeat response clears it). */
  boolean probeSent;
  /** Whether the follower answered since the leader's last check-quorum round. */
  boolean recentActive;
  /** In SNAPSHOT: the snapshot being sent, how much of it the follower has, and whether a chunk is out. */
  long snapshotIndex;
  long snapshotOffset;
  boolean snapshotChunkSent;
  /** Highest ReadIndex round this follower acknowledged. */
  long readRoundAcked;
  /** Last indexes of appends in flight in REPLICATE, oldest first; at most inflightMax. */
  private final ArrayDeque<Long> inflight = new ArrayDeque<>();
  private final int inflightMax;

  Progress(long next, int inflightMax) {
    this.next = next;
    this.inflightMax = inflightMax;
  }

  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflight.size() >= inflightMax;
      case SNAPSHOT -> true; // chunks go out through the snapshot path, not appends
    };
  }

  /** The follower needs the snapshot ending at {@code index}: send it from the start. */
  void becomeSnapshot(long index) {
    state = State.SNAPSHOT;
    snapshotIndex = index;
    snapshotOffset = 0;
    snapshotChunkSent = false;
    inflight.clear();
  }

  /** The follower holds everything up to {@code index} from a snapshot: probe from just after it. */
  void snapshotDone(long index) {
    match = Math.max(match, index);
    next = match + 1;
    state = State.PROBE;
    probeSent = false;
    snapshotChunkSent = false;
  }

  void becomeProbe() {
    state = State.PROBE;
    next = match + 1;
    probeSent = false;
    inflight.clear();
  }

  void becomeReplicate() {
    state = State.REPLICATE;
    next = match + 1;
    inflight.clear();
  }

  /** An append of entries up to {@code lastIndex} went out. */
  void sent(long lastIndex, boolean hadEntries) {
    switch (state) {
      case PROBE -> probeSent = true;
      case REPLICATE -> {
        if (hadEntries) {
          next = lastIndex + 1;
          inflight.addLast(lastIndex);
        }
      }
      case SNAPSHOT -> throw new IllegalStateException("append sent while a snapshot is in flight");
    }
  }

  /** The follower matches up to {@code index}; returns whether that is news. */
  boolean maybeUpdate(long index) {
    boolean updated = index > match;
    if (updated) {
      match = index;
      probeSent = false;
    }
    next = Math.max(next, index + 1);
    while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
      inflight.removeFirst();
    }
    return updated;
  }

  /**
   * The follower rejected an append whose previous index was {@code rejected}. Returns false for
   * a stale rejection (one that an answered later message overtook).
   */
  boolean maybeDecrease(long rejected, long hint) {
    if (state == State.SNAPSHOT) {
      return false; // answers to appends sent before the snapshot started
    }
    if (state == State.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      becomeProbe();
      return true;
    }
    if (rejected != next - 1) {
      return false;
    }
    next = Math.max(match + 1, Math.min(rejected, hint + 1));
    probeSent = false;
    return true;
  }

  /** A heartbeat answer: unblock a waiting probe, and free a slot if the window is stuck full. */
  void onHeartbeatResponse() {
    probeSent = false;
    snapshotChunkSent = false; // a lost chunk is sent again
    if (state == State.REPLICATE && inflight.size() >= inflightMax) {
      inflight.removeFirst();
    }
  }

  void checkInvariants(int peer) {
    if (match >= next) {
      throw new AssertionError("progress of " + peer + ": match " + match + " >= next " + next);
    }
  }

  @Override
  public String toString() {
    return state + "[match=" + match + " next=" + next + " inflight=" + inflight.size() + "]";
  }
}
