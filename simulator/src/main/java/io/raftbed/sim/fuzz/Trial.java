package io.raftbed.sim.fuzz;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.Simulation;
import io.raftbed.sim.fault.FaultSchedule;

/**
 * One run to make: a seed, its configuration and its fault schedule. The same trial always gives the
 * same run, digest for digest, so a trial is also a reproduction. Immutable.
 *
 * @param seed the run's root seed
 * @param profile what the swarm turned on for this seed (null for a trial built by hand)
 * @param config the run's configuration, canaries included
 * @param schedule the fault schedule to run
 */
public record Trial(long seed, SwarmProfile profile, SimConfig config, FaultSchedule schedule) {
  /** Runs the trial on the calling thread, with every check. */
  public SimResult run() {
    return Simulation.run(seed, config, schedule);
  }

  public Trial withSchedule(FaultSchedule s) {
    return new Trial(seed, profile, config, s);
  }

  public Trial withConfig(SimConfig c) {
    return new Trial(seed, profile, c, schedule);
  }
}
