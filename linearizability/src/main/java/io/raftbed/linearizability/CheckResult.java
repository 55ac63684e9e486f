package io.raftbed.linearizability;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link Checker#check}. Immutable.
 *
 * @param verdict        NOT_LINEARIZABLE if any partition is not; LINEARIZABLE if all are; else UNKNOWN
 * @param reason         why the verdict is UNKNOWN (the first partition's reason), else null
 * @param elapsed        wall-clock time of the check, shrinking included
 * @param model          the model's name
 * @param partitions     per-partition (per-key) results, in order of first appearance
 * @param counterexample for NOT_LINEARIZABLE, the first violating partition's counterexample
 */
public record CheckResult(Verdict verdict, String reason, Duration elapsed, String model,
             List<PartitionResult> partitions, Optional<Counterexample> counterexample) {

  public boolean isLinearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /** One line: verdict, time, partitions, and the reason if unknown. */
  public String summary() {
    StringBuilder sb = new StringBuilder(verdict.name());
    sb.append(" in ").append(elapsed.toMillis()).append(" ms (model ").append(model)
        .append(", ").append(partitions.size()).append(partitions.size() == 1 ? " partition" : " partitions");
    int ops = 0;
    for (PartitionResult p : partitions) {
      ops += p.operations();
    }
    sb.append(", ").append(ops).append(" operations)");
    if (reason != null) {
      sb.append(": ").append(reason);
    }
    return sb.toString();
  }
}
