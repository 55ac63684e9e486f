package io.raftbed.runtime.peer;

import io.raftbed.raft.Message;

/**
 * What one frame on a peer connection carries: the handshake that opens every connection, or a
 * Raft message. Immutable values.
 */
public sealed interface PeerFrame {
  /**
   * The first frame a dialing node sends. The accepting node closes the connection unless the
   * cluster id is its own, {@code to} is its id and {@code from} is a member.
   *
   * @param clusterId the cluster's name, at most {@link PeerCodec#CLUSTER_ID_BYTES_MAX} UTF-8 bytes
   * @param from the dialing node's id
   * @param to the id the dialer believes the accepting node has
   */
  record Hello(String clusterId, int from, int to) implements PeerFrame {}

  /** A Raft message. */
  record Raft(Message message) implements PeerFrame {}
}
