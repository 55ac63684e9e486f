package io.raftbed.sim.cli;

import io.raftbed.sim.fault.FaultTypes;
import io.raftbed.sim.fuzz.FailureFolder;
import io.raftbed.sim.fuzz.Minimized;
import io.raftbed.sim.fuzz.Minimizer;
import io.raftbed.sim.fuzz.SeedOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;

/**
 * Turns a campaign's failing seeds into failure folders. During the campaign it keeps the
 * {@code minimizeCount} lowest failing seeds in memory and saves every other failure at once, as it
 * ran, so memory stays bounded however many seeds fail; at the end it minimizes the kept ones (each
 * within its own budget of runs and wall time, with a progress line on standard error), saves them,
 * and prints one block per failure, by seed, with its replay command.
 *
 * <p>Threading: called from one thread (the campaign's); the minimizer's trials run on a pool of
 * its own.
 */
final class FailureReporter {
  private final Path dir;
  private final int threads;
  private final int minimizeCount;
  private final int runsMax;
  private final Duration timeMax;
  private final PrintWriter out;
  private final PrintWriter progress;
  private final ProgressLine progressLine;
  /** The lowest failing seeds so far, to minimize at the end; at most {@code minimizeCount}. */
  private final TreeMap<Long, FuzzRunner.Ran> toMinimize = new TreeMap<>();
  /** What to print for each saved failure, by seed. */
  private final TreeMap<Long, String> blocks = new TreeMap<>();

  FailureReporter(Path dir, int threads, int minimizeCount, int runsMax, Duration timeMax, PrintWriter out,
      PrintWriter progress) {
    this.dir = dir;
    this.threads = threads;
    this.minimizeCount = minimizeCount;
    this.runsMax = runsMax;
    this.timeMax = timeMax;
    this.out = out;
    this.progress = progress;
    this.progressLine = ProgressLine.on(progress);
  }

  /** Takes a failing seed as it finishes: keeps it for minimization if it is among the lowest, else saves it. */
  void offer(FuzzRunner.Ran failure) {
    toMinimize.put(failure.trial().seed(), failure);
    if (toMinimize.size() > minimizeCount) {
      FuzzRunner.Ran highest = toMinimize.pollLastEntry().getValue();
      save(Minimized.notMinimized(highest.trial(), highest.result()), 0);
    }
  }

  /** Minimizes and saves the kept failures, then prints every failure's block, by seed. */
  void finish() {
    ExecutorService pool = Pools.daemon(threads, "fuzz-minimize");
    try {
      for (FuzzRunner.Ran f : toMinimize.values()) {
        long start = System.nanoTime();
        Minimized m = minimize(f, pool, start);
        save(m, (System.nanoTime() - start) / 1_000_000);
      }
      toMinimize.clear();
    } finally {
      pool.shutdownNow();
    }
    blocks.values().forEach(out::print);
    out.flush();
  }

  private void save(Minimized m, long wallMs) {
    try {
      Path folder = FailureFolder.write(dir, m, wallMs);
      blocks.put(m.seed(), block(m, folder, wallMs));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the failure folder of seed " + m.seed() + " under " + dir, e);
    }
  }
  private Minimized minimize(FuzzRunner.Ran f, ExecutorService pool, long start) {
    long deadline = start + timeMax.toNanos();
    Minimizer minimizer = new Minimizer(new ParallelTrials(pool, threads),
        new Minimizer.Limits(runsMax, () -> System.nanoTime() - deadline >= 0), step -> {
          progressLine.update(String.format("minimizing seed %d (%s): %s, %d of %d events, %.1f of %.1f virtual s, "
                  + "run %d/%d, %.0fs", f.trial().seed(), f.result().violation().kind(), step.phase(), step.events(),
              f.trial().schedule().size(), step.virtualMillis() / 1000.0, f.trial().config().virtualMillis() / 1000.0,
              step.runs(), runsMax, (System.nanoTime() - start) / 1e9));
        });
    Minimized m = minimizer.minimize(f.trial(), f.result());
    progressLine.clear();
    return m;
  }

  private String block(Minimized m, Path folder, long wallMs) {
    StringWriter text = new StringWriter();
    PrintWriter b = new PrintWriter(text);
    b.println();
    b.println("VIOLATION seed=" + m.seed() + " "
        + SeedOutcome.shorten(m.originalResult().violation().toString(), 300));
    b.println("  fault types: " + FaultTypes.print(m.original().config().faultTypes())
        + (m.original().profile() == null ? "" : "  (swarm: " + m.original().profile().describe() + ")"));
    if (m.skipped()) {
      b.println("  minimized:   no (only the " + minimizeCount + " lowest failing seeds are; see --minimize)");
    } else {
      b.printf("  minimized:   %d of %d events, %.1f of %.1f virtual s, %s (%d runs, %.0f s)%n",
          m.minimized().schedule().size(), m.original().schedule().size(),
          m.minimized().config().virtualMillis() / 1000.0, m.original().config().virtualMillis() / 1000.0,
          m.oneMinimal() ? "1-minimal" : "budget spent before 1-minimal", m.runs(), wallMs / 1000.0);
    }
    b.println("  schedule:    " + m.minimized().schedule().print());
    b.println("  folder:      " + folder);
    b.println("  replay:      bin/raftbed replay " + folder);
    b.flush();
    return text.toString();
  }
}
