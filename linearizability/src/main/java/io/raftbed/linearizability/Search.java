package io.raftbed.linearizability;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Wing-Gong/Lowe linearizability search over one partition, with Lowe's just-in-time
 * linearization and a memo of visited configurations, after Porcupine. A configuration is the
 * state, the set D of determinate (and bounded) operations done and the set O of indeterminate
 * ones linearized; the memo also prunes configurations subsumed by a visited one ({@link Memo}).
 *
 * <p>Calls and returns form a doubly linked list in real-time order. The search walks the list:
 * at a call it tries to linearize that operation now (model step, then memo check), lifting the
 * call and its return out of the list; at a return whose call is still in the list it backtracks.
 * Two kinds of optional operations:
 * <ul>
 *   <li>indeterminate ones (unknown status): their return sits after every determinate return, so
 *       reaching one means every determinate operation is done and the remaining indeterminate
 *       ones can be taken to never have happened: the partition is linearizable;</li>
 *   <li>"bounded" ones (the shrinker's relaxed operations): their return stays where it was; at
 *       the return the search may drop the operation (it did not happen) instead of backtracking.</li>
 * </ul>
 *
 * Indeterminate operations with the same effect ({@link CompiledModel#effect}) are interchangeable
 * and are used in invocation order only (symmetry reduction).
 *
 * <p>Bounded by a deadline, a step limit, a cancel flag and the memo's {@link MemoryBudget};
 * running out yields {@link Verdict#UNKNOWN}. Single use, confined to the calling thread.
 */
final class Search {
  private static final int HEAD = 0;
  private static final int CHECK_INTERVAL_STEPS = 1 << 12;

  /** The outcome: a verdict, why if unknown, and the most operations the search linearized, in order. */
  record Outcome(Verdict verdict, String reason, int[] longest, int memoEntries, long steps) {}

  private final CompiledModel model;
  private final MemoryBudget budget;
  private final long deadlineNanos;
  private final long stepLimit;
  private final BooleanSupplier cancelled;
  /** Charges the compiled model's growth to the budget; false when it no longer fits. */
  private final BooleanSupplier modelFits;
  private final int n;
  private final int tail;
  private final EventList list;
  private final boolean[] unbounded;
  private final boolean[] bounded;
  /** Per op: its index among the D (determinate or bounded) ops, or among the O (unbounded) ops. */
  private final int[] index;
  /**
   * Per unbounded op: the previously invoked unbounded op with the same effect, or -1. Such ops
   * are interchangeable, so they are used in invocation order (symmetry reduction): an op is
   * only tried once its predecessor is used.
   */
  private final int[] previousTwin;
  private final long[] dWords;
  private final long[] oWords;
  private final long[] zobrist;

  // The current configuration: state, D and O bitsets with their bounds, and the D hash.
  private int state;
  private long hashD;
  private int dLow;
  private int dHi = -1;
  private int oLo = Integer.MAX_VALUE;
  private int oHi = -1;
  // The stack of choices that led here (~op marks a drop) and what each one changed.
  private int depth;
  private final int[] stackOp;
  private final int[] stackState;
  private final long[] stackBounds;
  // The longest prefix: best[0..bestLen); best[0..agree) equals stackOp[0..agree).
  private final int[] best;
  private int bestLen;
  private int agree;

  /**
   * @param droppable per op, true for the shrinker's relaxed operations (optional, return kept);
   *                  null for none
   * @param stepLimit the search stops (UNKNOWN) after about this many steps and memo comparisons
   * @param modelFits called between batches of steps: charges what the compiled model grew by to
   *                  the budget, false if that is exhausted
   */
  Search(List<Operation> ops, boolean[] droppable, CompiledModel model, MemoryBudget budget, long deadlineNanos,
      long stepLimit, BooleanSupplier cancelled, BooleanSupplier modelFits) {
    this.model = model;
    this.budget = budget;
    this.deadlineNanos = deadlineNanos;
    this.stepLimit = stepLimit;
    this.cancelled = cancelled;
    this.modelFits = modelFits;
    this.n = ops.size();
    this.tail = 2 * n + 1;
    this.unbounded = new boolean[n];
    this.bounded = droppable == null ? new boolean[n] : droppable;
    this.index = new int[n];
    int nD = 0;
    int nO = 0;
    for (int i = 0; i < n; i++) {
      unbounded[i] = !ops.get(i).isDeterminate() && !bounded[i];
      index[i] = unbounded[i] ? nO++ : nD++;
    }
    this.previousTwin = twins(model, unbounded);
    this.list = new EventList(ops, unbounded);
    this.dWords = new long[(nD >>> 6) + 1];
    this.oWords = new long[(nO >>> 6) + 1];
    this.zobrist = new long[n];
    SplittableRandom random = new SplittableRandom(0x5EED0F11EA2L);
    for (int i = 0; i < n; i++) {
      zobrist[i] = unbounded[i] ? 0 : random.nextLong();
    }
    this.stackOp = new int[n];
    this.stackState = new int[n];
    this.stackBounds = new long[n];
    this.best = new int[n];
  }

  /**
   * An upper bound of the bytes a search over {@code n} operations holds besides its memo: the
   * event list, per-operation arrays and the stack (reserved from the budget for the search's
   * lifetime).
   */
  static long bytesFor(int n) {
    return 256 + 112L * n;
  }

  private static int[] twins(CompiledModel model, boolean[] unbounded) {
    int[] previous = new int[unbounded.length];
    java.util.Map<Long, Integer> last = new java.util.HashMap<>();
    for (int op = 0; op < unbounded.length; op++) {
      long effect = unbounded[op] ? model.effect(op) : -1;
      Integer twin = effect < 0 ? null : last.put(effect, op);
      previous[op] = twin == null ? -1 : twin;
    }
    return previous;
  }

  /** True if {@code op} has an unused twin invoked earlier, which the search tries instead. */
  private boolean twinFirst(int op) {
    int twin = previousTwin[op];
    if (twin < 0) {
      return false;
    }
    int i = index[twin];
    return (oWords[i >>> 6] & (1L << i)) == 0;
  }

  Outcome run() {
    Memo memo = new Memo(budget);
    try {
      return search(memo);
    } finally {
      memo.release();
    }
  }

  private Outcome search(Memo memo) {
    state = model.initialState();
    long steps = 0;
    int node = list.next[HEAD];
    while (list.next[HEAD] != tail) {
      if (++steps % CHECK_INTERVAL_STEPS == 0) {
        String stop = stopReason(steps + memo.comparisons());
        if (stop != null) {
          return outcome(Verdict.UNKNOWN, stop, memo, steps);
        }
      }
      int code = list.nodeOp[node];
      if (code >= 0) {
        int nextState = unbounded[code] && twinFirst(code) ? CompiledModel.ILLEGAL : model.step(state, code);
        int added = nextState == CompiledModel.ILLEGAL ? Memo.PRESENT : tryPush(memo, code, nextState, code);
        if (added == Memo.FULL) {
          return outcome(Verdict.UNKNOWN, memoFull(memo), memo, steps);
        }
        node = added == Memo.ADDED ? list.next[HEAD] : list.next[node];
        continue;
      }
      int op = ~code;
      if (unbounded[op]) {
        return outcome(Verdict.LINEARIZABLE, null, memo, steps);
      }
      if (bounded[op]) {
        int added = tryPush(memo, op, state, ~op);
        if (added == Memo.FULL) {
          return outcome(Verdict.UNKNOWN, memoFull(memo), memo, steps);
        }
        if (added == Memo.ADDED) {
          node = list.next[HEAD];
          continue;
        }
      }
      node = backtrack();
      if (node < 0) {
        return outcome(Verdict.NOT_LINEARIZABLE, null, memo, steps);
      }
    }
    return outcome(Verdict.LINEARIZABLE, null, memo, steps);
  }

  /**
   * Marks {@code op} done with {@code nextState} (linearized, or dropped if {@code frame < 0})
   * unless the memo has seen that configuration or one that subsumes it; on {@link Memo#ADDED}
   * the choice is pushed, else undone.
   */
  private int tryPush(Memo memo, int op, int nextState, int frame) {
    long savedBounds = unbounded[op] ? pack(oLo, oHi) : pack(dLow, dHi);
    int i = index[op];
    if (unbounded[op]) {
      oWords[i >>> 6] |= 1L << i;
      oLo = Math.min(oLo, i);
      oHi = Math.max(oHi, i);
    } else {
      dWords[i >>> 6] |= 1L << i;
      dLow = i == dLow ? nextUnset(dLow + 1) : dLow;
      dHi = Math.max(dHi, i);
    }
    list.lift(op);
    int added = memo.add(hashD ^ zobrist[op], nextState, dWords, dLow >>> 6, dHi >> 6,
        oWords, oHi < 0 ? 0 : oLo >>> 6, oHi < 0 ? -1 : oHi >>> 6);
    if (added != Memo.ADDED) {
      list.unlift(op);
      undoBits(op, savedBounds);
      return added;
    }
    stackOp[depth] = frame;
    stackState[depth] = state;
    stackBounds[depth] = savedBounds;
    depth++;
    hashD ^= zobrist[op];
    state = nextState;
    return added;
  }

  private void undoBits(int op, long savedBounds) {
    int i = index[op];
    if (unbounded[op]) {
      oWords[i >>> 6] &= ~(1L << i);
      oLo = (int) (savedBounds >> 32);
      oHi = (int) savedBounds;
    } else {
      dWords[i >>> 6] &= ~(1L << i);
      dLow = (int) (savedBounds >> 32);
      dHi = (int) savedBounds;
    }
  }

  private static long pack(int high, int low) {
    return ((long) high << 32) | (low & 0xFFFFFFFFL);
  }

  /** The lowest D index {@code >= from} whose bit is clear. */
  private int nextUnset(int from) {
    int w = from >>> 6;
    if (w >= dWords.length) {
      return from;
    }
    long clear = ~dWords[w] & (-1L << from);
    while (clear == 0 && ++w < dWords.length) {
      clear = ~dWords[w];
    }
    return w >= dWords.length ? dWords.length << 6 : (w << 6) + Long.numberOfTrailingZeros(clear);
  }

  /** Undoes choices until one can be followed by another; the node to go on from, or -1 if none is left. */
  private int backtrack() {
    if (depth > bestLen) {
      System.arraycopy(stackOp, agree, best, agree, depth - agree);
      bestLen = depth;
      agree = depth;
    }
    while (depth > 0) {
      depth--;
      agree = Math.min(agree, depth);
      int frame = stackOp[depth];
      int op = frame >= 0 ? frame : ~frame;
      state = stackState[depth];
      hashD ^= zobrist[op];
      undoBits(op, stackBounds[depth]);
      list.unlift(op);
      if (frame >= 0) {
        return list.next[list.callNode[op]];
      }
      // A drop was the last choice at that return: nothing else to try there.
    }
    return -1;
  }

  private Outcome outcome(Verdict verdict, String reason, Memo memo, long steps) {
    int[] longest = new int[0];
    if (verdict != Verdict.LINEARIZABLE) {
      longest = Arrays.stream(best, 0, bestLen).filter(op -> op >= 0).toArray();
    }
    return new Outcome(verdict, reason, longest, memo.size(), steps);
  }

  private String memoFull(Memo memo) {
    return PartitionSearch.budgetReason(budget, "the memo (" + memo.size() + " configurations, "
        + (memo.reservedBytes() >> 20) + " MiB)");
  }

  private String stopReason(long steps) {
    if (steps >= stepLimit) {
      return "step limit reached (" + stepLimit + ")";
    }
    if (cancelled.getAsBoolean()) {
      return "cancelled";
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      return "time limit reached";
    }
    if (!modelFits.getAsBoolean()) {
      return PartitionSearch.budgetReason(budget, "the model's states (" + model.stateCount() + " states)");
    }
    return null;
  }
}
