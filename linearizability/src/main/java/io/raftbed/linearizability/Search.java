package io.raftbed.linearizability;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Wing-Gong/Lowe linearizability search over one partition, with Lowe's just-in-time
 * linearization and a memo of visited (done set, state) configurations, after Porcupine.
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
 * <p>Bounded by a deadline, a cancel flag and the memo's {@link MemoryBudget}; running out yields
 * {@link Verdict#UNKNOWN}. Single use, confined to the calling thread.
 */
final class Search {
    private static final int HEAD = 0;
    private static final int CHECK_INTERVAL_STEPS = 1 << 12;

    /** The outcome: a verdict, why if unknown, and the most operations the search linearized, in order. */
    record Outcome(Verdict verdict, String reason, int[] longest, int memoEntries, long steps) {}

    private final CompiledModel model;
    private final MemoryBudget budget;
    private final long deadlineNanos;
    private final BooleanSupplier cancelled;
    private final int n;
    private final int tail;
    private final EventList list;
    private final boolean[] unbounded;
    private final boolean[] bounded;
    private final long[] words;
    private final long[] zobrist1;
    private final long[] zobrist2;

    // The current configuration and the stack of choices that led to it (~op marks a drop).
    private int state;
    private int hi = -1;
    private long hash1;
    private long hash2;
    private int depth;
    private final int[] stackOp;
    private final int[] stackState;
    private final int[] stackHi;
    // The longest prefix: best[0..bestLen); best[0..agree) equals stackOp[0..agree).
    private final int[] best;
    private int bestLen;
    private int agree;

    /**
     * @param droppable per op, true for the shrinker's relaxed operations (optional, return kept);
     *                  null for none
     */
    Search(List<Operation> ops, boolean[] droppable, CompiledModel model, MemoryBudget budget, long deadlineNanos,
           BooleanSupplier cancelled) {
        this.model = model;
        this.budget = budget;
        this.deadlineNanos = deadlineNanos;
        this.cancelled = cancelled;
        this.n = ops.size();
        this.tail = 2 * n + 1;
        this.unbounded = new boolean[n];
        this.bounded = droppable == null ? new boolean[n] : droppable;
        for (int i = 0; i < n; i++) {
            unbounded[i] = !ops.get(i).isDeterminate() && !bounded[i];
        }
        this.list = new EventList(ops, unbounded);
        this.words = new long[(n >>> 6) + 1];
        this.zobrist1 = new long[n];
        this.zobrist2 = new long[n];
        SplittableRandom random = new SplittableRandom(0x5EED0F11EA2L);
        for (int i = 0; i < n; i++) {
            zobrist1[i] = random.nextLong();
            zobrist2[i] = random.nextLong();
        }
        this.stackOp = new int[n];
        this.stackState = new int[n];
        this.stackHi = new int[n];
        this.best = new int[n];
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
                String stop = stopReason();
                if (stop != null) {
                    return outcome(Verdict.UNKNOWN, stop, memo, steps);
                }
            }
            int code = list.nodeOp[node];
            if (code >= 0) {
                int nextState = model.step(state, code);
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
     * Marks {@code op} done with {@code nextState} (linearized, or dropped if {@code frame < 0}) unless
     * the memo has seen that configuration; on {@link Memo#ADDED} it is pushed, else undone.
     */
    private int tryPush(Memo memo, int op, int nextState, int frame) {
        words[op >>> 6] |= 1L << op;
        list.lift(op);
        int newHi = Math.max(hi, op);
        int lowest = list.next[HEAD] == tail ? n : list.nodeOp[list.next[HEAD]];
        int added = memo.add(hash1 ^ zobrist1[op], hash2 ^ zobrist2[op], nextState, words, lowest >>> 6, newHi >>> 6);
        if (added != Memo.ADDED) {
            list.unlift(op);
            words[op >>> 6] &= ~(1L << op);
            return added;
        }
        stackOp[depth] = frame;
        stackState[depth] = state;
        stackHi[depth] = hi;
        depth++;
        hash1 ^= zobrist1[op];
        hash2 ^= zobrist2[op];
        state = nextState;
        hi = newHi;
        return added;
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
            hi = stackHi[depth];
            hash1 ^= zobrist1[op];
            hash2 ^= zobrist2[op];
            words[op >>> 6] &= ~(1L << op);
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
        return "memo memory budget exhausted (" + memo.size() + " configurations, "
                + (memo.reservedBytes() >> 20) + " MiB of " + (budget.limitBytes() >> 20) + " MiB)";
    }

    private String stopReason() {
        if (cancelled.getAsBoolean()) {
            return "cancelled";
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            return "time limit reached";
        }
        return null;
    }
}
