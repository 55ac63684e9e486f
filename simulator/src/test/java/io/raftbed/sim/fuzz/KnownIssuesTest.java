package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.Simulation;
import io.raftbed.sim.fault.FaultSchedule;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Failures the fuzzer found with the safe defaults, pinned as minimized reproductions. Each test
 * asserts the behaviour wanted once the issue is fixed, and is disabled until then.
 */
class KnownIssuesTest {
  /**
   * Corruption keeps a majority from restarting (nodes 1 and 2 of 3 refuse to start on a bad
   * checksum), so the one node left cannot learn the last commits; the liveness check is exempt when
   * fewer than a quorum are up, but the convergence check is not, and fails the run. Found by
   * {@code ScheduleFuzzTest} under {@code -Pfuzz}; swarm seeds 3, 6 and 35 of {@code raftbed fuzz
   * --seeds 1..40 --virtual-seconds 20} fail the same way.
   */
  @Test
  @Disabled("convergence is checked when corruption keeps a majority down (EndOfRun.checkConvergence)")
  void convergenceIsNotRequiredWhenCorruptionKeepsAMajorityDown() {
    SimConfig config = SimConfig.standard().withNodes(3).withVirtualMillis(8_000);
    FaultSchedule schedule = FaultSchedule.parse("@211 partition halves 1>3 3>1 1>2 2>1; @1796 corrupt 1; "
        + "@1832 diskfull 2 on; @2145 corrupt 2; @2379 crash 1; @2423 corrupt 2; @3590 heal; @4429 heal; "
        + "@4520 heal; @4808 partition isolate 1>3 3>1 1>2 2>1; @5684 heal");
    SimResult r = Simulation.run(5782701783409564664L, config, schedule);
    assertTrue(r.clean(), () -> r.violation().toString());
  }

  /**
   * With the safe defaults, swarm seed 416 of {@code raftbed fuzz --seeds 1..2000} (60 virtual s, 5
   * nodes; torn writes, pauses and clock faults on) fails the durability invariant: "node 5
   * acknowledged entries up to 1431 before they were durable (disk holds 1430)". Minimized to these
   * 23 events (1-minimal) and 16.4 virtual s, it fails at 16,301 ms (entries up to 2017, disk 2016),
   * just after the final heal resumes node 5, which was paused shortly after a torn-write crash and
   * restart, and the events held while it was paused run. Either the simulator's pause/resume
   * replays a stale disk completion or the node acknowledges too early: a bug either way. Digest of
   * this run: 9040f3f14f30290b; failure folder: {@code raftbed fuzz --seeds 416..416}.
   */
  @Test
  @Disabled("durability violation after a paused node resumes (swarm seed 416): to investigate")
  void aResumedNodeDoesNotAcknowledgeEntriesBeforeTheyAreDurable() {
    SimConfig config = SimConfig.standard().withVirtualMillis(16_400).withHealMillis(100);
    FaultSchedule schedule = FaultSchedule.parse("@4474 clock 2 rate=2140; @4543 pause 3; @4950 clock 2 rate=1000; "
        + "@5705 pause 5; @6622 jump 4 +891; @8811 crash 1 torn; @9375 resume 5; @10293 crash 2 torn; "
        + "@11230 crash 4 torn; @11232 restart 2; @11239 jump 2 +810; @11872 restart 1; @12102 crash 3 torn; "
        + "@13279 pause 2; @13527 crash 5 torn; @13723 restart 5; @13852 pause 5; @13921 crash 1 torn; "
        + "@14251 resume 2; @14740 restart 3; @14872 restart 1; @14924 pause 2; @16096 restart 4");
    SimResult r = Simulation.run(416, config, schedule);
    assertTrue(r.clean(), () -> r.violation() + " digest " + r.digestHex());
  }

  /**
   * With the safe defaults, swarm seed 10235 (60 virtual s, 5 nodes; pauses, message faults and full
   * disks on) fails leader completeness: "node 4 became leader of term 4 without committed entry 1922
   * (term 5)". Minimized (1-minimal, 15.2 virtual s), node 4 is paused and resumes at the final heal,
   * when it completes an election for the stale term 4. Leader completeness (§5.4) only requires
   * leaders of terms after the one that committed an entry to hold it, so the invariant may be too
   * strict here (Invariants compares every new leader with the highest committed entry); if it is
   * right, the node is wrong. Digest of this run: ab31cf9ff260dd86.
   */
  @Test
  @Disabled("leader-completeness for a leader of a stale term (swarm seed 10235): invariant or node, to investigate")
  void aLeaderOfAStaleTermDoesNotBreakLeaderCompleteness() {
    SimConfig config = SimConfig.standard().withVirtualMillis(15_200).withHealMillis(100);
    FaultSchedule schedule = FaultSchedule.parse("@1829 pause 4; @3553 diskfull 3 on; @4196 resume 4; "
        + "@4824 diskfull 3 off; @4824 restart 3; @6832 net loss=15 dup=7 delay=21; @7131 pause 3; @8344 resume 3; "
        + "@9679 net loss=0 dup=9 delay=0; @10895 diskfull 3 on; @11039 pause 2; @11193 net loss=0 dup=0 delay=0; "
        + "@11389 pause 1; @11473 net loss=21 dup=19 delay=34; @11831 resume 2; @12765 pause 4; @13930 resume 1");
    SimResult r = Simulation.run(10235, config, schedule);
    assertTrue(r.clean(), () -> r.violation() + " digest " + r.digestHex());
  }
}
