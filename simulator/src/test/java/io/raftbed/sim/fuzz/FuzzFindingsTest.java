package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.Simulation;
import io.raftbed.sim.fault.FaultSchedule;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Failures the fuzzer found with the safe defaults, pinned as their minimized reproductions. Each
 * test asserts the behaviour wanted: fixed findings run as regression tests, open ones are disabled
 * until fixed. A reproduction is exact only for the code it was found on: after the code changes a
 * schedule may pass without the bug being fixed, so an open finding is closed by a fix, not by a
 * pass; re-run the campaign (the command is in each comment) to look for it again.
 */
class FuzzFindingsTest {
  /**
   * Fixed. Corruption kept a majority from restarting (nodes 1 and 2 of 3 refuse to start on a bad
   * checksum), so the node left could not learn the last commits, and the convergence check, unlike
   * the liveness check, did not allow for a missing quorum. Found by {@code ScheduleFuzzTest} under
   * {@code -Pfuzz}; 57 of swarm seeds 1..2000 failed the same way ({@code raftbed fuzz --seeds 1..2000}).
   */
  @Test
  void convergenceIsNotRequiredWhenCorruptionKeepsAMajorityDown() {
    SimConfig config = SimConfig.standard().withNodes(3).withVirtualMillis(8_000);
    FaultSchedule schedule = FaultSchedule.parse("@211 partition halves 1>3 3>1 1>2 2>1; @1796 corrupt 1; "
        + "@1832 diskfull 2 on; @2145 corrupt 2; @2379 crash 1; @2423 corrupt 2; @3590 heal; @4429 heal; "
        + "@4520 heal; @4808 partition isolate 1>3 3>1 1>2 2>1; @5684 heal");
    SimResult r = Simulation.run(5782701783409564664L, config, schedule);
    assertTrue(r.clean(), () -> r.violation().toString());
  }

  /**
   * Open. Swarm seed 542 of {@code raftbed fuzz --seeds 1..2000} (60 virtual s, 5 nodes; partitions,
   * pauses and message faults on) fails the durability invariant: "node 2 acknowledged entries up to
   * 578 before they were durable (disk holds 577)". Minimized (1-minimal, 24 events, 13.4 virtual s),
   * it fails just after the final heal resumes node 2, which was paused at 11,611 ms: two disk
   * completions of node 2 follow the resume, then the acknowledgement of one entry more than the disk
   * holds. Before the lead's pause rework, seed 416 failed the same way (torn writes, pauses, clock
   * faults). Digest of this run: b6c86ac27f8cd6bd.
   */
  @Test
  @Disabled("durability: a node resumed from a pause acknowledges an entry before it is durable (seed 542)")
  void aResumedNodeDoesNotAcknowledgeEntriesBeforeTheyAreDurable() {
    SimConfig config = SimConfig.standard().withVirtualMillis(13_400).withHealMillis(100);
    FaultSchedule schedule = FaultSchedule.parse("@2173 pause 1; @2351 pause 4; @3809 net loss=0 dup=13 delay=0; "
        + "@4055 partition halves 1>5 5>1 1>4 4>1 1>2 2>1 3>5 5>3 3>4 4>3 3>2 2>3; "
        + "@4092 partition halves 4>5 5>4 4>3 3>4 4>1 1>4 2>5 5>2 2>3 3>2 2>1 1>2; @4583 resume 4; @4765 pause 5; "
        + "@5223 net loss=0 dup=0 delay=0; @6126 net loss=8 dup=4 delay=73; @6165 heal; "
        + "@6419 partition isolate 5>2 2>5 5>4 4>5 5>3 3>5 5>1 1>5; @6525 resume 1; @7692 pause 3; "
        + "@8072 partition bridge 1>2 2>1 1>4 4>1 3>2 2>3 3>4 4>3; "
        + "@10270 partition bridge 2>5 5>2 2>3 3>2 1>5 5>1 1>3 3>1; "
        + "@10560 partition bridge 4>3 3>4 4>2 2>4 5>3 3>5 5>2 2>5; @10648 resume 3; @11029 heal; "
        + "@11337 net loss=4 dup=0 delay=161; @11367 partition oneway 3>4 1>4 5>4 2>4; @11421 heal; "
        + "@11464 partition bridge 3>2 2>3 3>1 1>3 5>2 2>5 5>1 1>5; @11611 pause 2; @12403 resume 5");
    SimResult r = Simulation.run(542, config, schedule);
    assertTrue(r.clean(), () -> r.violation() + " digest " + r.digestHex());
  }
}
