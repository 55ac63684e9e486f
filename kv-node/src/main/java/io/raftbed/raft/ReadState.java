package io.raftbed.raft;

/**
 * A linearizable read that the leader has confirmed (ReadIndex, dissertation §6.4): once the state
 * machine has applied {@code index}, a read issued with {@code readId} may be served locally.
 *
 * @param readId the id the caller passed to {@link RaftNode#readIndex(long)}
 * @param index the commit index when the read was requested
 */
public record ReadState(long readId, long index) {}
