package io.raftbed.raft;

/** A node's role. {@code PRE_CANDIDATE} is the pre-vote phase (dissertation §9.6). */
public enum Role {
  FOLLOWER,
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
