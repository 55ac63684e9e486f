package io.raftbed.sim.cli;

import io.raftbed.sim.SimResult;
import io.raftbed.sim.fault.FaultType;
import io.raftbed.sim.fuzz.CampaignSpec;
import io.raftbed.sim.fuzz.Shard;
import io.raftbed.sim.fuzz.Trial;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Runs a campaign's seeds, those of a range that belong to a shard, on a pool of threads, with one
 * live progress line on standard error (seeds per second, failures, fault types seen). It stops
 * starting seeds when the range is done, when the time budget ends, or after {@code maxFailures}
 * failures; seeds already running then finish (at most {@code threads} of them, each bounded by its
 * virtual length and the checker's time limit).
 *
 * <p>Threading: each seed runs on a pool thread, alone and single-threaded; everything else (the
 * {@code onResult} callback, the table, the progress line, stop decisions) happens on the calling
 * thread, in completion order. A seed's own run never depends on that order.
 */
final class FuzzRunner {
  /** A finished seed. */
  record Ran(Trial trial, SimResult result, long wallMs) {}

  /**
   * @param threads seeds run at once
   * @param budget wall time after which no seed starts (null: none)
   * @param maxFailures failures after which no seed starts (0: no limit)
   */
  record Settings(int threads, Duration budget, int maxFailures) {}

  /** How a campaign went. */
  record Summary(FuzzTable table, String stopReason) {}

  private final Settings settings;
  private final PrintWriter progress;
  private final ProgressLine progressLine;

  FuzzRunner(Settings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
    this.progressLine = ProgressLine.on(progress);
  }

  Summary run(CampaignSpec spec, SeedRange range, Shard shard, Consumer<Ran> onResult) throws InterruptedException {
    FuzzTable table = new FuzzTable();
    long start = System.nanoTime();
    ExecutorService pool = Pools.daemon(settings.threads(), "fuzz-seed");
    try {
      ExecutorCompletionService<Ran> done = new ExecutorCompletionService<>(pool);
      Seeds seeds = new Seeds(range, shard);
      long deadline = settings.budget() == null ? 0 : start + settings.budget().toNanos();
      long inFlight = 0;
      String stop = null;
      long lastPrint = 0;
      while (true) {
        if (stop == null) {
          stop = stopReason(seeds, table, deadline);
        }
        while (stop == null && inFlight < settings.threads()) {
          long seed = seeds.next();
          table.started(seed);
          done.submit(() -> runSeed(spec, seed));
          inFlight++;
          stop = stopReason(seeds, table, deadline);
        }
        if (inFlight == 0) {
          break;
        }
        Ran ran = take(done);
        inFlight--;
        table.add(ran.trial(), ran.result(), ran.wallMs(), (System.nanoTime() - start) / 1e9);
        onResult.accept(ran);
        long now = System.nanoTime();
        if (now - lastPrint > 250_000_000L) {
          lastPrint = now;
          printProgress(table, shard, (now - start) / 1e9, stop);
        }
      }
      progressLine.clear();
      table.runs.wallSeconds = (System.nanoTime() - start) / 1e9;
      return new Summary(table, stop);
    } finally {
      pool.shutdownNow();
    }
  }

  private String stopReason(Seeds seeds, FuzzTable table, long deadline) {
    if (settings.maxFailures() > 0 && table.failures() >= settings.maxFailures()) {
      return "after " + table.failures() + " failure" + (table.failures() == 1 ? "" : "s") + " (--max-failures)";
    }
    if (settings.budget() != null && System.nanoTime() - deadline >= 0) {
      return "time budget spent";
    }
    return seeds.hasNext() ? null : "every seed done";
  }

  private static Ran runSeed(CampaignSpec spec, long seed) {
    long t0 = System.nanoTime();
    Trial trial = spec.trial(seed);
    SimResult r = trial.run();
    return new Ran(trial, r, (System.nanoTime() - t0) / 1_000_000);
  }

  private static Ran take(ExecutorCompletionService<Ran> done) throws InterruptedException {
    try {
      return done.take().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a simulation crashed the campaign: " + e.getCause(), e.getCause());
    }
  }

  private void printProgress(FuzzTable t, Shard shard, double elapsed, String stop) {
    progressLine.update(String.format("[shard %s] %d seeds  %.1f seeds/s  failures %d  fault types seen %d/%d  %.0fs%s",
        shard, t.runs.runs, t.runs.runs / Math.max(elapsed, 1e-9), t.failures(), t.typesSeen(),
        FaultType.values().length, elapsed, stop == null ? "" : "  (finishing: " + stop + ")"));
  }

  /** The seeds of a range that belong to a shard, in increasing order. */
  static final class Seeds {
    private final long last;
    private final int step;
    private long next;
    private boolean done;

    Seeds(SeedRange range, Shard shard) {
      this.last = range.last();
      this.step = shard.count();
      this.next = shard.firstAtOrAfter(range.first());
      this.done = next < range.first() || next > last; // also catches wrap-around near Long.MAX_VALUE
    }

    boolean hasNext() {
      return !done;
    }

    long next() {
      long s = next;
      if (s > last - step) {
        done = true;
      } else {
        next = s + step;
      }
      return s;
    }
  }
}
