package io.raftbed.sim.cli;

import io.raftbed.sim.SimResult;
import io.raftbed.sim.fuzz.FailureFolder;
import io.raftbed.sim.fuzz.Trial;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftbed replay DIR}: re-runs a failure folder's minimized reproduction (or, with
 * {@code --original}, the run the campaign saw) and checks that it fails the same way with the same
 * digest. Single-threaded.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {
        "Re-runs a failure folder written by `raftbed fuzz` and checks that the run",
        "reproduces: the same violation kind AND the same trace digest as recorded in",
        "the folder's result.json.",
        "",
        "Exit 1 when it reproduces (the run fails, as `raftbed sim` exits on a",
        "violation); 2 when it does NOT (a clean run, another violation or another",
        "digest: the code or the simulator changed since the folder was written), or",
        "when the folder is missing or incomplete.",
        "",
        "Examples:",
        "  raftbed replay runs/fuzz/failure-seed-42",
        "  raftbed replay runs/fuzz/failure-seed-42 --original --trace",
        ""})
final class ReplayCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "A failure folder, e.g. runs/fuzz/failure-seed-42.")
  Path dir;

  @Option(names = "--original", description = "Replay the original failing run instead of the minimized one.")
  boolean original;

  @Option(names = "--trace", description = "Print the trace of the last events before the violation.")
  boolean trace;

  @Override
  public Integer call() {
    FailureFolder.Saved saved;
    try {
      saved = FailureFolder.read(dir);
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "replay: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    Trial trial = original ? saved.originalTrial() : saved.trial();
    String expectedDigest = original ? saved.result().original().digest() : saved.result().digest();
    String expectedKind = saved.result().kind();
    out.printf("replaying seed %d, %s schedule (%d events, %.1f virtual s)%n", saved.seed(),
        original ? "original" : "minimized", trial.schedule().size(), trial.config().virtualMillis() / 1000.0);
    long start = System.nanoTime();
    SimResult r = trial.run();
    out.println(r.summary() + String.format(" wall=%.2fs", (System.nanoTime() - start) / 1e9));
    if (!r.clean()) {
      out.println("  " + r.violation());
    }
    if (trace && r.trace() != null) {
      out.println("  trace (last events before the violation):");
      out.println(r.trace().indent(4));
    }
    boolean sameKind = !r.clean() && r.violation().kind().equals(expectedKind);
    boolean sameDigest = r.digestHex().equals(expectedDigest);
    if (sameKind && sameDigest) {
      out.println("REPRODUCED: " + expectedKind + " with digest " + expectedDigest + ", as recorded in " + dir);
      out.flush();
      return 1;
    }
    out.println("DOES NOT REPRODUCE: expected " + expectedKind + " with digest " + expectedDigest + ", got "
        + (r.clean() ? "a clean run" : r.violation().kind()) + " with digest " + r.digestHex()
        + (sameKind ? " (same violation, different run: the code or the simulator changed)" : ""));
    out.flush();
    return 2;
  }
}
