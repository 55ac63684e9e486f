package io.raftbed.linearizability;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Wing-Gong/Lowe linearizability search over one partition, with Lowe's just-in-time
 * linearization and a memo of visited (linearized set, state) configurations, after Porcupine.
 *
 * <p>Calls and returns form a doubly linked list in real-time order. The search walks the list:
 * at a call it tries to linearize that operation now (model step, memo check), lifting the call
 * and its return out of the list; at a return whose call is still in the list it backtracks.
 * An {@link Operation.Status#UNKNOWN} operation's return sits after every determinate return, so
 * reaching one means every determinate operation is linearized and the remaining indeterminate
 * ones can be taken to never have happened: the partition is linearizable.
 *
 * <p>Bounded by a deadline, a cancel flag and the memo's {@link MemoryBudget}; running out yields
 * {@link Verdict#UNKNOWN}. Single use, confined to the calling thread.
 */
final class Search {
    private static final int HEAD = 0;
    private static final int CHECK_INTERVAL_STEPS = 1 << 12;

    /** The outcome: a verdict, why if unknown, and the most operations the search linearized, in order. */
    record Outcome(Verdict verdict, String reason, int[] longest, int memoEntries, long steps) {}

    private final List<Operation> ops;
    private final CompiledModel model;
    private final MemoryBudget budget;
    private final long deadlineNanos;
    private final BooleanSupplier cancelled;

    private final int n;
    private final int tail;
    private final int[] next;
    private final int[] prev;
    /** Node -> op for calls, ~op for returns. */
    private final int[] nodeOp;
    private final int[] callNode;
    private final int[] returnNode;
    private final boolean[] optional;

    private final long[] words;
    private final long[] zobrist1;
    private final long[] zobrist2;

    Search(List<Operation> ops, CompiledModel model, MemoryBudget budget, long deadlineNanos, BooleanSupplier cancelled) {
        this.ops = ops;
        this.model = model;
        this.budget = budget;
        this.deadlineNanos = deadlineNanos;
        this.cancelled = cancelled;
        this.n = ops.size();
        this.tail = 2 * n + 1;
        this.next = new int[2 * n + 2];
        this.prev = new int[2 * n + 2];
        this.nodeOp = new int[2 * n + 2];
        this.callNode = new int[n];
        this.returnNode = new int[n];
        this.optional = new boolean[n];
        this.words = new long[(n >>> 6) + 1];
        this.zobrist1 = new long[n];
        this.zobrist2 = new long[n];
        SplittableRandom random = new SplittableRandom(0x5EED_0F_11_EA_2L);
        for (int i = 0; i < n; i++) {
            zobrist1[i] = random.nextLong();
            zobrist2[i] = random.nextLong();
        }
        buildList();
    }

    /** Orders the 2n events: calls at their invocation, returns at their completion, unknown returns last. */
    private void buildList() {
        long[] events = new long[2 * n];
        for (int i = 0; i < n; i++) {
            Operation op = ops.get(i);
            optional[i] = !op.isDeterminate();
            long returnTime = optional[i] ? Integer.MAX_VALUE : op.completePos();
            events[2 * i] = ((long) op.invokePos() << 32) | (2L * i);
            events[2 * i + 1] = (returnTime << 32) | (2L * i + 1);
        }
        Arrays.sort(events);
        int last = HEAD;
        for (int e = 0; e < events.length; e++) {
            int code = (int) events[e];
            int op = code >>> 1;
            int node = e + 1;
            boolean isCall = (code & 1) == 0;
            nodeOp[node] = isCall ? op : ~op;
            if (isCall) {
                callNode[op] = node;
            } else {
                returnNode[op] = node;
            }
            next[last] = node;
            prev[node] = last;
            last = node;
        }
        next[last] = tail;
        prev[tail] = last;
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
        int[] stackOp = new int[n];
        int[] stackState = new int[n];
        int[] stackHi = new int[n];
        int depth = 0;
        int[] best = new int[n];
        int bestLen = 0;
        int agree = 0; // best[0..agree) == stackOp[0..agree)
        int state = model.initialState();
        int hi = -1;
        long hash1 = 0;
        long hash2 = 0;
        long steps = 0;
        int node = next[HEAD];
        while (next[HEAD] != tail) {
            if (++steps % CHECK_INTERVAL_STEPS == 0) {
                String stop = stopReason();
                if (stop != null) {
                    return new Outcome(Verdict.UNKNOWN, stop, Arrays.copyOf(best, bestLen), memo.size(), steps);
                }
            }
            int code = nodeOp[node];
            if (code >= 0) {
                int op = code;
                int nextState = model.step(state, op);
                if (nextState != CompiledModel.ILLEGAL) {
                    setBit(op);
                    lift(op);
                    int newHi = Math.max(hi, op);
                    int lowest = next[HEAD] == tail ? n : nodeOp[next[HEAD]];
                    int added = memo.add(hash1 ^ zobrist1[op], hash2 ^ zobrist2[op], nextState,
                            words, lowest >>> 6, newHi >>> 6);
                    if (added == Memo.ADDED) {
                        stackOp[depth] = op;
                        stackState[depth] = state;
                        stackHi[depth] = hi;
                        depth++;
                        hash1 ^= zobrist1[op];
                        hash2 ^= zobrist2[op];
                        state = nextState;
                        hi = newHi;
                        node = next[HEAD];
                        continue;
                    }
                    unlift(op);
                    clearBit(op);
                    if (added == Memo.FULL) {
                        String reason = "memo memory budget exhausted (" + memo.size() + " configurations, "
                                + (memo.reservedBytes() >> 20) + " MiB of " + (budget.limitBytes() >> 20) + " MiB)";
                        return new Outcome(Verdict.UNKNOWN, reason, Arrays.copyOf(best, bestLen), memo.size(), steps);
                    }
                }
                node = next[node];
                continue;
            }
            int op = ~code;
            if (optional[op]) {
                return new Outcome(Verdict.LINEARIZABLE, null, new int[0], memo.size(), steps);
            }
            if (depth > bestLen) {
                System.arraycopy(stackOp, agree, best, agree, depth - agree);
                bestLen = depth;
                agree = depth;
            }
            if (depth == 0) {
                return new Outcome(Verdict.NOT_LINEARIZABLE, null, Arrays.copyOf(best, bestLen), memo.size(), steps);
            }
            depth--;
            agree = Math.min(agree, depth);
            int undo = stackOp[depth];
            state = stackState[depth];
            hi = stackHi[depth];
            hash1 ^= zobrist1[undo];
            hash2 ^= zobrist2[undo];
            clearBit(undo);
            unlift(undo);
            node = next[callNode[undo]];
        }
        return new Outcome(Verdict.LINEARIZABLE, null, new int[0], memo.size(), steps);
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

    /** Removes the call and return of {@code op} from the list (Lowe's lift). */
    private void lift(int op) {
        remove(callNode[op]);
        remove(returnNode[op]);
    }

    /** Puts them back, in the reverse order of {@link #lift}. */
    private void unlift(int op) {
        restore(returnNode[op]);
        restore(callNode[op]);
    }

    private void remove(int node) {
        next[prev[node]] = next[node];
        prev[next[node]] = prev[node];
    }

    private void restore(int node) {
        next[prev[node]] = node;
        prev[next[node]] = node;
    }

    private void setBit(int op) {
        words[op >>> 6] |= 1L << op;
    }

    private void clearBit(int op) {
        words[op >>> 6] &= ~(1L << op);
    }
}
