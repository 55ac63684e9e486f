package io.raftbed.sim.cli;

import io.raftbed.sim.SimResult;
import java.io.PrintStream;

/** Prints what a user needs about a failing run: the violation, the schedule, how to replay it. */
final class Reports {
  private Reports() {}

  static void printViolation(PrintStream out, SimResult r, String replay, boolean withTrace) {
    out.println("VIOLATION seed=" + r.seed() + " " + r.violation());
    out.println("  faults:   " + r.schedule().print());
    out.println("  replay:   " + replay);
    if (withTrace && r.trace() != null) {
      out.println("  trace (last events before the violation):");
      out.println(r.trace().indent(4));
    }
  }
}
