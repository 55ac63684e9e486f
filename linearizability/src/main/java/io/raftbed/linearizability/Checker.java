package io.raftbed.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether a history is linearizable with respect to a model.
 *
 * <p>The model splits the operations into independent partitions (P-compositionality), which are
 * searched in parallel by {@link CheckOptions#parallelism()} threads (the caller's included),
 * largest first. Once a partition is found not linearizable, partitions after it (in order of
 * first appearance) are cancelled; earlier ones run on, so the reported counterexample is the
 * first violating partition's whatever the thread timing. The violating partition is then shrunk
 * to a small window by {@link Shrinker}.
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
    Run run = new Run(model, partitions, budget, deadline);
    run.execute(options.parallelism());

    List<PartitionResult> results = new ArrayList<>(partitions.size());
    int firstViolation = -1;
    int firstUnknown = -1;
    for (int i = 0; i < partitions.size(); i++) {
      results.add(run.results[i]);
      Verdict v = run.results[i].verdict();
      if (v == Verdict.NOT_LINEARIZABLE && firstViolation < 0) {
        firstViolation = i;
      } else if (v == Verdict.UNKNOWN && firstUnknown < 0) {
        firstUnknown = i;
      }
    }
    Optional<Counterexample> counterexample = Optional.empty();
    Verdict verdict;
    String reason = null;
    if (firstViolation >= 0) {
      verdict = Verdict.NOT_LINEARIZABLE;
      Shrinker shrinker = new Shrinker(model, budget, System.nanoTime() + options.shrinkTimeLimit().toNanos());
      counterexample = Optional.of(shrinker.counterexample(run.results[firstViolation].key(),
          partitions.get(firstViolation), run.searches[firstViolation], run.outcomes[firstViolation]));
    } else if (firstUnknown >= 0) {
      verdict = Verdict.UNKNOWN;
      PartitionResult p = run.results[firstUnknown];
      reason = (p.key() == null ? "" : "key " + Values.toEdn(p.key()) + ": ") + p.reason();
    } else {
      verdict = Verdict.LINEARIZABLE;
    }
    return new CheckResult(verdict, reason, Duration.ofNanos(System.nanoTime() - start), model.name(),
        List.copyOf(results), counterexample);
  }

  /** The partitions' searches, shared by the worker threads. */
  private static final class Run {
    private final Model<?> model;
    private final List<List<Operation>> partitions;
    private final MemoryBudget budget;
    private final long deadline;
    private final int[] order;
    private final AtomicInteger nextInOrder = new AtomicInteger();
    /** Lowest index of a partition found not linearizable; partitions above it are cancelled. */
    private final AtomicInteger firstViolation = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    final PartitionResult[] results;
    final PartitionSearch[] searches;
    final PartitionSearch.Decision[] outcomes;

    Run(Model<?> model, List<List<Operation>> partitions, MemoryBudget budget, long deadline) {
      this.model = model;
      this.partitions = partitions;
      this.budget = budget;
      this.deadline = deadline;
      this.results = new PartitionResult[partitions.size()];
      this.searches = new PartitionSearch[partitions.size()];
      this.outcomes = new PartitionSearch.Decision[partitions.size()];
      this.order = java.util.stream.IntStream.range(0, partitions.size()).boxed()
          .sorted(Comparator.comparingInt((Integer i) -> -partitions.get(i).size()))
          .mapToInt(Integer::intValue).toArray();
    }

    void execute(int parallelism) {
      int threads = Math.min(parallelism, partitions.size());
      List<Thread> helpers = new ArrayList<>();
      for (int t = 1; t < threads; t++) {
        helpers.add(Thread.ofPlatform().daemon().name("linearizability-" + t).start(this::work));
      }
      work();
      for (Thread t : helpers) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          firstViolation.set(-1); // cancels everything
        }
      }
      RuntimeException e = failure.get();
      if (e != null) {
        throw e;
      }
    }

    private void work() {
      int k;
      while ((k = nextInOrder.getAndIncrement()) < order.length && failure.get() == null) {
        int index = order[k];
        try {
          checkOne(index);
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
          firstViolation.set(-1);
        }
      }
    }

    private void checkOne(int index) {
      long start = System.nanoTime();
      List<Operation> partition = partitions.get(index);
      Object key = partition.isEmpty() ? null : partition.get(0).key();
      PartitionSearch search = PartitionSearch.prepare(model, partition);
      PartitionSearch.Decision outcome = search.decide(budget, deadline, () -> firstViolation.get() < index);
      if (outcome.verdict() == Verdict.NOT_LINEARIZABLE) {
        firstViolation.accumulateAndGet(index, Math::min);
      }
      String reason = outcome.reason();
      if (outcome.verdict() == Verdict.UNKNOWN && reason.contains("cancelled")) {
        reason = "not finished: another partition is not linearizable";
      }
      searches[index] = search;
      outcomes[index] = outcome;
      results[index] = new PartitionResult(key, search.ops.size(), outcome.verdict(), reason,
          Duration.ofNanos(System.nanoTime() - start), outcome.configurations());
    }
  }
}
