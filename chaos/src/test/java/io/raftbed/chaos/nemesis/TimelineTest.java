package io.raftbed.chaos.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.scenario.Scenario;
import io.raftbed.chaos.scenario.ScenarioParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static final Scenario SCENARIO = ScenarioParser.parse("""
      name: plan
      duration: 30s
      faults:
        - {kind: kill, at: 3s, lasting: 2s}
        - {kind: pause, every: 10s, start: 5s, lasting: 1s..3s}
        - {kind: partition, random: 4, start: 2s, until: 28s, lasting: 4s..9s}
        - {kind: transfer, at: 29s}
      """);

  @Test
  void expandsEveryRuleInStartOrder() {
    List<Timeline.Planned> plan = Timeline.plan(SCENARIO);
    assertEquals(1 + 3 + 4 + 1, plan.size());
    for (int i = 1; i < plan.size(); i++) {
      assertTrue(plan.get(i - 1).startMillis() <= plan.get(i).startMillis(), "sorted by start");
      assertEquals(i, plan.get(i - 1).seq());
    }
    List<Long> pauses = plan.stream().filter(p -> p.fault().kind().equals("pause")).map(Timeline.Planned::startMillis)
        .toList();
    assertEquals(List.of(5_000L, 15_000L, 25_000L), pauses);
    for (Timeline.Planned p : plan) {
      assertTrue(p.startMillis() + p.durationMillis() <= 30_000, "every fault ends by the end of the timeline");
      if (p.fault().kind().equals("pause")) {
        assertTrue(p.durationMillis() >= 1_000 && p.durationMillis() <= 3_000);
      }
      if (p.fault().kind().equals("partition")) {
        assertTrue(p.startMillis() >= 2_000 && p.startMillis() < 28_000);
      }
    }
    assertEquals(0, plan.get(plan.size() - 1).durationMillis(), "a transfer is an action");
  }

  @Test
  void theSeedAloneDecidesThePlan() {
    assertEquals(Timeline.plan(SCENARIO), Timeline.plan(SCENARIO));
    assertNotEquals(Timeline.plan(SCENARIO), Timeline.plan(SCENARIO.withSeed(2)));
    assertEquals(Timeline.describe(Timeline.plan(SCENARIO.withSeed(9))),
        Timeline.describe(Timeline.plan(SCENARIO.withSeed(9))));
  }
}
