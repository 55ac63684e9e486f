package io.raftbed.sim.fuzz;

import io.raftbed.sim.Rng;
import io.raftbed.sim.SimConfig;
import io.raftbed.sim.fault.FaultSchedule;
import io.raftbed.sim.fault.FaultType;
import io.raftbed.sim.fault.FaultTypes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What one swarm seed turns on: a random subset of the fault types, with random intensities, all
 * drawn from the seed alone (its {@code "swarm"} stream), so that a seed names its profile as well as
 * its run. Swarm testing (Groce et al., ISSTA 2012) finds more bugs than always enabling every fault:
 * some bugs need one fault to happen often, which other faults would keep interrupting. Immutable.
 *
 * @param types the fault types the seed's schedule draws from (never empty)
 * @param faultIntervalMillis mean virtual time between fault actions
 * @param messageLevelPercent message faults' loss, duplication and delay, in percent of what the
 *     schedule generator draws
 * @param durationPercent how long each fault lasts before it is undone, in percent of what the
 *     schedule generator draws
 * @param cluster the cluster and workload the seed runs, or null to keep the campaign's base
 */
public record SwarmProfile(Set<FaultType> types, long faultIntervalMillis, int messageLevelPercent,
    int durationPercent, ClusterProfile cluster) {
  /** The intensity levels a seed draws from, in percent of the generator's own. */
  public static final List<Integer> LEVELS_PERCENT = List.of(25, 50, 100, 200);
  /** Mean fault intervals are drawn log-uniformly from this range: bursts to quiet stretches. */
  public static final long INTERVAL_MILLIS_MIN = 300;
  public static final long INTERVAL_MILLIS_MAX = 10_000;

  public SwarmProfile {
    types = Set.copyOf(types);
    if (types.isEmpty()) {
      throw new IllegalArgumentException("a swarm profile turns on at least one fault type");
    }
  }

  /** The profile of seed {@code seed}: each type of {@code pool} is on with probability 1/2 (at least one is). */
  public static SwarmProfile draw(long seed, Set<FaultType> pool) {
    return draw(seed, pool, null);
  }

  /**
   * The profile of seed {@code seed}, varying the cluster and workload too when {@code base} is
   * given (from a separate stream, so that the fault draws stay those of {@link #draw(long, Set)}).
   */
  public static SwarmProfile draw(long seed, Set<FaultType> pool, SimConfig base) {
    List<FaultType> candidates = FaultTypes.ordered(pool);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("the swarm needs at least one fault type to draw from");
    }
    SplittableRandom random = Rng.stream(seed, "swarm");
    Set<FaultType> on = EnumSet.noneOf(FaultType.class);
    for (FaultType t : candidates) {
      if (random.nextBoolean()) {
        on.add(t);
      }
    }
    if (on.isEmpty()) {
      on.add(candidates.get(random.nextInt(candidates.size())));
    }
    double logMin = Math.log(INTERVAL_MILLIS_MIN);
    double logMax = Math.log(INTERVAL_MILLIS_MAX);
    long interval = Math.round(Math.exp(logMin + random.nextDouble() * (logMax - logMin)));
    int messages = LEVELS_PERCENT.get(random.nextInt(LEVELS_PERCENT.size()));
    int durations = LEVELS_PERCENT.get(random.nextInt(LEVELS_PERCENT.size()));
    return new SwarmProfile(on, interval, messages, durations, base == null ? null : ClusterProfile.draw(seed, base));
  }

  /** {@code base} with this profile's fault types and fault interval. */
  public SimConfig applyTo(SimConfig base) {
    SimConfig c = cluster == null ? base : cluster.applyTo(base);
    return c.withFaultTypes(types).withFaultIntervalMillis(faultIntervalMillis);
  }

  /** A drawn schedule with this profile's message-fault levels and fault durations. */
  public FaultSchedule shape(FaultSchedule drawn, long healAtMillis) {
    return ScheduleShaper.shape(drawn, messageLevelPercent, durationPercent, healAtMillis);
  }

  /** One line, e.g. {@code types=crash,partition interval=1234ms messages=50% durations=200%}. */
  public String describe() {
    return "types=" + FaultTypes.print(types) + " interval=" + faultIntervalMillis + "ms messages="
        + messageLevelPercent + "% durations=" + durationPercent + "%"
        + (cluster == null ? "" : " | " + cluster.describe());
  }
}
