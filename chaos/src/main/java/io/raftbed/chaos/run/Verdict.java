package io.raftbed.chaos.run;

import java.util.List;

/**
 * What a chaos run decided. {@link #exitCode} is the command's: 0 every check passed; 1 a check
 * failed (a violation); 3 the run could not be judged (the checker's budget ran out, or the cluster
 * never came up). Usage and environment errors (2) and harness crashes (70) never reach a verdict.
 *
 * @param linearizability the checker's verdict on the whole history: LINEARIZABLE, NOT_LINEARIZABLE,
 *     UNKNOWN, or SKIPPED when the scenario does not ask for it
 * @param violations one line per failed check, empty when none failed
 * @param undecided why the run could not be judged, or null
 */
public record Verdict(String linearizability, String linearizabilityDetail, Check liveness, Check durability,
    List<String> violations, String undecided) {

  /** One check's result: passed, and what was seen. {@code ran} is false when the scenario turned it off. */
  public record Check(boolean ran, boolean ok, String detail) {
    public static Check skipped() {
      return new Check(false, true, "not asked for");
    }
  }

  public Verdict {
    violations = List.copyOf(violations);
  }

  public boolean passed() {
    return violations.isEmpty() && undecided == null;
  }

  public String word() {
    return !violations.isEmpty() ? "fail" : undecided != null ? "unknown" : "pass";
  }

  public int exitCode() {
    return !violations.isEmpty() ? 1 : undecided != null ? 3 : 0;
  }
}
