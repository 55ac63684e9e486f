package io.raftbed.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Runs the rounds of every partition's search for {@link Checker}: a task is one round of one
 * partition; tasks run in order of (round, partition size, partition), so every partition gets its
 * first round before any gets its second, and within a round the small ones (cheaper per unit of
 * work, and done sooner) go first. A partition decided NOT_LINEARIZABLE stops everything: running
 * rounds are cancelled and no new ones start, and the partitions left are reported undecided.
 *
 * <p>Threading: {@link #execute} runs tasks on the calling thread and {@code parallelism - 1}
 * helpers; the task queue and results are guarded by this object's monitor. A search that meets
 * an {@link OutOfMemoryError} is dropped (its memory with it) and reported UNKNOWN, and all
 * others are cancelled: the heap, not the budget, ran out, so nothing else should be started.
 */
final class Scheduler {
  private record Task(int round, int size, int partition) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      return round != o.round ? Integer.compare(round, o.round)
          : size != o.size ? Integer.compare(size, o.size) : Integer.compare(partition, o.partition);
    }
  }

  private final List<List<Operation>> partitions;
  /** Per partition: its search, dropped (null) once it is decided linearizable or left undecided. */
  private final PartitionSearch[] searches;
  private final MemoryBudget budget;
  private final long deadlineNanos;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private final PartitionSearch.Rounds[] rounds;
  private final long[] elapsedNanos;
  private int running;
  /** Set once: why every search still running should stop (a violation, or the heap ran out). */
  private volatile String stop;
  private int violation = -1;
  private RuntimeException failure;
  final PartitionResult[] results;
  final PartitionSearch.Decision[] decisions;

  Scheduler(List<List<Operation>> partitions, List<PartitionSearch> searches, MemoryBudget budget, long deadlineNanos) {
    this.partitions = partitions;
    this.searches = searches.toArray(new PartitionSearch[0]);
    this.budget = budget;
    this.deadlineNanos = deadlineNanos;
    int n = partitions.size();
    this.rounds = new PartitionSearch.Rounds[n];
    this.elapsedNanos = new long[n];
    this.results = new PartitionResult[n];
    this.decisions = new PartitionSearch.Decision[n];
    for (int i = 0; i < n; i++) {
      rounds[i] = this.searches[i].new Rounds();
      tasks.add(new Task(1, partitions.get(i).size(), i));
    }
  }

  /** The search of the partition found not linearizable (kept for the shrinker). */
  synchronized PartitionSearch search(int partition) {
    return searches[partition];
  }

  /** The partition found not linearizable, or -1. */
  synchronized int violation() {
    return violation;
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
        stop = "interrupted";
      }
    }
    finishUndecided();
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
    }
  }

  private void work() {
    Task task;
    while ((task = take()) != null) {
      int i = task.partition();
      long start = System.nanoTime();
      try {
        PartitionSearch.Decision d = rounds[i].next(budget, deadlineNanos, () -> stop != null);
        done(task, d, System.nanoTime() - start);
      } catch (OutOfMemoryError e) {
        rounds[i] = null; // the search's tables are unreachable now
        outOfMemory(task, System.nanoTime() - start);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  /** The next task, waiting while others run that may add one; null when there is nothing left to do. */
  private synchronized Task take() {
    while (true) {
      if (stop != null) {
        return null;
      }
      Task t = tasks.poll();
      if (t != null) {
        running++;
        return t;
      }
      if (running == 0) {
        return null;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop = "interrupted";
      }
    }
  }

  /** A round ended: another round, a decision, or (when stopping) the partition stays undecided. */
  private synchronized void done(Task task, PartitionSearch.Decision d, long nanos) {
    running--;
    int i = task.partition();
    elapsedNanos[i] += nanos;
    if (d == null) {
      if (stop == null) {
        tasks.add(new Task(task.round() + 1, task.size(), i));
      }
    } else if (d.verdict() != Verdict.UNKNOWN || stop == null) {
      record(i, d);
      if (d.verdict() == Verdict.NOT_LINEARIZABLE && violation < 0) {
        violation = i;
        stop = "key " + Values.toEdn(keyOf(i)) + " is not linearizable";
      }
    } // else: cancelled, left to finishUndecided
    notifyAll();
  }

  private synchronized void outOfMemory(Task task, long nanos) {
    running--;
    int i = task.partition();
    elapsedNanos[i] += nanos;
    String reason = "the heap ran out (" + (Runtime.getRuntime().maxMemory() >> 20)
        + " MiB max) although the search kept to its budget; give the JVM more heap (-Xmx)";
    record(i, new PartitionSearch.Decision(Verdict.UNKNOWN, reason, new int[0], -1, List.of(), 0));
    stop = stop == null ? "the heap ran out while searching key " + Values.toEdn(keyOf(i)) : stop;
    notifyAll();
  }

  private synchronized void failed(RuntimeException e) {
    running--;
    failure = failure == null ? e : failure;
    stop = stop == null ? "failed: " + e : stop;
    notifyAll();
  }

  private void record(int i, PartitionSearch.Decision d) {
    decisions[i] = d;
    results[i] = new PartitionResult(keyOf(i), searches[i].ops.size(), d.verdict(), d.reason(),
        Duration.ofNanos(elapsedNanos[i]), d.configurations());
    if (d.verdict() != Verdict.NOT_LINEARIZABLE) {
      searches[i].releaseModel(budget);
      searches[i] = null;
      rounds[i] = null;
    }
  }

  private Object keyOf(int i) {
    List<Operation> p = partitions.get(i);
    return p.isEmpty() ? null : p.get(0).key();
  }

  /** Partitions without a decision (cancelled, or never started) become UNKNOWN with the reason. */
  private synchronized void finishUndecided() {
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        String why = stop == null ? "not searched" : stop;
        String reason = violation >= 0 ? PartitionResult.UNDECIDED_PREFIX + why + ", so the search stopped"
            : PartitionResult.UNDECIDED_PREFIX + why;
        decisions[i] = new PartitionSearch.Decision(Verdict.UNKNOWN, reason, new int[0], -1, List.of(), 0);
        results[i] = new PartitionResult(keyOf(i), searches[i].ops.size(), Verdict.UNKNOWN, reason,
            Duration.ofNanos(elapsedNanos[i]), rounds[i] == null ? 0 : rounds[i].configurations());
        searches[i].releaseModel(budget);
        searches[i] = null;
        rounds[i] = null;
      }
    }
  }
}
