package io.raftbed.sim.fuzz;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.Simulation;
import io.raftbed.sim.fault.FaultType;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How a campaign turns a seed into a {@link Trial}: the swarm draws the seed's {@link SwarmProfile}
 * from the fault pool, the profile shapes the base configuration, the canaries (unsafe settings the
 * checks must catch) go on top, and the seed's schedule is drawn from the result and shaped by the
 * profile. {@link #trial} is a pure function of the seed. Immutable.
 *
 * @param base the configuration every seed starts from
 * @param faultPool the fault types the swarm draws subsets from
 * @param canaries turns the campaign's canaries on in a configuration ({@code UnaryOperator.identity()} for none)
 * @param varyCluster whether each seed also draws its cluster and workload ({@link ClusterProfile})
 */
public record CampaignSpec(SimConfig base, Set<FaultType> faultPool, UnaryOperator<SimConfig> canaries,
    boolean varyCluster) {
  /** A campaign on the base cluster, varying only the faults. */
  public CampaignSpec(SimConfig base, Set<FaultType> faultPool, UnaryOperator<SimConfig> canaries) {
    this(base, faultPool, canaries, false);
  }

  public CampaignSpec {
    faultPool = Set.copyOf(faultPool);
    if (faultPool.isEmpty()) {
      throw new IllegalArgumentException("a campaign needs at least one fault type for the swarm to draw from");
    }
  }

  public Trial trial(long seed) {
    SwarmProfile profile = SwarmProfile.draw(seed, faultPool, varyCluster ? base : null);
    SimConfig config = canaries.apply(profile.applyTo(base));
    return new Trial(seed, profile, config,
        profile.shape(Simulation.scheduleFor(seed, config), config.healAtMillis()));
  }
}
