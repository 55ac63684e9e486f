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
 * @param partitions     per-partition (per-key) results, in order of first appearance; after a
 *                       violation the partitions not yet decided are UNKNOWN with a reason that
 *                       starts with {@link PartitionResult#UNDECIDED_PREFIX}
 * @param counterexample for NOT_LINEARIZABLE, the first violating partition's counterexample
 * @param decidedIn      wall-clock time until the verdict was known, before shrinking the counterexample
 */
public record CheckResult(Verdict verdict, String reason, Duration elapsed, String model,
             List<PartitionResult> partitions, Optional<Counterexample> counterexample, Duration decidedIn) {

  /** A result whose verdict took all of {@code elapsed} (nothing was shrunk). */
  public CheckResult(Verdict verdict, String reason, Duration elapsed, String model,
      List<PartitionResult> partitions, Optional<Counterexample> counterexample) {
    this(verdict, reason, elapsed, model, partitions, counterexample, elapsed);
  }

  public boolean isLinearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /**
   * The keys of the partitions found not linearizable: the first one found (the check stops
   * there), and any other that another thread found meanwhile.
   */
  public List<Object> illegalKeys() {
    return keys(Verdict.NOT_LINEARIZABLE);
  }

  /** The keys of the partitions found linearizable. */
  public List<Object> legalKeys() {
    return keys(Verdict.LINEARIZABLE);
  }

  /** The keys of the partitions left UNKNOWN: their budget ran out, or the check stopped first. */
  public List<Object> undecidedKeys() {
    return keys(Verdict.UNKNOWN);
  }

  private List<Object> keys(Verdict v) {
    List<Object> out = new java.util.ArrayList<>();
    for (PartitionResult p : partitions) {
      if (p.verdict() == v) {
        out.add(p.key());
      }
    }
    return out;
  }

  /** One line: verdict, time, partitions (how many were decided which way), and the reason if unknown. */
  public String summary() {
    StringBuilder sb = new StringBuilder(verdict.name());
    sb.append(" in ").append(elapsed.toMillis()).append(" ms");
    if (decidedIn.compareTo(elapsed) < 0) {
      sb.append(", decided in ").append(decidedIn.toMillis()).append(" ms");
    }
    sb.append(" (model ").append(model)
        .append(", ").append(partitions.size()).append(partitions.size() == 1 ? " partition" : " partitions");
    int ops = 0;
    for (PartitionResult p : partitions) {
      ops += p.operations();
    }
    sb.append(", ").append(ops).append(" operations");
    if (partitions.size() > 1 && verdict != Verdict.LINEARIZABLE) {
      sb.append("; keys: ").append(illegalKeys().size()).append(" not linearizable, ")
          .append(legalKeys().size()).append(" linearizable, ").append(undecidedKeys().size()).append(" undecided");
    }
    sb.append(')');
    if (reason != null) {
      sb.append(": ").append(reason);
    }
    return sb.toString();
  }
}
