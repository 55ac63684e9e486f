package io.raftbed.sim.fuzz;

import io.raftbed.sim.SimResult;

/**
 * A failing run and its shortest reproduction found. Immutable.
 *
 * @param original the failing trial as the campaign ran it
 * @param originalResult its result
 * @param minimized the smallest trial found that fails with the same violation kind (the original
 *     itself when nothing smaller failed, or when minimization was skipped)
 * @param minimizedResult its result
 * @param runs simulations the minimizer ran
 * @param oneMinimal whether removing any single fault event from the minimized schedule makes the
 *     failure go away (false when the budget ran out first, or minimization was skipped)
 * @param skipped whether minimization was skipped (e.g. beyond the campaign's minimization limit)
 */
public record Minimized(Trial original, SimResult originalResult, Trial minimized, SimResult minimizedResult,
    int runs, boolean oneMinimal, boolean skipped) {
  public Minimized {
    if (originalResult.clean() || minimizedResult.clean()) {
      throw new IllegalArgumentException("only a failing run can be minimized");
    }
  }

  /** A failure kept as it is. */
  public static Minimized notMinimized(Trial original, SimResult result) {
    return new Minimized(original, result, original, result, 0, false, true);
  }

  public String kind() {
    return originalResult.violation().kind();
  }

  public long seed() {
    return original.seed();
  }
}
