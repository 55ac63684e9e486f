package io.raftbed.sim.fuzz;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.fault.FaultSchedule;
import io.raftbed.sim.fault.FaultSchedule.Timed;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Shrinks a failing run to a short reproduction, re-running the simulation (same seed, same
 * configuration otherwise) for every candidate and keeping a candidate only when it fails with the
 * same violation kind:
 *
 * <ol>
 *   <li>for a violation found before the heal, a cut just after it (see {@link #cutAtViolation});
 *   <li>the run's length: a search for the shortest stretch before the final heal that still fails,
 *       with the heal phase kept as long as it was; then, except for liveness and convergence
 *       violations, which are judged in the heal phase (a liveness violation must not come from a
 *       heal phase too short to recover in), the shortest heal phase. Done first, it makes every
 *       later run shorter and drops the fault events past the new end;
 *   <li>delta debugging over the fault schedule's events, down to a 1-minimal schedule (removing a
 *       restart while keeping its crash is a candidate like any other);
 *   <li>the length again, and if it shrank, delta debugging again, since fewer events may suffice.
 * </ol>
 *
 * Work is bounded by {@link Limits}: when the budget runs out the smallest failing run found so far is
 * the answer, and it is not claimed 1-minimal. Single-threaded itself; the {@link TrialRunner} may
 * run candidates in parallel. Not reusable: one minimizer per failure.
 */
public final class Minimizer {
  /** Run length is trimmed to this resolution. */
  static final long LENGTH_RESOLUTION_MILLIS = 100;
  /**
   * Violations judged in the heal phase: their runs keep the heal phase they had, so that a
   * minimized liveness failure is not merely a heal phase too short to recover in.
   */
  static final Set<String> HEAL_PHASE_KINDS = Set.of("liveness", "convergence");

  /**
   * @param runsMax simulations at most
   * @param outOfTime whether the wall-clock budget is spent (the caller owns the clock)
   */
  public record Limits(int runsMax, BooleanSupplier outOfTime) {}

  /** What the minimizer is doing, after each batch of runs. */
  public record Step(String phase, int events, long virtualMillis, int runs) {}

  private final TrialRunner runner;
  private final Limits limits;
  private final Consumer<Step> progress;
  private String kind;
  private Trial best;
  private SimResult bestResult;
  private int runs;

  public Minimizer(TrialRunner runner, Limits limits, Consumer<Step> progress) {
    this.runner = runner;
    this.limits = limits;
    this.progress = progress;
  }

  public Minimized minimize(Trial original, SimResult failure) {
    if (failure.clean()) {
      throw new IllegalArgumentException("seed " + original.seed() + " did not fail: nothing to minimize");
    }
    kind = failure.violation().kind();
    best = original;
    bestResult = failure;
    cutAtViolation();
    trimLength();
    boolean oneMinimal = shrinkEvents("schedule");
    SimConfig before = best.config();
    trimLength();
    if (!best.config().equals(before)) {
      oneMinimal = !exhausted() && shrinkEvents("schedule at the shorter length");
    }
    return new Minimized(original, failure, best, bestResult, runs, oneMinimal, false);
  }

  private boolean exhausted() {
    return runs >= limits.runsMax() || limits.outOfTime().getAsBoolean();
  }

  // ---------------------------------------------------------------- events

  private boolean shrinkEvents(String phase) {
    DeltaDebugging.Tester<Timed> tester = new DeltaDebugging.Tester<>() {
      @Override
      public int firstFailing(List<List<Timed>> candidates) {
        List<Trial> trials = candidates.stream().map(c -> best.withSchedule(new FaultSchedule(c))).toList();
        return runBatch(phase, trials);
      }

      @Override
      public boolean exhausted() {
        return Minimizer.this.exhausted();
      }
    };
    return DeltaDebugging.minimize(best.schedule().events(), tester).oneMinimal();
  }

  /** Runs a batch; adopts its first failing trial as the new best. */
  private int runBatch(String phase, List<Trial> trials) {
    TrialRunner.Batch b = runner.firstFailing(trials, kind, Math.max(0, limits.runsMax() - runs));
    runs += b.runs();
    if (b.found()) {
      best = trials.get(b.index());
      bestResult = b.result();
    }
    progress.accept(new Step(phase, best.schedule().size(), best.config().virtualMillis(), runs));
    return b.index();
  }

  // ---------------------------------------------------------------- length

  /**
   * A violation found online before the heal, at time T, ends the run there: a run cut just after T,
   * with a short heal phase, is identical up to T and fails the same way. Trying that first makes
   * every later candidate short, and drops the fault events after T.
   */
  private void cutAtViolation() {
    long atMillis = bestResult.violation().atMicros() / 1000;
    long cut = (atMillis / LENGTH_RESOLUTION_MILLIS + 1) * LENGTH_RESOLUTION_MILLIS;
    if (cut < best.config().healAtMillis() && !exhausted()) {
      runBatch("cut after the violation", List.of(atLength(best, cut, LENGTH_RESOLUTION_MILLIS)));
    }
  }

  private void trimLength() {
    long heal = best.config().healMillis();
    shortest("run length", best.config().healAtMillis(), preHeal -> atLength(best, preHeal, heal));
    if (!HEAL_PHASE_KINDS.contains(kind)) {
      long preHeal = best.config().healAtMillis();
      shortest("heal phase", best.config().healMillis(), h -> atLength(best, preHeal, h));
    }
  }

  /**
   * Searches {@code (0, failing]} for the shortest length whose trial still fails, adopting it: a
   * bisection, or a k-ary search when the runner runs k trials at once. It assumes, without relying
   * on it for soundness, that a run that fails at some length also fails when longer.
   */
  private void shortest(String phase, long failing, LongFunction<Trial> at) {
    long lo = 0; // not known to fail
    long hi = failing;
    while (hi - lo > LENGTH_RESOLUTION_MILLIS && !exhausted()) {
      List<Long> points = probes(lo, hi, runner.width());
      if (points.isEmpty()) {
        break;
      }
      int i = runBatch(phase, points.stream().map(at::apply).toList());
      if (i >= 0) {
        lo = i == 0 ? lo : points.get(i - 1);
        hi = points.get(i);
      } else {
        lo = points.getLast();
      }
    }
  }

  /** Up to {@code k} lengths evenly spread strictly between {@code lo} and {@code hi}, on the resolution grid. */
  static List<Long> probes(long lo, long hi, int k) {
    List<Long> out = new ArrayList<>();
    for (int i = 1; i <= k; i++) {
      long p = lo + (hi - lo) * i / (k + 1);
      p = (p + LENGTH_RESOLUTION_MILLIS - 1) / LENGTH_RESOLUTION_MILLIS * LENGTH_RESOLUTION_MILLIS;
      if (p > lo && p < hi && (out.isEmpty() || p > out.getLast())) {
        out.add(p);
      }
    }
    return out;
  }

  /** {@code t} with {@code preHealMillis} before the final heal and a heal phase of {@code healMillis}. */
  static Trial atLength(Trial t, long preHealMillis, long healMillis) {
    SimConfig c = t.config().withVirtualMillis(preHealMillis + healMillis).withHealMillis(healMillis);
    // Faults at or after the heal never run; dropping them keeps the printed schedule honest.
    List<Timed> kept = t.schedule().events().stream().filter(e -> e.atMillis() < preHealMillis).toList();
    return new Trial(t.seed(), t.profile(), c, new FaultSchedule(kept));
  }
}
