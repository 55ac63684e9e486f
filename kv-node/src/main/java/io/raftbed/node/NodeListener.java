package io.raftbed.node;

import io.raftbed.kv.Result;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Ready;
import io.raftbed.raft.Snapshot;

/**
 * Observes a node's driver: the simulator checks invariants with it, the real runtime keeps
 * metrics. Called on the node's thread; must be quick and must not call back into the node.
 */
public interface NodeListener {
  NodeListener NONE = new NodeListener() {};

  /** A committed entry was applied; {@code result} is null for entries that are not commands. */
  default void applied(int nodeId, LogEntry entry, Result result) {}

  /** The node's role, leader or term changed. */
  default void softStateChanged(int nodeId, Ready.SoftState state) {}

  /** A batch was persisted: {@code entries} records with one fsync when {@code synced}. */
  default void persisted(int nodeId, int entries, boolean synced) {}

  /** A snapshot of the state machine taken on this node is durable. */
  default void snapshotSaved(int nodeId, Snapshot snapshot) {}

  /** A client request was answered. */
  default void replied(int nodeId, ClientRequest request, ClientReply reply) {}
}
