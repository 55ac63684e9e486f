package io.raftbed.runtime;

import io.raftbed.runtime.config.Member;

/**
 * An administrative request the HTTP API hands to the leader: a change of the configuration, one
 * server at a time, or a leadership transfer. Immutable values.
 */
public sealed interface AdminRequest {
  /** A short label for metrics and logs. */
  String label();

  /**
   * Adds {@code member}: as a voter (a learner first, promoted by the driver once its log caught up),
   * or as a learner that stays one.
   */
  record AddMember(Member member, boolean asVoter) implements AdminRequest {
    @Override
    public String label() {
      return asVoter ? "add_voter" : "add_learner";
    }
  }

  /** Removes a voter or a learner; the leader may remove itself and steps down once that commits. */
  record RemoveMember(int id) implements AdminRequest {
    @Override
    public String label() {
      return "remove_member";
    }
  }

  /** Hands leadership to voter {@code target} (§3.10). */
  record TransferLeadership(int target) implements AdminRequest {
    @Override
    public String label() {
      return "transfer_leader";
    }
  }
}
