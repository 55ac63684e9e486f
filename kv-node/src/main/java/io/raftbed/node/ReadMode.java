package io.raftbed.node;

/** How a read is served. */
public enum ReadMode {
  /** Linearizable: the leader confirms its leadership with a quorum first (ReadIndex, §6.4). */
  LINEARIZABLE,
  /** Served from this node's local state at once; may return an old value. */
  STALE
}
