package io.raftbed.raft;

import java.util.List;

/**
 * The messages Raft nodes exchange. Every message names its sender, its receiver and the sender's
 * term; receivers dispatch with an exhaustive {@code switch}. Messages are immutable values, so the
 * simulator may duplicate or reorder them freely, and the real transport may encode them lazily.
 *
 * <p>Node ids are positive ints; 0 means "none".
 */
public sealed interface Message {
  int from();

  int to();

  long term();

  /**
   * A candidate asks for a vote (§5.2), or a pre-candidate asks whether it could win (§9.6).
   *
   * @param preVote true for a pre-vote: {@code term} is the term the sender would campaign in, and
   *     the receiver changes no state
   * @param transfer true when the leader asked this campaign (leadership transfer, §3.10): receivers
   *     vote even if they recently heard from a leader
   */
  record RequestVote(int from, int to, long term, long lastLogIndex, long lastLogTerm, boolean preVote, boolean transfer)
      implements Message {}

  /** The answer to a {@link RequestVote}; for a granted pre-vote {@code term} echoes the request's. */
  record VoteResponse(int from, int to, long term, boolean granted, boolean preVote) implements Message {}

  /**
   * The leader replicates entries (§5.3). Sent with no entries it still probes and carries the
   * commit index.
   *
   * @param prevLogIndex index of the entry just before {@code entries}
   * @param prevLogTerm term of that entry (0 when {@code prevLogIndex} is 0)
   * @param leaderCommit the leader's commit index
   */
  record AppendEntries(int from, int to, long term, long prevLogIndex, long prevLogTerm, List<LogEntry> entries,
      long leaderCommit) implements Message {
    public AppendEntries {
      entries = List.copyOf(entries);
    }

    public long lastIndex() {
      return prevLogIndex + entries.size();
    }
  }

  /**
   * The answer to {@link AppendEntries}.
   *
   * @param success whether the log matched at the request's {@code prevLogIndex}
   * @param index on success the last index now known to match the leader's log; on rejection the
   *     {@code prevLogIndex} that was rejected (lets the leader drop stale rejections)
   * @param rejectHint on rejection, the highest index at which the follower's log might match: its
   *     last index, or the last index of a term not above the rejected term (§5.3 optimisation)
   */
  record AppendResponse(int from, int to, long term, boolean success, long index, long rejectHint)
      implements Message {}

  /**
   * A leader's heartbeat (§5.2). It asserts leadership and carries a commit index that is safe for
   * this follower ({@code min(match, commit)}), and the latest ReadIndex round (§6.4).
   */
  record Heartbeat(int from, int to, long term, long commit, long readRound) implements Message {}

  /** The answer to a {@link Heartbeat}, echoing its read round. */
  record HeartbeatResponse(int from, int to, long term, long readRound, long lastIndex) implements Message {}

  /**
   * One chunk of the leader's snapshot for a follower whose next entry is compacted (§7). Chunks are
   * sent in order; a follower that missed one answers with the offset it expects, so transfers
   * resume rather than restart.
   *
   * @param index the last log index the snapshot covers
   * @param snapshotTerm the term of that entry
   * @param membership the configuration as of {@code index}
   * @param totalBytes the snapshot's size
   * @param offset where {@code chunk} starts in the snapshot
   */
  record InstallSnapshot(int from, int to, long term, long index, long snapshotTerm, Membership membership,
      long totalBytes, long offset, byte[] chunk) implements Message {
    public boolean isLast() {
      return offset + chunk.length >= totalBytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InstallSnapshot s && s.from == from && s.to == to && s.term == term && s.index == index
          && s.snapshotTerm == snapshotTerm && s.offset == offset && s.totalBytes == totalBytes
          && s.membership.equals(membership) && java.util.Arrays.equals(s.chunk, chunk);
    }

    @Override
    public int hashCode() {
      return (int) (index * 31 + offset) * 31 + java.util.Arrays.hashCode(chunk);
    }

    @Override
    public String toString() {
      return "InstallSnapshot[" + from + "->" + to + " t" + term + " " + index + "@" + snapshotTerm + " "
          + offset + "+" + chunk.length + "/" + totalBytes + "]";
    }
  }

  /**
   * The answer to an {@link InstallSnapshot}: {@code done} once the follower holds the snapshot
   * durably (or already had everything it covers); otherwise the offset it expects next.
   */
  record SnapshotResponse(int from, int to, long term, long index, long nextOffset, boolean done) implements Message {}

  /** The leader asks a caught-up follower to campaign at once (leadership transfer, §3.10). */
  record TimeoutNow(int from, int to, long term) implements Message {}
}
