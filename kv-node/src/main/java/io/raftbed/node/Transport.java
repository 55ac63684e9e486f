package io.raftbed.node;

import io.raftbed.raft.Message;

/**
 * Sends Raft messages to peers. Best effort: a message may be lost, duplicated, delayed or
 * reordered, and Raft tolerates all of it. Called only on the node's thread; must not block.
 */
public interface Transport {
  void send(Message message);
}
