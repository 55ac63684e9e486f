package io.raftbed.runtime;

import io.raftbed.raft.Membership;

/** How an {@link AdminRequest} ended, as the HTTP API maps it to a status. Immutable values. */
public sealed interface AdminReply {
  /** Done: the configuration (or the leader) is now as asked; 200 with the configuration. */
  record Done(Membership membership, int leaderId) implements AdminReply {}

  /** This node does not lead; the API forwards to {@code leaderId} (0: none known, 503). */
  record NotLeader(int leaderId) implements AdminReply {}

  /** The request contradicts the configuration (404 no such member, 409 conflict); nothing changed. */
  record Refused(int status, String code, String message) implements AdminReply {}

  /**
   * Not carried out now: another change or a transfer is running, or leadership moved meanwhile (to
   * another node than a transfer asked for); retry; 503.
   */
  record Unavailable(String reason) implements AdminReply {}

  /** The outcome is unknown (timed out); the change may still take effect; 504. */
  record Unknown(String reason) implements AdminReply {}
}
