package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.Simulation;
import io.raftbed.sim.Violation;
import io.raftbed.sim.fault.FaultSchedule;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The minimizer against a planted failure: a fake runner decides from the trial alone whether it
 * fails, so these tests pin the search (what is kept, how short, what the budget does) without
 * running simulations.
 */
class MinimizerTest {
  private static final FaultSchedule SCHEDULE = FaultSchedule.parse("@500 crash 1; @1000 pause 2; @1500 restart 1; "
      + "@2000 net loss=5 dup=0 delay=0; @2500 crash 3; @3000 resume 2; @4000 restart 3; @6000 heal; "
      + "@7000 corrupt 4; @9000 jump 5 +100; @12000 crash 2; @20000 restart 2");
  private static final Trial ORIGINAL = new Trial(42, null, SimConfig.standard(), SCHEDULE);
  /** A real (tiny) run that planted results are copied from, whatever else SimResult holds. */
  private static final SimResult BASE =
      Simulation.run(1, SimConfig.standard().withNodes(3).withVirtualMillis(2_000), FaultSchedule.EMPTY);

  /** Fails with {@code kind} when {@code planted} holds; runs candidates in waves of {@code width}. */
  private static final class Planted implements TrialRunner {
    final String kind;
    final Predicate<Trial> planted;
    final int width;
    final long violationAtMillis;
    final List<Trial> ran = new ArrayList<>();

    Planted(String kind, int width, Predicate<Trial> planted) {
      this(kind, width, planted, Long.MAX_VALUE);
    }

    /** A violation found at {@code violationAtMillis}, or at the end of shorter runs. */
    Planted(String kind, int width, Predicate<Trial> planted, long violationAtMillis) {
      this.kind = kind;
      this.width = width;
      this.planted = planted;
      this.violationAtMillis = violationAtMillis;
    }

    @Override
    public int width() {
      return width;
    }

    @Override
    public Batch firstFailing(List<Trial> trials, String expected, int runsMax) {
      int runs = 0;
      for (int from = 0; from < trials.size() && runs < runsMax; from += width) {
        List<Trial> wave = trials.subList(from, Math.min(trials.size(), from + Math.min(width, runsMax - runs)));
        ran.addAll(wave);
        runs += wave.size();
        for (int i = 0; i < wave.size(); i++) {
          SimResult r = result(wave.get(i));
          if (TrialRunner.failsAs(r, expected)) {
            return new Batch(from + i, r, runs);
          }
        }
      }
      return new Batch(-1, null, runs);
    }

    SimResult result(Trial t) {
      long at = Math.min(violationAtMillis, t.config().virtualMillis());
      Violation v = planted.test(t) ? new Violation(kind, "planted", at * 1000) : null;
      return plantedResult(t, v);
    }
  }

