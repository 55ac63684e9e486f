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
}
