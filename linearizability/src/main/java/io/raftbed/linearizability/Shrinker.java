package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Shrinks a non-linearizable partition to a small window of operations that cannot be
 * linearized, using only moves that keep "not linearizable" true of the original history:
 *
 * <ol>
 *   <li>cutting the history at a position: operations invoked later are removed, those completing
 *       later become indeterminate (a prefix of a linearizable history is linearizable);</li>
 *   <li>relaxing a determinate operation: it may take effect within its interval with any result,
 *       or not at all (a linearization of the original still works); for a read-only operation
 *       that means removing it. Unlike turning it {@code :info}, its effect cannot drift past its
 *       completion, which keeps each check as cheap as the original search.</li>
 * </ol>
 *
 * First the shortest non-linearizable cut: the breadth-first search reports it when it found the
 * violation, else a binary search over completions finds it. Then the determinate operations
 * before it are relaxed chunk by chunk (delta debugging) while the rest stays not linearizable.
 * Every accepted step was verified by a search, so the window is valid even when the time budget
 * stops the shrinking early. Confined to the calling thread.
 */
final class Shrinker {
  private final Model<?> model;
  private final MemoryBudget budget;
  private final long deadlineNanos;
  private boolean incomplete;
  private int checks;

  Shrinker(Model<?> model, MemoryBudget budget, long deadlineNanos) {
    this.model = model;
    this.budget = budget;
    this.deadlineNanos = deadlineNanos;
  }

  /** The counterexample of a partition whose full search ended NOT_LINEARIZABLE. */
  Counterexample counterexample(Object key, List<Operation> partition, PartitionSearch search,
                 PartitionSearch.Decision outcome) {
    int[] longest = outcome.longest();
    int cut = outcome.cutPosition() >= 0 ? outcome.cutPosition() : shortestCut(partition);
    List<Operation> prefix = cut(partition, cut);
    List<Operation> window = relaxWhilePossible(prefix, cut);
    window.sort(Comparator.comparingInt(Operation::invokePos));
    String note = checks == 0 ? "not shrunk: no time was left for shrinking"
        : incomplete ? "shrinking stopped at its time limit; the window may not be minimal"
        : "minimal: relaxing any one of them makes the rest linearizable";
    return new Counterexample(key, List.copyOf(window), search.operations(longest),
        search.statesAfter(longest), search.stuckAfter(longest), cut, outcome.statesAtCut(), note);
  }

  /** The smallest cut (history position) at which the partition is verified not linearizable. */
  private int shortestCut(List<Operation> partition) {
    TreeSet<Integer> positions = new TreeSet<>();
    for (Operation op : partition) {
      if (op.isDeterminate()) {
        positions.add(op.completePos() + 1);
      }
    }
    List<Integer> cuts = new ArrayList<>(positions);
    int best = Integer.MAX_VALUE;
    int lo = 0;
    int hi = cuts.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (notLinearizable(cut(partition, cuts.get(mid)))) {
        best = cuts.get(mid);
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return best;
  }

  /** The history as seen at position {@code cut}: later invocations removed, later completions unknown. */
  static List<Operation> cut(List<Operation> partition, int cut) {
    List<Operation> out = new ArrayList<>();
    for (Operation op : partition) {
      if (op.invokePos() >= cut) {
        continue;
      }
      boolean completesLater = !op.isDeterminate() || op.completePos() >= cut;
      out.add(completesLater && op.isDeterminate() ? op.relaxed() : op);
    }
    return out;
  }

  /**
   * Relaxes determinate operations while the rest stays not linearizable: first all but those that
   * completed in the last k events before the cut, for k = 8, 32, 128, ... (a violation is
   * usually local, and one check then drops most of a long prefix), then delta debugging over what
   * is left, in chunks.
   */
  private List<Operation> relaxWhilePossible(List<Operation> prefix, int cut) {
    List<Operation> kept = new ArrayList<>();
    for (Operation op : prefix) {
      if (op.isDeterminate()) {
        kept.add(op);
      }
    }
    for (int k = 8; k < kept.size() && System.nanoTime() - deadlineNanos < 0; k *= 4) {
      List<Operation> recent = new ArrayList<>();
      for (Operation op : kept) {
        if (op.completePos() >= cut - k) {
          recent.add(op);
        }
      }
      if (recent.size() < kept.size() && notLinearizable(prefix, relaxedExcept(prefix, recent))) {
        kept = recent;
        break;
      }
    }
    int chunk = Math.max(1, kept.size() / 2);
    while (true) {
      boolean removedAny = false;
      for (int start = 0; start < kept.size(); ) {
        if (System.nanoTime() - deadlineNanos > 0) {
          incomplete = true;
          return kept;
        }
        int end = Math.min(kept.size(), start + chunk);
        List<Operation> candidate = new ArrayList<>(kept.subList(0, start));
        candidate.addAll(kept.subList(end, kept.size()));
        if (notLinearizable(prefix, relaxedExcept(prefix, candidate))) {
          kept = candidate;
          removedAny = true;
        } else {
          start = end;
        }
      }
      if (chunk == 1 && !removedAny) {
        return kept;
      }
      chunk = Math.max(1, chunk / 2);
    }
  }

  /** Invocation positions of the determinate operations of {@code prefix} not in {@code keep}. */
  private static Set<Integer> relaxedExcept(List<Operation> prefix, List<Operation> keep) {
    Set<Integer> kept = new HashSet<>();
    for (Operation op : keep) {
      kept.add(op.invokePos());
    }
    Set<Integer> out = new HashSet<>();
    for (Operation op : prefix) {
      if (op.isDeterminate() && !kept.contains(op.invokePos())) {
        out.add(op.invokePos());
      }
    }
    return out;
  }

  private boolean notLinearizable(List<Operation> ops) {
    return notLinearizable(ops, null);
  }

  private boolean notLinearizable(List<Operation> ops, Set<Integer> relaxed) {
    if (System.nanoTime() - deadlineNanos > 0) {
      incomplete = true;
      return false;
    }
    checks++;
    PartitionSearch.Decision outcome =
        PartitionSearch.prepare(model, ops, relaxed).decide(budget, deadlineNanos, () -> false);
    if (outcome.verdict() == Verdict.UNKNOWN) {
      incomplete = true;
    }
    return outcome.verdict() == Verdict.NOT_LINEARIZABLE;
  }
}
