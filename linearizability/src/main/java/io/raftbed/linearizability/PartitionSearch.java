package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One partition made ready for the search: indeterminate read-only operations dropped, the model
 * compiled. Then searched ({@link #decide}, or round by round with {@link Rounds}). Confined to one
 * thread at a time.
 */
final class PartitionSearch {
  final List<Operation> ops;
  final CompiledModel compiled;
  /** Per op: relaxed by the shrinker (optional within its interval); null if none is. */
  private final boolean[] droppable;
  /** Bytes of the compiled model's tables charged to a budget so far ({@link #chargeModel}). */
  private long modelBytesCharged;

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

  /** A verdict by the depth-first search alone (fast, and gives the longest linearizable prefix). */
  Search.Outcome run(MemoryBudget budget, long deadlineNanos, BooleanSupplier cancelled) {
    return run(budget, deadlineNanos, Long.MAX_VALUE, cancelled);
  }

  private Search.Outcome run(MemoryBudget budget, long deadlineNanos, long stepLimit, BooleanSupplier cancelled) {
    long bytes = Search.bytesFor(ops.size());
    if (!budget.tryReserve(bytes)) {
      return new Search.Outcome(Verdict.UNKNOWN, budgetReason(budget, "the depth-first search's tables"),
          new int[0], 0, 0);
    }
    try {
      return new Search(ops, droppable, compiled, budget, deadlineNanos, stepLimit, cancelled,
          () -> chargeModel(budget)).run();
    } finally {
      budget.release(bytes);
    }
  }

  /** A verdict by the breadth-first search alone. */
  FrontierSearch.Outcome frontier(MemoryBudget budget, long deadlineNanos, BooleanSupplier cancelled) {
    return frontier(budget, deadlineNanos, Long.MAX_VALUE, cancelled);
  }

  private FrontierSearch.Outcome frontier(MemoryBudget budget, long deadlineNanos, long workLimit,
      BooleanSupplier cancelled) {
    return new FrontierSearch(ops, droppable, compiled, budget, deadlineNanos, workLimit, cancelled,
        () -> chargeModel(budget)).run();
  }

  /**
   * Charges what the compiled model has grown by (states interned since the last charge) to the
   * budget. The searches call it between batches of steps, so a model that creates large states
   * (appends, queues, sets) cannot outgrow the heap unnoticed.
   *
   * @return false if the budget cannot cover the model any more
   */
  boolean chargeModel(MemoryBudget budget) {
    long delta = compiled.approxBytes() - modelBytesCharged;
    if (delta <= 0) {
      return true;
    }
    if (!budget.tryReserve(delta)) {
      return false;
    }
    modelBytesCharged += delta;
    return true;
  }

  /** Gives the model's charge back (the partition is decided and its search dropped). */
  void releaseModel(MemoryBudget budget) {
    budget.release(modelBytesCharged);
    modelBytesCharged = 0;
  }

  static String budgetReason(MemoryBudget budget, String what) {
    return "memory budget exhausted by " + what + " (budget " + budget.describe() + ")";
  }

  /**
   * What the searches decide, or UNKNOWN with their reasons.
   *
   * @param longest     the depth-first search's longest linearizable prefix (op indexes)
   * @param cutPosition for a breadth-first violation, the position after the completion where it
   *                    was found, else -1
   * @param statesAtCut the states the partition could be in just before that completion
   */
  record Decision(Verdict verdict, String reason, int[] longest, int cutPosition, List<String> statesAtCut,
      long configurations) {}

  /**
   * Breadth-first work (configurations, subsumption comparisons, open operations tried) of the
   * first round. The same for every partition whatever its size, so that interleaved rounds
   * ({@link Scheduler}) give every partition the same work before any gets more.
   */
  static final long FIRST_ROUND = 1_000;
  /** Depth-first work (steps and memo comparisons) that costs about as much as one unit of breadth-first work. */
  static final long STEPS_PER_CONFIGURATION = 10;
  /** How much each round's budgets grow. */
  static final long ROUND_GROWTH = 3;

  /**
   * Decides with the depth-first and the breadth-first search, which struggle on different
   * histories. Depth-first ({@link Search}) settles most histories in a few steps, but on a
   * non-linearizable one it must exhaust every linearization of the prefix before the violation,
   * and concurrency can make it wander; breadth-first ({@link FrontierSearch}) needs memory for
   * the frontier only and pins a violation to its event, but many indeterminate operations widen
   * its frontier. So they take turns ({@link Rounds}), each restarting with a budget
   * {@link #ROUND_GROWTH} times larger than in its last round, until one decides: the total cost
   * stays within a small factor of the better one's. Budgets count steps, not time, so the
   * outcome (and the counterexample) does not depend on the machine, unless the time limit or the
   * memory budget runs out.
   */
  Decision decide(MemoryBudget budget, long deadlineNanos, BooleanSupplier cancelled) {
    Rounds rounds = new Rounds();
    while (rounds.next(budget, deadlineNanos, cancelled) == null) {
      // the next round, with budgets ROUND_GROWTH times larger
    }
    return rounds.decision;
  }

  /**
   * The rounds of {@link #decide}, one at a time, so that a caller can interleave the rounds of
   * many partitions: a hard partition then cannot hold back the verdict on an easy one.
   * Confined to one thread at a time.
   */
  final class Rounds {
    private long round = FIRST_ROUND;
    private String depthFirstStop;
    private String breadthFirstStop;
    private long configurations;
    private int[] longest = new int[0];
    private Decision decision;

    /** Runs the next round; the decision once there is one (UNKNOWN when both engines stopped for good), else null. */
    Decision next(MemoryBudget budget, long deadlineNanos, BooleanSupplier cancelled) {
      if (decision != null) {
        return decision;
      }
      if (depthFirstStop == null) {
        Search.Outcome dfs = run(budget, deadlineNanos, round * STEPS_PER_CONFIGURATION, cancelled);
        configurations += dfs.memoEntries();
        longest = dfs.longest().length > longest.length ? dfs.longest() : longest;
        if (dfs.verdict() != Verdict.UNKNOWN) {
          return decision = new Decision(dfs.verdict(), null, dfs.longest(), -1, List.of(), configurations);
        }
        depthFirstStop = dfs.reason().startsWith("step limit") ? null : dfs.reason();
      }
      if (breadthFirstStop == null) {
        FrontierSearch.Outcome bfs = frontier(budget, deadlineNanos, round, cancelled);
        configurations += bfs.configurations();
        if (bfs.verdict() != Verdict.UNKNOWN) {
          return decision = new Decision(bfs.verdict(), null, longest, bfs.cutPosition(), bfs.statesBefore(),
              configurations);
        }
        breadthFirstStop = bfs.reason().startsWith("work limit") ? null : bfs.reason();
      }
      round = Math.min(round * ROUND_GROWTH, Long.MAX_VALUE / (ROUND_GROWTH * STEPS_PER_CONFIGURATION));
      if (depthFirstStop != null && breadthFirstStop != null) {
        String reason = depthFirstStop.equals(breadthFirstStop) ? depthFirstStop
            : "depth-first: " + depthFirstStop + "; breadth-first: " + breadthFirstStop;
        return decision = new Decision(Verdict.UNKNOWN, reason, longest, -1, List.of(), configurations);
      }
      return null;
    }

    long configurations() {
      return configurations;
    }
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
