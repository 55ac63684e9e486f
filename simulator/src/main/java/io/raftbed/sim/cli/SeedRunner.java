package io.raftbed.sim.cli;

import io.raftbed.sim.SimResult;
import java.io.PrintWriter;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Runs a range of seeds on a pool of threads (each run is single-threaded and independent), showing
 * one live progress line on standard error, and folds the results into a {@link CampaignTable}.
 * Results reach {@code onFailure} and the table in completion order; each run's own outcome does not
 * depend on it.
 */
final class SeedRunner {
  private final int threads;
  private final ProgressLine progress = ProgressLine.on(new PrintWriter(System.err, true));

  SeedRunner(int threads) {
    this.threads = Math.max(1, threads);
  }

  CampaignTable run(SeedRange range, LongFunction<SimResult> runSeed, Consumer<SimResult> onFailure)
      throws InterruptedException {
    CampaignTable table = new CampaignTable();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sim-seed");
      t.setDaemon(true);
      return t;
    });
    try {
      ExecutorCompletionService<SimResult> done = new ExecutorCompletionService<>(pool);
      AtomicLong next = new AtomicLong(range.first());
      long inFlight = 0;
      // Keep a bounded number of seeds queued so that memory stays flat on huge ranges.
      while (inFlight < threads * 2L && next.get() <= range.last()) {
        long s = next.getAndIncrement();
        done.submit(() -> runSeed.apply(s));
        inFlight++;
      }
      long lastPrint = 0;
      while (inFlight > 0) {
        SimResult r;
        try {
          r = done.take().get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a simulation crashed the runner: " + e.getCause(), e.getCause());
        }
        inFlight--;
        table.add(r);
        if (!r.clean()) {
          onFailure.accept(r);
        }
        if (next.get() <= range.last()) {
          long s = next.getAndIncrement();
          done.submit(() -> runSeed.apply(s));
          inFlight++;
        }
        long now = System.nanoTime();
        if (now - lastPrint > 250_000_000L || inFlight == 0) {
          lastPrint = now;
          printProgress(table, range, (now - start) / 1e9);
        }
      }
      progress.clear();
      table.wallSeconds = (System.nanoTime() - start) / 1e9;
      return table;
    } finally {
      pool.shutdownNow();
    }
  }

  private void printProgress(CampaignTable t, SeedRange range, double elapsed) {
    progress.update(String.format("[%d/%d] %.1f seeds/s  failures=%d  elapsed %.0fs", t.runs, range.count(),
        t.runs / Math.max(elapsed, 1e-9), t.failures(), elapsed));
  }
}
