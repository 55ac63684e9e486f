package io.raftbed.sim;

import io.raftbed.raft.Membership;
import io.raftbed.raft.RaftNode;
import io.raftbed.raft.Role;

/**
 * Liveness while faults last, not only after the final heal: whenever a quorum of voters is up,
 * healthy and connected to each other (both ways) for {@link #ELECTION_TIMEOUTS_MAX} election
 * timeouts, the cluster must commit a new entry, unless it has an idle leader (one that has
 * committed an entry of its term, has nothing uncommitted and is not handing over): a leaderless
 * cluster, and a leader whose entries do not commit, both fail. A leadership transfer must end
 * (done or abandoned) within an election timeout of the leader's own ticks.
 *
 * <p>A node is healthy when it runs, is not paused, its disk is not full and its clock runs within
 * 30% of true; links are connected when neither direction is cut and no message faults (loss,
 * duplication, delay) are on. A quorum is healthy when some healthy node could win an election by its
 * own rules: it may campaign (a voter of its newest configuration, or of its committed one, §4.2.2),
 * and a quorum of its newest configuration's voters are healthy, connected to each other and to it,
 * and hold logs no more up to date than its own (each would grant it a vote, §5.4.1). Judging by one
 * node's configuration for all (say, the most advanced log's) is wrong when that configuration is
 * uncommitted and the others still count by an older one: swarm seed 3947 had an isolated node
 * holding a configuration that removed it, whose quorum the other two formed, while they themselves
 * still needed that node or a crashed one. The stall check runs only where pre-vote and check-quorum are both on: without them
 * a partially connected node may depose leader after leader by design (§4.2.3, §9.6). The transfer
 * check runs everywhere.
 *
 * <p>Evaluated from the simulation loop every quarter of an election timeout of virtual time, after
 * the event that crosses that instant; it schedules nothing, so runs and digests are unchanged.
 * Single-threaded, one per {@link Simulation}.
 */
public final class InFaultLiveness {
  /** k: election timeouts (the configured maximum) a healthy quorum may go without committing. */
  public static final int ELECTION_TIMEOUTS_MAX = 10;
  private static final int CLOCK_SKEW_MAX_PERMILLE = 300;

  private final Simulation sim;
  private final SimConfig config;
  private final boolean stallCheck;
  private final long electionTimeoutMicros;
  private final long intervalMicros;
  private long nextMicros;
  /** When the current stretch of a healthy quorum with waiting writes and no commit began, or -1. */
  private long stallSinceMicros = -1;
  private long committedSeen;
  /** Per node: the transfer watched (its term, the core's count of transfers started) and the tick first seen at. */
  private final long[] transferTerm;
  private final long[] transferCount;
  private final long[] transferSeenTick;

  /** Evaluations at which a healthy quorum existed. */
  long healthyEvaluations;
  /** All evaluations. */
  long evaluations;
  /** The longest stretch seen of a healthy quorum with writes waiting and nothing committed. */
  long longestStallMicros;

  InFaultLiveness(Simulation sim, SimConfig config) {
    this.sim = sim;
    this.config = config;
    this.stallCheck = config.preVote() && config.checkQuorum();
    this.electionTimeoutMicros = (long) config.electionTicksMax() * config.tickMillis() * 1000;
    this.intervalMicros = Math.max(1_000, electionTimeoutMicros / 4);
    this.nextMicros = intervalMicros;
    this.transferTerm = new long[config.machines() + 1];
    this.transferCount = new long[config.machines() + 1];
    this.transferSeenTick = new long[config.machines() + 1];
  }

  /** Called after every event; does its work only when an evaluation instant has passed. */
  void afterEvent(long nowMicros) {
    if (nowMicros < nextMicros) {
      return;
    }
    nextMicros = nowMicros + intervalMicros;
    evaluations++;
    checkTransfers();
    if (stallCheck) {
      checkStall(nowMicros);
    }
  }

  private void checkStall(long nowMicros) {
    long committed = sim.invariants().committedKnown();
    boolean progress = committed > committedSeen;
    committedSeen = committed;
    Membership m = electable();
    boolean healthy = m != null;
    if (healthy) {
      healthyEvaluations++;
    }
    if (!healthy || progress || idleLeader()) {
      stallSinceMicros = -1;
      return;
    }
    if (stallSinceMicros < 0) {
      stallSinceMicros = nowMicros;
      return;
    }
    long stall = nowMicros - stallSinceMicros;
    longestStallMicros = Math.max(longestStallMicros, stall);
    if (stall > ELECTION_TIMEOUTS_MAX * electionTimeoutMicros) {
      sim.violation("liveness-in-fault", "a node could have won an election with a quorum of " + m + " up and connected for " + stall / 1000
          + " ms (more than " + ELECTION_TIMEOUTS_MAX + " election timeouts of " + electionTimeoutMicros / 1000
          + " ms), and nothing was committed and no leader was idle (commit index " + committed + "; "
          + roles() + ")");
    }
  }

