package io.raftbed.node;

import io.raftbed.raft.Membership;
import io.raftbed.raft.Message;

/**
 * Sends Raft messages to peers. Best effort: a message may be lost, duplicated, delayed or
 * reordered, and Raft tolerates all of it. Called only on the node's thread; must not block.
 */
public interface Transport {
  void send(Message message);

  /** The configuration changed: new members' addresses are here; removed members can be forgotten. */
  default void membershipChanged(Membership membership) {}
}
