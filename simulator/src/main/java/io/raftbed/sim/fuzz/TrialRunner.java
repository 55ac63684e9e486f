package io.raftbed.sim.fuzz;

import io.raftbed.sim.SimResult;
import java.util.List;

/**
 * Runs the minimizer's candidate trials. An implementation may run several at once (the command
 * line's runs them on a thread pool) but must answer as if it ran them one by one in list order and
 * stopped at the first that fails the expected way: then the minimized result does not depend on the
 * number of threads.
 */
public interface TrialRunner {
  /** How many trials it runs at once; the minimizer sizes some of its batches for it. */
  int width();

  /**
   * Runs {@code trials}, at most {@code runsMax} of them, and reports the first (lowest index) whose
   * run fails with a violation of kind {@code kind}.
   */
  Batch firstFailing(List<Trial> trials, String kind, int runsMax);

  /**
   * @param index the first failing trial's index, or -1
   * @param result its result, or null
   * @param runs how many simulations ran (for the budget), including any run past the first failure
   */
  record Batch(int index, SimResult result, int runs) {
    public boolean found() {
      return index >= 0;
    }
  }

  /** Whether {@code r} fails the way the minimizer is looking for. */
  static boolean failsAs(SimResult r, String kind) {
    return !r.clean() && r.violation().kind().equals(kind);
  }

  /** Runs trials one at a time on the calling thread. */
  static TrialRunner sequential() {
    return new TrialRunner() {
      @Override
      public int width() {
        return 1;
      }

      @Override
      public Batch firstFailing(List<Trial> trials, String kind, int runsMax) {
        int runs = 0;
        for (int i = 0; i < trials.size() && runs < runsMax; i++) {
          SimResult r = trials.get(i).run();
          runs++;
          if (failsAs(r, kind)) {
            return new Batch(i, r, runs);
          }
        }
        return new Batch(-1, null, runs);
      }
    };
  }
}
