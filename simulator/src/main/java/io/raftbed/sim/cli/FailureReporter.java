package io.raftbed.sim.cli;

import io.raftbed.sim.fault.FaultTypes;
import io.raftbed.sim.fuzz.FailureFolder;
import io.raftbed.sim.fuzz.Minimized;
import io.raftbed.sim.fuzz.Minimizer;
import io.raftbed.sim.fuzz.SeedOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Turns a campaign's failing seeds into failure folders: minimizes the first few (each within its own
 * budget of runs and wall time, with a progress line on standard error), writes every folder, and
 * prints one block per failure with its replay command. Runs on the calling thread; the minimizer's
 * trials run on a pool of its own.
 */
final class FailureReporter {
  private final Path dir;
  private final int threads;
  private final int minimizeCount;
  private final int runsMax;
  private final Duration timeMax;
  private final PrintWriter out;
  private final PrintWriter progress;

  FailureReporter(Path dir, int threads, int minimizeCount, int runsMax, Duration timeMax, PrintWriter out,
      PrintWriter progress) {
    this.dir = dir;
    this.threads = threads;
    this.minimizeCount = minimizeCount;
    this.runsMax = runsMax;
    this.timeMax = timeMax;
    this.out = out;
    this.progress = progress;
  }

  /** Reports {@code failures}, sorted by seed. */
  void report(List<FuzzRunner.Ran> failures) throws IOException {
    ExecutorService pool = Pools.daemon(threads, "fuzz-minimize");
    try {
      for (int i = 0; i < failures.size(); i++) {
        FuzzRunner.Ran f = failures.get(i);
        long start = System.nanoTime();
        Minimized m = i < minimizeCount ? minimize(f, pool, start)
            : Minimized.notMinimized(f.trial(), f.result());
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        Path folder = FailureFolder.write(dir, m, wallMs);
        print(m, folder, wallMs);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private Minimized minimize(FuzzRunner.Ran f, ExecutorService pool, long start) {
    long deadline = start + timeMax.toNanos();
    Minimizer minimizer = new Minimizer(new ParallelTrials(pool, threads),
        new Minimizer.Limits(runsMax, () -> System.nanoTime() - deadline >= 0), step -> {
          progress.printf("\r\033[Kminimizing seed %d (%s): %s, %d of %d events, %.1f of %.1f virtual s, "
                  + "run %d/%d, %.0fs", f.trial().seed(), f.result().violation().kind(), step.phase(), step.events(),
              f.trial().schedule().size(), step.virtualMillis() / 1000.0, f.trial().config().virtualMillis() / 1000.0,
              step.runs(), runsMax, (System.nanoTime() - start) / 1e9);
          progress.flush();
        });
    Minimized m = minimizer.minimize(f.trial(), f.result());
    progress.print("\r\033[K");
    progress.flush();
    return m;
  }

  private void print(Minimized m, Path folder, long wallMs) {
    out.println();
    out.println("VIOLATION seed=" + m.seed() + " "
        + SeedOutcome.shorten(m.originalResult().violation().toString(), 300));
    out.println("  fault types: " + FaultTypes.print(m.original().config().faultTypes())
        + (m.original().profile() == null ? "" : "  (swarm: " + m.original().profile().describe() + ")"));
    if (m.skipped()) {
      out.println("  minimized:   no (only the first " + minimizeCount + " failures are; see --minimize)");
    } else {
      out.printf("  minimized:   %d of %d events, %.1f of %.1f virtual s, %s (%d runs, %.0f s)%n",
          m.minimized().schedule().size(), m.original().schedule().size(),
          m.minimized().config().virtualMillis() / 1000.0, m.original().config().virtualMillis() / 1000.0,
          m.oneMinimal() ? "1-minimal" : "budget spent before 1-minimal", m.runs(), wallMs / 1000.0);
    }
    out.println("  schedule:    " + m.minimized().schedule().print());
    out.println("  folder:      " + folder);
    out.println("  replay:      bin/raftbed replay " + folder);
    out.flush();
  }
}
