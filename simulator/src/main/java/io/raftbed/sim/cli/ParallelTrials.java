package io.raftbed.sim.cli;

import io.raftbed.sim.SimResult;
import io.raftbed.sim.fuzz.Trial;
import io.raftbed.sim.fuzz.TrialRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The minimizer's trials on a thread pool, in waves of {@code width}: a wave runs to its end, and
 * the answer is the lowest failing index of the first wave that has one. That is the answer a
 * sequential run would give, so the minimized result does not depend on the number of threads; the
 * price is up to {@code width - 1} runs past the first failure, counted against the budget.
 *
 * <p>Threading: called from one thread at a time; the trials run on the pool.
 */
final class ParallelTrials implements TrialRunner {
  private final ExecutorService pool;
  private final int width;

  ParallelTrials(ExecutorService pool, int width) {
    this.pool = pool;
    this.width = Math.max(1, width);
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public Batch firstFailing(List<Trial> trials, String kind, int runsMax) {
    int runs = 0;
    for (int from = 0; from < trials.size() && runs < runsMax; ) {
      int to = Math.min(trials.size(), from + Math.min(width, runsMax - runs));
      List<Callable<SimResult>> wave = new ArrayList<>();
      trials.subList(from, to).forEach(t -> wave.add(t::run));
      List<Future<SimResult>> results = invokeAll(wave);
      runs += wave.size();
      for (int i = 0; i < results.size(); i++) {
        SimResult r = get(results.get(i));
        if (TrialRunner.failsAs(r, kind)) {
          return new Batch(from + i, r, runs);
        }
      }
      from = to;
    }
    return new Batch(-1, null, runs);
  }

  private List<Future<SimResult>> invokeAll(List<Callable<SimResult>> wave) {
    try {
      return pool.invokeAll(wave);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while minimizing", e);
    }
  }

  private static SimResult get(Future<SimResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while minimizing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a simulation crashed the minimizer: " + e.getCause(), e.getCause());
    }
  }
}