  /** {@link #BASE} with the trial's seed, config, schedule and digest and the planted violation. */
  private static SimResult plantedResult(Trial t, Violation v) {
    RecordComponent[] parts = SimResult.class.getRecordComponents();
    Object[] values = new Object[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        values[i] = switch (parts[i].getName()) {
          case "seed" -> t.seed();
          case "config" -> t.config();
          case "schedule" -> t.schedule();
          case "violation" -> v;
          case "digest" -> (long) t.hashCode();
          default -> parts[i].getAccessor().invoke(BASE);
        };
      }
      Class<?>[] types = Arrays.stream(parts).map(RecordComponent::getType).toArray(Class<?>[]::new);
      return SimResult.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot build a planted SimResult", e);
    }
  }

  private static boolean has(Trial t, String event) {
    return t.schedule().events().stream().anyMatch(e -> e.print().equals(event));
  }

  /** Needs the crash of node 3 and the corruption, and at least 7.05 s before the heal and 0.42 s after it. */
  private static boolean bug(Trial t) {
    return has(t, "@2500 crash 3") && has(t, "@7000 corrupt 4") && t.config().healAtMillis() >= 7_050
        && t.config().healMillis() >= 420;
  }

  private static Minimized minimize(Planted runner, int runsMax) {
    return new Minimizer(runner, new Minimizer.Limits(runsMax, () -> false), step -> {})
        .minimize(ORIGINAL, runner.result(ORIGINAL));
  }

  @Test
  void keepsTheEventsThatMatterAndTrimsBothPhases() {
    Minimized m = minimize(new Planted("linearizability", 1, MinimizerTest::bug), 500);
    assertEquals(FaultSchedule.parse("@2500 crash 3; @7000 corrupt 4"), m.minimized().schedule());
    assertEquals(7_100, m.minimized().config().healAtMillis(), "the shortest failing length on the 100 ms grid");
    assertEquals(500, m.minimized().config().healMillis(), "the shortest failing heal phase on the grid");
    assertTrue(m.oneMinimal());
    assertFalse(m.skipped());
    assertEquals("linearizability", m.minimizedResult().violation().kind());
    assertTrue(m.runs() > 10 && m.runs() < 120, "runs: " + m.runs());
  }

  @Test
  void aViolationFoundBeforeTheHealIsCutRightAfterItFirst() {
    // Like an online invariant: the run stops at 5,050 ms whenever it is still running then.
    Planted runner = new Planted("durability", 1, t -> has(t, "@2500 crash 3") && t.config().healAtMillis() > 5_050,
        5_050);
    Minimized m = minimize(runner, 500);
    assertEquals(5_100, runner.ran.getFirst().config().healAtMillis(), "the first candidate is the cut");
    assertEquals(FaultSchedule.parse("@500 crash 1; @1000 pause 2; @1500 restart 1; @2000 net loss=5 dup=0 delay=0; "
        + "@2500 crash 3; @3000 resume 2; @4000 restart 3"), runner.ran.getFirst().schedule(), "events after it go");
    assertEquals(FaultSchedule.parse("@2500 crash 3"), m.minimized().schedule());
    assertEquals(5_100, m.minimized().config().healAtMillis());
    assertEquals(100, m.minimized().config().healMillis());
    assertTrue(m.oneMinimal());
  }

  @Test
  void aLivenessFailureKeepsItsHealPhase() {
    Minimized m = minimize(new Planted("liveness", 1, MinimizerTest::bug), 500);
    assertEquals(ORIGINAL.config().healMillis(), m.minimized().config().healMillis());
    assertEquals(7_100, m.minimized().config().healAtMillis());
  }

  @Test
  void theAnswerDoesNotDependOnHowManyTrialsRunAtOnce() {
    Minimized one = minimize(new Planted("linearizability", 1, MinimizerTest::bug), 500);
    Minimized three = minimize(new Planted("linearizability", 3, MinimizerTest::bug), 500);
    assertEquals(one.minimized(), three.minimized());
    assertTrue(three.runs() >= one.runs(), "waves may run past the first failure");
  }

  @Test
  void anotherViolationKindIsNotKept() {
    Planted runner = new Planted("durability", 1, t -> has(t, "@500 crash 1"));
    Minimized m = new Minimizer(runner, new Minimizer.Limits(500, () -> false), step -> {})
        .minimize(ORIGINAL, new Planted("linearizability", 1, t -> true).result(ORIGINAL));
    assertSame(ORIGINAL, m.minimized(), "no candidate failed with linearizability");
  }

  @Test
  void stopsAtTheRunBudgetWithAFailingRunNotClaimedMinimal() {
    Planted runner = new Planted("linearizability", 2, MinimizerTest::bug);
    Minimized m = minimize(runner, 6);
    assertEquals(6, runner.ran.size());
    assertEquals(6, m.runs());
    assertFalse(m.oneMinimal());
    assertTrue(bug(m.minimized()), "the answer still fails");
  }

  @Test
  void stopsWhenTimeIsUp() {
    Planted runner = new Planted("linearizability", 1, MinimizerTest::bug);
    Minimized m = new Minimizer(runner, new Minimizer.Limits(500, () -> true), step -> {})
        .minimize(ORIGINAL, runner.result(ORIGINAL));
    assertEquals(0, runner.ran.size());
    assertSame(ORIGINAL, m.minimized());
    assertFalse(m.oneMinimal());
  }

  @Test
  void probesAreOnTheGridAndStrictlyInside() {
    assertEquals(List.of(5_000L), Minimizer.probes(0, 10_000, 1));
    assertEquals(List.of(3_400L, 6_700L), Minimizer.probes(0, 10_000, 2));
    assertEquals(List.of(), Minimizer.probes(100, 200, 4));
    assertEquals(List.of(200L, 300L), Minimizer.probes(100, 400, 5));
  }
}
