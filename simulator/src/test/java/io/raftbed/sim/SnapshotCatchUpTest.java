package io.raftbed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.fault.FaultSchedule;
import io.raftbed.sim.fault.FaultTypes;
import org.junit.jupiter.api.Test;

/**
 * §7 end to end in the simulator: a follower cut off while the cluster commits 100,000 entries comes
 * back, gets the leader's snapshot (its log is compacted far past the follower's), and converges.
 */
class SnapshotCatchUpTest {
  @Test
  void followerFarBehindCatchesUpThroughASnapshot() {
    long healAtMillis = 65_000;
    SimConfig config = SimConfig.standard().toBuilder().nodes(3).clients(60).keys(100).readPercent(0)
        .virtualMillis(healAtMillis + 10_000).healMillis(10_000).snapshotEveryEntries(5_000).snapshotRetainEntries(500)
        .faultTypes(FaultTypes.parse("none")).build();
    // Node 3 is cut off for nearly the whole run; the schedule heals at the heal phase.
    FaultSchedule schedule = FaultSchedule.parse("@500 partition isolate 3>1 1>3 3>2 2>3");
    SimResult r = Simulation.run(11, config, schedule);
    assertNull(r.violation(), () -> "violation: " + r.violation());
    long behind = r.counts().committedAtHeal();
    SimResult.NodeState follower = r.nodes().get(2);
    System.out.printf("committed at heal=%d, follower caught up %d ms after the heal, snapshots sent/installed=%d/%d%n",
        behind, r.counts().convergedAfterHealMillis(), r.counts().snapshotsSent(), r.counts().snapshotsInstalled());
    assertTrue(behind >= 100_000, "the cluster committed at least 100,000 entries while node 3 was away: " + behind);
    assertTrue(r.counts().snapshotsInstalled() >= 1, "node 3 installed a snapshot");
    assertTrue(follower.appliedIndex() >= behind, "node 3 applied everything committed at the heal");
    assertTrue(r.counts().convergedAfterHealMillis() >= 0, "the cluster converged after the heal");
    assertEquals(3, follower.id());
  }
}
