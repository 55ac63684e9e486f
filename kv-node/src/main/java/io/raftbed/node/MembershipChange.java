package io.raftbed.node;

/** An administrative change of the cluster's configuration, one server at a time. */
public sealed interface MembershipChange {
  int nodeId();

  /** Adds a non-voting member that receives the log. */
  record AddLearner(int nodeId, String address) implements MembershipChange {}

  /** Adds a voter: first as a learner, promoted once its log has caught up with the commit index. */
  record AddVoter(int nodeId, String address) implements MembershipChange {}

  /** Removes a voter or a learner; a leader that removes itself steps down once the change commits. */
  record Remove(int nodeId) implements MembershipChange {}
}
