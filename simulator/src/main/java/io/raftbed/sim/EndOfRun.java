package io.raftbed.sim;

import io.raftbed.linearizability.CheckOptions;
import io.raftbed.linearizability.CheckResult;
import io.raftbed.linearizability.Checker;
import io.raftbed.linearizability.FailSemantics;
import io.raftbed.linearizability.History;
import io.raftbed.linearizability.Models;
import io.raftbed.linearizability.Op;
import io.raftbed.linearizability.OpType;
import io.raftbed.linearizability.Verdict;
import io.raftbed.raft.Membership;
import io.raftbed.raft.RaftNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks at the end of a run: linearizability of the history key by key, liveness after the
 * final heal (the cluster commits new writes), and convergence (every running node has applied
 * what was committed before the heal).
 */
final class EndOfRun {
  /** Wall-clock budget of the linearizability check of one run; running out yields UNKNOWN, not a verdict. */
  static final Duration CHECK_TIME_LIMIT = Duration.ofSeconds(10);

  private final Simulation sim;

  EndOfRun(Simulation sim) {
    this.sim = sim;
  }

  SimResult finish(boolean endChecks) {
    History history = sim.history().build();
    CheckResult check = null;
    if (endChecks && sim.violationFound() == null) {
      checkLiveness();
      checkConvergence();
      check = Checker.check(history, Models.casRegisterPerKey(null), CheckOptions.defaults()
          .withParallelism(1).withTimeLimit(CHECK_TIME_LIMIT).withFailSemantics(FailSemantics.CAS_FAIL_HAPPENED)
          .withShrinkTimeLimit(Duration.ofSeconds(2)));
      if (check.verdict() == Verdict.NOT_LINEARIZABLE) {
        sim.violation("linearizability", "the history is not linearizable: " + check.summary()
            + check.counterexample().map(c -> " " + c).orElse(""));
      }
    }
    Violation v = sim.violationFound();
    long ok = 0;
    long fail = 0;
    long info = 0;
    for (Op op : history.ops()) {
      if (op.type() == OpType.OK) {
        ok++;
      } else if (op.type() == OpType.FAIL) {
        fail++;
      } else if (op.type() == OpType.INFO) {
        info++;
      }
    }
    RunStats s = sim.stats();
    for (int id = 1; id <= sim.config().machines(); id++) {
      if (sim.node(id).isUp()) {
        s.addNodeStats(sim.node(id).node().raft().stats());
      }
    }
    SimNetwork net = sim.network();
    SimResult.Counts counts = new SimResult.Counts(ok, fail, info, sim.invariants().leadersElected, s.events,
        sim.nowMicros() / 1000, s.writesAcknowledgedAfterHeal, s.nodeStarts, s.refusedStarts, net.peerMessagesSent,
        net.peerMessagesDropped, sim.invariants().configurationsCommitted, s.snapshotsSent,
        s.snapshotsInstalled, sim.admin().transfersDone, s.committedAtHeal,
        s.convergedAfterHealMicros < 0 ? -1 : s.convergedAfterHealMicros / 1000, sim.admin().triggered,
        sim.liveness().evaluations, sim.liveness().healthyEvaluations, sim.liveness().longestStallMicros / 1000,
        sim.liveness().longestStallPercentOfTimeout());
    return new SimResult(sim.seed(), sim.config(), sim.schedule(), v, check, sim.digest(), counts,
        v == null ? null : sim.trace().format(400), history, nodeStates());
  }

  private List<SimResult.NodeState> nodeStates() {
    List<SimResult.NodeState> out = new ArrayList<>();
    for (int id = 1; id <= sim.config().machines(); id++) {
      SimNode n = sim.node(id);
      if (n.isUp()) {
        RaftNode r = n.node().raft();
        out.add(new SimResult.NodeState(id, true, r.role().name(), r.term(), r.firstIndex(), r.lastIndex(),
            r.commitIndex(), r.appliedIndex(), r.membership().isMember(id), null));
      } else {
        out.add(new SimResult.NodeState(id, false, "DOWN", 0, 0, 0, 0, 0, false, n.downReason()));
      }
    }
    return out;
  }

  private Membership currentMembership() {
    return currentMembership(sim);
  }

  /** The configuration of the running node with the most advanced log: the one the cluster uses. */
  static Membership currentMembership(Simulation sim) {
    RaftNode best = null;
    for (int id = 1; id <= sim.config().machines(); id++) {
      SimNode n = sim.node(id);
      if (n.isUp()) {
        RaftNode r = n.node().raft();
        if (best == null || r.termAt(r.lastIndex()) > best.termAt(best.lastIndex())
            || (r.termAt(r.lastIndex()) == best.termAt(best.lastIndex()) && r.lastIndex() > best.lastIndex())) {
          best = r;
        }
      }
    }
    return best == null ? null : best.membership();
  }

  private int votersUp(Membership m) {
    return (int) m.voters().keySet().stream().filter(id -> sim.node(id).isUp()).count();
  }

  /**
   * The heal phase must leave time for a few elections (split votes, a pre-vote round) and a write:
   * five maximal election timeouts. Shorter heal phases (very short runs) check no liveness.
   */
  private boolean healPhaseLongEnough() {
    SimConfig c = sim.config();
    return c.healMillis() >= 5L * c.electionTicksMax() * c.tickMillis();
  }

  private void checkLiveness() {
    Membership m = currentMembership();
    if (m == null || votersUp(m) < Invariants.majority(m) || !healPhaseLongEnough()) {
      return; // corruption kept a majority of voters down: no progress is possible, nor required
    }
    RunStats s = sim.stats();
    if (s.writesAcknowledgedAfterHeal > 0) {
      return;
    }
    String where = votersUp(m) + " of " + m.voters().size() + " voters up, " + m;
    if (s.writesInvokedEarlyInHeal > 0) {
      sim.violation("liveness", "no write was acknowledged in the " + sim.config().healMillis()
          + " ms after every fault healed, though clients invoked " + s.writesInvokedEarlyInHeal
          + " in its first half (" + where + ")");
    } else if (s.readsAcknowledgedAfterHeal == 0) {
      // A read-heavy workload may invoke no write in a short heal phase; then a linearizable read,
      // which needs a leader that committed in its term and still hears a quorum, is the evidence.
      sim.violation("liveness", "no operation was acknowledged in the " + sim.config().healMillis()
          + " ms after every fault healed (" + where + ")");
    }
  }

  private void checkConvergence() {
    long committedAtHeal = sim.stats().committedAtHeal;
    Membership m = currentMembership();
    if (m == null || votersUp(m) < Invariants.majority(m) || !healPhaseLongEnough()) {
      return; // without a quorum nothing new commits, so followers cannot learn the commit index
    }
    for (int id = 1; id <= sim.config().machines(); id++) {
      SimNode n = sim.node(id);
      if (n.isUp() && m != null && m.isMember(id) && n.node().raft().appliedIndex() < committedAtHeal) {
        sim.violation("convergence", "node " + id + " applied only " + n.node().raft().appliedIndex()
            + " entries by the end, but " + committedAtHeal + " were committed when faults healed (" + m
            + ", node " + id + " " + n.node().raft().role() + " in term " + n.node().raft().term() + ")");
        return;
      }
    }
  }
}
