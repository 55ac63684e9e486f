package io.raftbed.runtime;

import io.raftbed.raft.Membership;
import io.raftbed.raft.Role;

/**
 * A snapshot of a node's state for status pages and metrics, taken on the node's thread.
 *
 * @param running false once the node stopped (or before it started)
 * @param leaderId the leader this node knows of, 0 for none
 * @param lastIndex index of the last log entry, durable or not
 * @param syncedIndex highest entry index known fsynced on this node
 * @param electionsWon elections this node won since it started
 * @param pendingRequests client requests waiting for commit or read confirmation
 * @param membership the configuration this node uses (the newest in its log, committed or not)
 * @param snapshotsSent snapshots this node sent as leader since it started
 * @param snapshotsInstalled leaders' snapshots this node installed since it started
 */
public record NodeStatus(int id, boolean running, Role role, long term, int leaderId, long commitIndex,
    long appliedIndex, long lastIndex, long syncedIndex, int keys, long electionsWon, int pendingRequests,
    Membership membership, long snapshotsSent, long snapshotsInstalled) {

  /** The status of a node that is not running: nothing known. */
  public static NodeStatus stopped(int id) {
    return new NodeStatus(id, false, Role.FOLLOWER, 0, 0, 0, 0, 0, 0, 0, 0, 0, Membership.ofVoters(java.util.List.of()),
        0, 0);
  }
}
