package io.raftbed.node;

import io.raftbed.kv.Result;

/**
 * The node's answer to a {@link ClientRequest}. Each kind says whether the request may have taken
 * effect, which is what a Jepsen history needs: {@link Done} happened; {@link NotLeader},
 * {@link Rejected} and {@link Unavailable} certainly did not; {@link Unknown} may or may not have.
 */
public sealed interface ClientReply {
  /** The request took effect (or was read) with this result. */
  record Done(Result result) implements ClientReply {}

  /** This node is not the leader; {@code leaderId} is its best guess, 0 when it knows none. */
  record NotLeader(int leaderId) implements ClientReply {}

  /** Not applied and never will be: busy, leadership lost before proposing, no quorum for a read. */
  record Unavailable(String reason) implements ClientReply {}

  /** Not applied: the request is malformed or over a limit ({@code tooLarge}). */
  record Rejected(String reason, boolean tooLarge) implements ClientReply {}

  /** The outcome is unknown: the request was proposed and may still be applied. */
  record Unknown(String reason) implements ClientReply {}

  /** Delivers a reply; called on the node's thread, must not block. */
  @FunctionalInterface
  interface Sink {
    void reply(ClientReply reply);
  }
}