  /** A leader that committed in its term, has every entry committed and is not transferring: no work is waiting. */
  private boolean idleLeader() {
    for (int id = 1; id <= config.machines(); id++) {
      SimNode n = sim.node(id);
      if (n.isUp() && !n.isPaused()) {
        RaftNode r = n.node().raft();
        if (r.role() == Role.LEADER && r.termAt(r.commitIndex()) == r.term() && r.commitIndex() == r.lastIndex()
            && r.transferTarget() == 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The configuration by which some healthy node could win an election now (see the class comment),
   * or null when none could.
   */
  private Membership electable() {
    if (sim.network().faultsActive()) {
      return null;
    }
    for (int n = 1; n <= config.machines(); n++) {
      int id = n;
      if (!healthy(id)) {
        continue;
      }
      RaftNode r = sim.node(id).node().raft();
      Membership m = r.membership();
      if (!m.isVoter(id) && !r.membershipAt(r.commitIndex()).isVoter(id)) {
        continue;
      }
      long lastIndex = r.lastIndex();
      long lastTerm = r.termAt(lastIndex);
      int[] voters = m.voters().keySet().stream().mapToInt(Integer::intValue)
          .filter(v -> v == id || (healthy(v) && linked(id, v) && notAhead(v, lastIndex, lastTerm))).toArray();
      if (voters.length >= Invariants.majority(m) && someQuorumConnected(voters, Invariants.majority(m))) {
        return m;
      }
    }
    return null;
  }

  /** Whether node {@code v}'s log is no more up to date than (lastIndex, lastTerm) (§5.4.1). */
  private boolean notAhead(int v, long lastIndex, long lastTerm) {
    RaftNode r = sim.node(v).node().raft();
    long vTerm = r.termAt(r.lastIndex());
    return vTerm < lastTerm || (vTerm == lastTerm && r.lastIndex() <= lastIndex);
  }

  private boolean linked(int a, int b) {
    return !sim.network().isBlocked(a, b) && !sim.network().isBlocked(b, a);
  }

  /** Whether some {@code quorum} of {@code ids} are connected both ways to each other. */
  private boolean someQuorumConnected(int[] ids, int quorum) {
    if (!sim.network().anyBlocked()) {
      return true;
    }
    // At most 7 voters: try every subset (largest first would not be faster here).
    for (int mask = 1; mask < (1 << ids.length); mask++) {
      if (Integer.bitCount(mask) >= quorum && connected(ids, mask)) {
        return true;
      }
    }
    return false;
  }

  private boolean connected(int[] ids, int mask) {
    for (int i = 0; i < ids.length; i++) {
      for (int j = i + 1; j < ids.length; j++) {
        if ((mask >> i & 1) == 1 && (mask >> j & 1) == 1 && !linked(ids[i], ids[j])) {
          return false;
        }
      }
    }
    return true;
  }

  private boolean healthy(int id) {
    if (id < 1 || id > config.machines()) {
      return false;
    }
    SimNode n = sim.node(id);
    return n.isUp() && !n.isPaused() && !n.disk.isFull()
        && Math.abs(n.clockRatePermille() - 1000) <= CLOCK_SKEW_MAX_PERMILLE;
  }

  /** §3.10: a leader gives up a transfer its target did not complete within an election timeout. */
  private void checkTransfers() {
    for (int id = 1; id <= config.machines(); id++) {
      SimNode n = sim.node(id);
      if (!n.isUp() || n.isPaused()) {
        continue;
      }
      RaftNode raft = n.node().raft();
      if (raft.role() != Role.LEADER || raft.transferTarget() == 0) {
        transferTerm[id] = 0;
        continue;
      }
      long started = raft.stats().transfersStarted;
      if (transferTerm[id] != raft.term() || transferCount[id] != started) {
        transferTerm[id] = raft.term();
        transferCount[id] = started;
        transferSeenTick[id] = raft.clockTicks();
        continue;
      }
      long ticks = raft.clockTicks() - transferSeenTick[id];
      if (ticks > config.electionTicksMax()) {
        sim.violation("liveness-in-fault", "leader " + id + " of term " + raft.term() + " has been transferring to "
            + raft.transferTarget() + " for over " + ticks + " of its ticks (election timeout "
            + config.electionTicksMin() + ".." + config.electionTicksMax()
            + " ticks): the transfer neither ended nor was abandoned");
        return;
      }
    }
  }

  long longestStallPercentOfTimeout() {
    return longestStallMicros * 100 / electionTimeoutMicros;
  }

  private String roles() {
    StringBuilder sb = new StringBuilder();
    for (int id = 1; id <= config.machines(); id++) {
      SimNode n = sim.node(id);
      sb.append(id == 1 ? "" : ", ").append(id).append('=');
      if (!n.isUp()) {
        sb.append("down");
      } else {
        RaftNode r = n.node().raft();
        sb.append(r.role()).append("@t").append(r.term()).append(" commit ").append(r.commitIndex())
            .append('/').append(r.lastIndex()).append(" voters ").append(r.membership().voters().keySet())
            .append(n.isPaused() ? " paused" : "").append(n.disk.isFull() ? " disk-full" : "");
      }
    }
    return sb.toString();
  }
}
