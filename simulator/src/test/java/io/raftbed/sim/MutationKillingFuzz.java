package io.raftbed.sim;

import static org.junit.jupiter.api.Assertions.fail;

import io.raftbed.sim.fault.FaultTypes;
import io.raftbed.sim.fuzz.CampaignSpec;
import io.raftbed.sim.fuzz.Trial;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The killing test of the mutation profile ({@code bin/mvn -Pmutation -pl simulator -am verify}): a
 * fixed set of swarm seeds, run with every check, must stay clean. PIT runs it against each mutant
 * of {@code io.raftbed.raft} and {@code io.raftbed.kv}; a mutant that makes any seed fail (an
 * invariant, linearizability, liveness, convergence, a node exception or a run-away run) is killed.
 *
 * <p>Its class name does not end in {@code Test}, so the default build never runs it: it is the
 * mutation score's yardstick, minutes per mutant run, not a regression test. The seeds were picked
 * once, as the first ones of each campaign kind; changing them changes the score.
 */
class MutationKillingFuzz {
  /** Plain swarm seeds: each draws its faults, cluster and workload. */
  static final long[] SWARM_SEEDS = {1, 2, 3, 4, 5, 6, 7, 8};
  /** Swarm seeds with the operator always on (spare machines, changes, transfers). */
  static final long[] MEMBERSHIP_SEEDS = {1, 2, 3, 4};
  static final long VIRTUAL_MILLIS = 20_000;

  @Test
  void plainSwarmSeedsStayClean() {
    runAll(spec(false), SWARM_SEEDS);
  }

  @Test
  void membershipSwarmSeedsStayClean() {
    runAll(spec(true), MEMBERSHIP_SEEDS);
  }

  private static CampaignSpec spec(boolean membership) {
    SimConfig base = SimConfig.standard().withVirtualMillis(VIRTUAL_MILLIS).withMembership(membership);
    return new CampaignSpec(base, FaultTypes.parse("all"), UnaryOperator.identity(), true);
  }

  private static void runAll(CampaignSpec spec, long[] seeds) {
    for (long seed : seeds) {
      Trial trial = spec.trial(seed);
      SimResult r = trial.run();
      if (!r.clean()) {
        fail("seed " + seed + ": " + r.violation().kind() + ": " + r.violation().message());
      }
    }
  }
}
