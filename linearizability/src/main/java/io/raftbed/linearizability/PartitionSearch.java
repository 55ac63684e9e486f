package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One partition made ready for the search: indeterminate read-only operations dropped, the model
 * compiled. Then searched once ({@link #run}). Confined to one thread at a time.
 */
final class PartitionSearch {
    final List<Operation> ops;
    final CompiledModel compiled;
    /** Per op: relaxed by the shrinker (optional within its interval); null if none is. */
    private final boolean[] droppable;

    private PartitionSearch(List<Operation> ops, CompiledModel compiled, boolean[] droppable) {
        this.ops = ops;
        this.compiled = compiled;
        this.droppable = droppable;
    }

    /**
     * @throws IllegalArgumentException if the model does not understand an operation
     */
    static PartitionSearch prepare(Model<?> model, List<Operation> partition) {
        return prepare(model, partition, null);
    }

    /**
     * Like {@link #prepare(Model, List)}, with the operations in {@code relaxed} (by invocation
     * position) made optional within their interval and their output forgotten; read-only ones
     * are removed.
     */
    static PartitionSearch prepare(Model<?> model, List<Operation> partition, Set<Integer> relaxed) {
        List<Operation> ops = new ArrayList<>(partition.size());
        boolean[] droppable = relaxed == null ? null : new boolean[partition.size()];
        for (Operation op : partition) {
            boolean relax = relaxed != null && relaxed.contains(op.invokePos());
            if ((op.isDeterminate() && !relax) || !model.isReadOnly(op)) {
                if (relax) {
                    droppable[ops.size()] = true;
                }
                ops.add(relax ? op.relaxed() : op);
            }
        }
        CompiledModel compiled = model instanceof CompilableModel c ? c.compile(ops) : generic(model, ops);
        return new PartitionSearch(List.copyOf(ops), compiled, droppable);
    }

    private static <S> CompiledModel generic(Model<S> model, List<Operation> ops) {
        return new GenericCompiled<>(model, ops);
    }

    /**
     * A verdict by the depth-first search alone (fast, and gives the longest linearizable prefix).
     */
    Search.Outcome run(MemoryBudget budget, long deadlineNanos, BooleanSupplier cancelled) {
        return new Search(ops, droppable, compiled, budget, deadlineNanos, cancelled).run();
    }

    /** A verdict by the breadth-first search alone. */
    FrontierSearch.Outcome frontier(MemoryBudget budget, long deadlineNanos, BooleanSupplier cancelled) {
        return new FrontierSearch(ops, droppable, compiled, budget, deadlineNanos, cancelled).run();
    }

    /**
     * What the two searches decide: depth-first first, for up to {@link #DEPTH_FIRST_SHARE} of the
     * time left (it settles most histories in milliseconds, but must exhaust every linearization of
     * a long prefix before it can report a late violation); if it cannot decide, breadth-first
     * ({@link FrontierSearch}), which finds late violations in memory proportional to the
     * frontier, for the rest.
     *
     * @param longest       the depth-first search's longest linearizable prefix (op indexes)
     * @param cutPosition   for a breadth-first violation, the position after the completion where
     *                      it was found, else -1
     * @param statesAtCut   the states the partition could be in just before that completion
     */
    record Decision(Verdict verdict, String reason, int[] longest, int cutPosition, List<String> statesAtCut,
                    long configurations) {}

    static final double DEPTH_FIRST_SHARE = 0.1;

    Decision decide(MemoryBudget budget, long deadlineNanos, BooleanSupplier cancelled) {
        long now = System.nanoTime();
        long depthFirstDeadline = now + (long) ((deadlineNanos - now) * DEPTH_FIRST_SHARE);
        Search.Outcome dfs = run(budget, depthFirstDeadline, cancelled);
        if (dfs.verdict() != Verdict.UNKNOWN || cancelled.getAsBoolean()) {
            return new Decision(dfs.verdict(), dfs.reason(), dfs.longest(), -1, List.of(), dfs.memoEntries());
        }
        FrontierSearch.Outcome bfs = frontier(budget, deadlineNanos, cancelled);
        String reason = bfs.verdict() == Verdict.UNKNOWN
                ? "depth-first: " + dfs.reason() + "; breadth-first: " + bfs.reason() : null;
        return new Decision(bfs.verdict(), reason, dfs.longest(), bfs.cutPosition(), bfs.statesBefore(),
                dfs.memoEntries() + bfs.configurations());
    }

    /** The operations of a linearization prefix, by op index. */
    List<Operation> operations(int[] order) {
        List<Operation> out = new ArrayList<>(order.length);
        for (int i : order) {
            out.add(ops.get(i));
        }
        return out;
    }

    /** The model state after each operation of {@code order}, replayed from the initial state. */
    List<String> statesAfter(int[] order) {
        List<String> out = new ArrayList<>(order.length);
        int state = compiled.initialState();
        for (int i : order) {
            state = compiled.step(state, i);
            if (state == CompiledModel.ILLEGAL) {
                throw new AssertionError("the search's linearization does not replay at op " + ops.get(i));
            }
            out.add(compiled.describe(state));
        }
        return out;
    }

    /**
     * The determinate operations that were pending right after the prefix {@code order}: not in it,
     * and invoked before the earliest completion of any determinate operation not in it.
     */
    List<Operation> stuckAfter(int[] order) {
        Set<Integer> done = new HashSet<>();
        for (int i : order) {
            done.add(i);
        }
        int firstReturn = Integer.MAX_VALUE;
        for (int i = 0; i < ops.size(); i++) {
            if (!done.contains(i) && ops.get(i).isDeterminate()) {
                firstReturn = Math.min(firstReturn, ops.get(i).completePos());
            }
        }
        List<Operation> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (!done.contains(i) && op.isDeterminate() && op.invokePos() < firstReturn) {
                out.add(op);
            }
        }
        return out;
    }
}
