package io.raftbed.raft;

import java.util.List;

/**
 * Static settings of one Raft node. Time is counted in ticks: the driver calls
 * {@link RaftNode#tick()} every {@code tickIntervalMillis} of its own clock.
 *
 * @param id this node's id, positive
 * @param voters the initial voting members, including this node when it is one
 * @param electionTicksMin a follower that hears nothing for a random number of ticks in
 *     [{@code electionTicksMin}, {@code electionTicksMax}) campaigns (§5.2)
 * @param electionTicksMax exclusive upper bound of the election timeout
 * @param heartbeatTicks ticks between leader heartbeats; well below {@code electionTicksMin}
 * @param preVote run a pre-vote before campaigning (§9.6), so a rejoining node does not depose
 *     a healthy leader
 * @param checkQuorum a leader steps down when it has not heard from a quorum for an election
 *     timeout, and followers ignore vote requests while they hear from a leader (§6.2, §9.6)
 * @param inflightAppendsMax append messages in flight to one follower before the leader waits
 * @param appendBytesMax entry bytes in one append message (at least one entry is always sent)
 * @param uncommittedEntriesMax entries a leader accepts beyond its commit index before refusing
 *     proposals (back-pressure)
 * @param readsPendingMax ReadIndex requests waiting for confirmation before refusing more
 * @param leaseReads serve linearizable reads from the leader's lease (dissertation §6.4.1) while it
 *     holds one, instead of a heartbeat round per read; needs {@code checkQuorum}
 * @param clockDriftBoundPermille the most any node's clock may run fast or slow, in thousandths:
 *     the lease is shortened so that it stays safe when clocks drift within this bound, and is
 *     unsafe beyond it
 */
public record RaftConfig(int id, List<Integer> voters, int electionTicksMin, int electionTicksMax, int heartbeatTicks,
    boolean preVote, boolean checkQuorum, int inflightAppendsMax, int appendBytesMax, int uncommittedEntriesMax,
    int readsPendingMax, boolean leaseReads, int clockDriftBoundPermille) {

  public RaftConfig {
    voters = List.copyOf(voters);
    if (id <= 0) {
      throw new IllegalArgumentException("node id must be positive: " + id);
    }
    if (voters.isEmpty() || voters.stream().anyMatch(v -> v <= 0)) {
      throw new IllegalArgumentException("voters must be positive ids: " + voters);
    }
    if (voters.stream().distinct().count() != voters.size()) {
      throw new IllegalArgumentException("voters must be distinct: " + voters);
    }
    if (heartbeatTicks < 1 || electionTicksMin <= heartbeatTicks || electionTicksMax <= electionTicksMin) {
      throw new IllegalArgumentException("need 1 <= heartbeat < electionMin < electionMax, got heartbeat="
          + heartbeatTicks + " election=[" + electionTicksMin + "," + electionTicksMax + ")");
    }
    if (inflightAppendsMax < 1 || appendBytesMax < 1 || uncommittedEntriesMax < 1 || readsPendingMax < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (clockDriftBoundPermille < 0 || clockDriftBoundPermille >= 1000) {
      throw new IllegalArgumentException("clock drift bound must be in [0, 1000) permille: " + clockDriftBoundPermille);
    }
    if (leaseReads && !checkQuorum) {
      throw new IllegalArgumentException("lease reads need check-quorum: followers must refuse votes during a lease");
    }
  }

  /**
   * Ticks a lease lasts from the start of the heartbeat round that a quorum confirmed: followers
   * refuse to vote for {@code electionTicksMin} of their ticks, which with clocks off by up to the
   * drift bound is at least {@code electionTicksMin * (1 - d) / (1 + d)} of the leader's.
   */
  public int leaseTicks() {
    return (int) ((long) electionTicksMin * (1000 - clockDriftBoundPermille) / (1000 + clockDriftBoundPermille));
  }

  /** Defaults for {@code id} in a cluster of {@code voters}: 10 ticks of heartbeat, election 30-60. */
  public static RaftConfig defaults(int id, List<Integer> voters) {
    return new RaftConfig(id, voters, 30, 60, 10, true, true, 64, 1 << 20, 10_000, 10_000, false, 100);
  }

  public RaftConfig withVoters(List<Integer> newVoters) {
    return new RaftConfig(id, newVoters, electionTicksMin, electionTicksMax, heartbeatTicks, preVote, checkQuorum,
        inflightAppendsMax, appendBytesMax, uncommittedEntriesMax, readsPendingMax, leaseReads, clockDriftBoundPermille);
  }

  /** Append flow control: entry bytes per append message and appends in flight per follower. */
  public RaftConfig withFlowControl(int appendBytes, int inflightAppends) {
    return new RaftConfig(id, voters, electionTicksMin, electionTicksMax, heartbeatTicks, preVote, checkQuorum,
        inflightAppends, appendBytes, uncommittedEntriesMax, readsPendingMax, leaseReads, clockDriftBoundPermille);
  }

  public RaftConfig withTiming(int electionMin, int electionMax, int heartbeat) {
    return new RaftConfig(id, voters, electionMin, electionMax, heartbeat, preVote, checkQuorum, inflightAppendsMax,
        appendBytesMax, uncommittedEntriesMax, readsPendingMax, leaseReads, clockDriftBoundPermille);
  }

  public RaftConfig withPreVoteAndCheckQuorum(boolean preVoteOn, boolean checkQuorumOn) {
    return new RaftConfig(id, voters, electionTicksMin, electionTicksMax, heartbeatTicks, preVoteOn, checkQuorumOn,
        inflightAppendsMax, appendBytesMax, uncommittedEntriesMax, readsPendingMax, leaseReads && checkQuorumOn,
        clockDriftBoundPermille);
  }

  /** Turns lease reads on or off, with the clock drift bound the lease must tolerate. */
  public RaftConfig withLeaseReads(boolean on, int driftBoundPermille) {
    return new RaftConfig(id, voters, electionTicksMin, electionTicksMax, heartbeatTicks, preVote, checkQuorum,
        inflightAppendsMax, appendBytesMax, uncommittedEntriesMax, readsPendingMax, on, driftBoundPermille);
  }
}
