package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.fault.FaultType;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SwarmProfileTest {
  private static final Set<FaultType> ALL = EnumSet.allOf(FaultType.class);

  @Test
  void aSeedAlwaysDrawsTheSameProfile() {
    for (long seed = 1; seed <= 50; seed++) {
      assertEquals(SwarmProfile.draw(seed, ALL), SwarmProfile.draw(seed, ALL));
    }
  }

  @Test
  void seedsTurnEachTypeOnAndOffAndVaryIntensities() {
    Map<FaultType, Integer> on = new EnumMap<>(FaultType.class);
    Set<Integer> messageLevels = new HashSet<>();
    Set<Integer> durations = new HashSet<>();
    Set<Set<FaultType>> subsets = new HashSet<>();
    long intervalMin = Long.MAX_VALUE;
    long intervalMax = 0;
    for (long seed = 1; seed <= 400; seed++) {
      SwarmProfile p = SwarmProfile.draw(seed, ALL);
      assertFalse(p.types().isEmpty());
      p.types().forEach(t -> on.merge(t, 1, Integer::sum));
      subsets.add(p.types());
      messageLevels.add(p.messageLevelPercent());
      durations.add(p.durationPercent());
      intervalMin = Math.min(intervalMin, p.faultIntervalMillis());
      intervalMax = Math.max(intervalMax, p.faultIntervalMillis());
    }
    for (FaultType t : FaultType.values()) {
      int n = on.getOrDefault(t, 0);
      assertTrue(n > 140 && n < 260, t + " is on in about half the seeds, got " + n + " of 400");
    }
    assertTrue(subsets.size() > 150, "many different subsets, got " + subsets.size());
    assertEquals(Set.copyOf(SwarmProfile.LEVELS_PERCENT), messageLevels);
    assertEquals(Set.copyOf(SwarmProfile.LEVELS_PERCENT), durations);
    assertTrue(intervalMin >= SwarmProfile.INTERVAL_MILLIS_MIN && intervalMin < 500, "short intervals: " + intervalMin);
    assertTrue(intervalMax <= SwarmProfile.INTERVAL_MILLIS_MAX && intervalMax > 6_000, "long intervals: " + intervalMax);
  }

  @Test
  void drawsOnlyFromThePool() {
    Set<FaultType> pool = EnumSet.of(FaultType.CRASH, FaultType.CLOCK);
    for (long seed = 1; seed <= 100; seed++) {
      Set<FaultType> types = SwarmProfile.draw(seed, pool).types();
      assertTrue(pool.containsAll(types) && !types.isEmpty(), "seed " + seed + ": " + types);
    }
    assertThrows(IllegalArgumentException.class, () -> SwarmProfile.draw(1, Set.of()));
  }

  @Test
  void campaignTrialsAreAPureFunctionOfTheSeed() {
    SimConfig base = SimConfig.standard().withVirtualMillis(20_000);
    CampaignSpec spec = new CampaignSpec(base, ALL, UnaryOperator.identity());
    Trial a = spec.trial(17);
    Trial b = spec.trial(17);
    assertEquals(a, b);
    assertEquals(a.profile().types(), a.config().faultTypes());
    assertEquals(a.profile().faultIntervalMillis(), a.config().faultIntervalMillis());
    assertTrue(a.schedule().events().stream().allMatch(e -> e.atMillis() < a.config().healAtMillis()));
    assertNotEquals(spec.trial(17).schedule(), spec.trial(18).schedule());
  }

  @Test
  void canariesGoOnTopOfTheSwarmProfile() {
    SimConfig base = SimConfig.standard().withVirtualMillis(20_000);
    CampaignSpec spec = new CampaignSpec(base, ALL, c -> c.withNodes(3));
    assertEquals(3, spec.trial(5).config().nodes());
    assertEquals(SwarmProfile.draw(5, ALL).types(), spec.trial(5).config().faultTypes());
  }
}
