package io.raftbed.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a history is linearizable with respect to a model.
 *
 * <p>The model splits the operations into independent partitions (P-compositionality: the
 * history is linearizable iff every partition is). Each partition is decided in rounds of growing
 * work ({@link PartitionSearch.Rounds}), and the rounds of all partitions are interleaved by
 * {@link Scheduler}: round 1 of every partition, then round 2 of those still undecided, and so
 * on, on {@link CheckOptions#parallelism()} threads (the caller's included). So a hard partition
 * cannot hold back an easy one, and the first partition found not linearizable decides the whole
 * history at once: every other search is cancelled and reported undecided. The violating
 * partition is then shrunk to a small window by {@link Shrinker}.
 *
 * <p>With parallelism 1 the order of the rounds, and so which partition is reported, depends on
 * the history alone (step budgets, not time), unless a time or memory budget runs out; with more
 * threads the first violation found wins.
 *
 * <p>Memory: the memo tables, frontiers and the models' states are charged to one budget derived
 * from the heap ({@link CheckOptions#memoryLimitBytes()}); a search that would exceed it stops
 * with UNKNOWN and the reason. Should the heap run out nonetheless, the searches are dropped and
 * the verdict is UNKNOWN, never a wrong one.
 *
 * <p>Thread-safe and stateless: call it from any thread. The model must be thread-safe.
 */
public final class Checker {
  private Checker() {}

  /** Checks with {@link CheckOptions#defaults()}. */
  public static CheckResult check(History history, Model<?> model) {
    return check(history, model, CheckOptions.defaults());
  }

  /**
   * Checks {@code history} against {@code model}.
   *
   * @throws IllegalArgumentException if the model does not understand an operation of the history
   */
  public static CheckResult check(History history, Model<?> model, CheckOptions options) {
    long start = System.nanoTime();
    List<Operation> operations = history.operations(options.failSemantics());
    List<List<Operation>> partitions = model.partition(operations);
    MemoryBudget budget = options.memoryLimitBytes() == 0
        ? MemoryBudget.fromHeap() : new MemoryBudget(options.memoryLimitBytes());
    long deadline = start + options.timeLimit().toNanos();
    List<PartitionSearch> searches = new ArrayList<>(partitions.size());
    for (List<Operation> partition : partitions) {
      searches.add(PartitionSearch.prepare(model, partition)); // throws on operations the model does not know
    }
    Scheduler run = new Scheduler(partitions, searches, budget, deadline);
    searches = null; // the scheduler drops each search once it is decided
    run.execute(options.parallelism());

    List<PartitionResult> results = List.of(run.results);
    int violation = run.violation();
    Duration decidedIn = Duration.ofNanos(System.nanoTime() - start);
    Optional<Counterexample> counterexample = Optional.empty();
    Verdict verdict;
    String reason = null;
    if (violation >= 0) {
      verdict = Verdict.NOT_LINEARIZABLE;
      counterexample = shrink(model, budget, options, results.get(violation).key(), partitions.get(violation),
          run.search(violation), run.decisions[violation]);
    } else {
      PartitionResult unknown = results.stream().filter(p -> p.verdict() == Verdict.UNKNOWN).findFirst().orElse(null);
      verdict = unknown == null ? Verdict.LINEARIZABLE : Verdict.UNKNOWN;
      if (unknown != null) {
        long undecided = results.stream().filter(p -> p.verdict() == Verdict.UNKNOWN).count();
        reason = (unknown.key() == null ? "" : "key " + Values.toEdn(unknown.key()) + ": ") + unknown.reason()
            + (undecided > 1 ? " (" + undecided + " of " + results.size() + " partitions undecided)" : "");
      }
    }
    return new CheckResult(verdict, reason, Duration.ofNanos(System.nanoTime() - start), model.name(),
        results, counterexample, decidedIn);
  }

  /** The violating partition's counterexample; none (the verdict stands) if the heap runs out while shrinking. */
  private static Optional<Counterexample> shrink(Model<?> model, MemoryBudget budget, CheckOptions options,
      Object key, List<Operation> partition, PartitionSearch search, PartitionSearch.Decision decision) {
    Shrinker shrinker = new Shrinker(model, budget, System.nanoTime() + options.shrinkTimeLimit().toNanos());
    try {
      return Optional.of(shrinker.counterexample(key, partition, search, decision));
    } catch (OutOfMemoryError e) {
      return Optional.empty();
    }
  }
}
