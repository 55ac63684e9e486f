package io.raftbed.raft;

/**
 * The state a node must persist before it answers anything that depends on it (§5.1, Figure 2):
 * the current term and the vote cast in it; the commit index is persisted too so that a restarted
 * node can apply without waiting for a leader, but losing it is safe.
 *
 * @param term the latest term this node has seen, never decreasing
 * @param votedFor the candidate voted for in {@code term}, or {@link #NO_VOTE}
 * @param commitIndex the highest index known committed when this state was produced
 */
public record HardState(long term, int votedFor, long commitIndex) {
  public static final int NO_VOTE = 0;
  public static final HardState EMPTY = new HardState(0, NO_VOTE, 0);

  public HardState {
    if (term < 0 || commitIndex < 0 || votedFor < 0) {
      throw new IllegalArgumentException("invalid hard state term=" + term + " vote=" + votedFor + " commit=" + commitIndex);
    }
  }

  /** True when term or vote differ: these must be fsynced before replies go out. */
  public boolean mustSyncAgainst(HardState previous) {
    return term != previous.term || votedFor != previous.votedFor;
  }
}
