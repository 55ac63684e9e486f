package io.raftbed.linearizability;

import java.util.List;

/**
 * Why a history is not linearizable, for one partition that is not. Immutable.
 *
 * @param key           the partition's key (null if unkeyed)
 * @param window        a small set of determinate operations that cannot be linearized together:
 *                      with every other operation of the partition that was invoked before
 *                      {@code cutPosition} treated as indeterminate (or removed, if read-only),
 *                      and everything invoked later removed, the partition is still not
 *                      linearizable. Sorted by invocation.
 * @param longest       the longest linearizable prefix the search found: operations in
 *                      linearization order (Porcupine's "partial linearization")
 * @param statesAfter   the model state after each operation of {@code longest}
 * @param stuck         the determinate operations that were pending when the search could go no
 *                      further than {@code longest}
 * @param cutPosition   history position such that the events before it are already not linearizable
 * @param statesAtCut   the states the partition could be in just before the completion at
 *                      {@code cutPosition - 1} that no linearization could accommodate; empty if
 *                      the violation was found depth-first
 * @param shrinkNote    how the window was found, e.g. "minimal" or "shrinking stopped: time limit"
 */
public record Counterexample(Object key, List<Operation> window, List<Operation> longest,
               List<String> statesAfter, List<Operation> stuck, int cutPosition,
               List<String> statesAtCut, String shrinkNote) {

  /** {@link #describe()}: the record's fields would be too long to read. */
  @Override
  public String toString() {
    return describe();
  }

  private static final int LINES_MAX = 40;

  /** One line per operation, at most {@link #LINES_MAX} (first and last ones). */
  private static void appendOps(StringBuilder sb, List<Operation> ops) {
    for (int i = 0; i < ops.size(); i++) {
      if (ops.size() > LINES_MAX && i == LINES_MAX / 2) {
        sb.append("  ... ").append(ops.size() - LINES_MAX).append(" more ...\n");
        i = ops.size() - LINES_MAX / 2;
      }
      sb.append("  ").append(ops.get(i)).append('\n');
    }
  }

  /** A few lines for a terminal. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (key != null) {
      sb.append("key ").append(Values.toEdn(key)).append(": ");
    }
    sb.append("these ").append(window.size()).append(" operations cannot be linearized (")
        .append(shrinkNote).append("):\n");
    appendOps(sb, window);
    sb.append("longest linearizable prefix: ").append(longest.size()).append(" operations");
    if (!longest.isEmpty()) {
      int last = longest.size() - 1;
      sb.append(", ending with ").append(longest.get(last)).append(" (state ")
          .append(statesAfter.get(last)).append(')');
    }
    sb.append('\n');
    if (!statesAtCut.isEmpty()) {
      sb.append("just before event ").append(cutPosition - 1).append(" the state could only be one of ")
          .append(statesAtCut).append('\n');
    }
    if (!stuck.isEmpty()) {
      sb.append("then none of these could be linearized:\n");
      appendOps(sb, stuck);
    }
    return sb.toString();
  }
}
