package io.raftbed.runtime.peer;

import io.raftbed.raft.Message;

/**
 * What one frame on a peer connection carries: the handshake that opens every connection, or a
 * Raft message. Immutable values.
 */
public sealed interface PeerFrame {
  /**
   * The first frame a dialing node sends. The accepting node closes the connection unless the
   * cluster id is its own, {@code to} is its id and it accepts {@code from} as a peer.
   *
   * @param clusterId the cluster's name, at most {@link PeerCodec#CLUSTER_ID_BYTES_MAX} UTF-8 bytes
   * @param from the dialing node's id
   * @param to the id the dialer believes the accepting node has
   * @param address where the dialer serves, in the form of a configuration address (see
   *     {@code Member#address()}), or empty; at most {@link PeerCodec#ADDRESS_BYTES_MAX} UTF-8 bytes.
   *     It lets a node that has not yet seen the configuration entry adding the dialer answer it: a
   *     node restarted behind a leader that joined while it was down.
   */
  record Hello(String clusterId, int from, int to, String address) implements PeerFrame {
    public Hello {
      java.util.Objects.requireNonNull(address, "address (empty when unknown)");
    }
  }

  /** A Raft message. */
  record Raft(Message message) implements PeerFrame {}
}
