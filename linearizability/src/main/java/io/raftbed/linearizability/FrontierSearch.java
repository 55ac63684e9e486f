package io.raftbed.linearizability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Breadth-first linearizability search over one partition, event by event (as Knossos' "linear"
 * analysis): the frontier holds every configuration the history can be in after the events seen
 * so far, and each completion keeps only the configurations in which that operation has been
 * linearized, linearizing just in time what it needs first. The frontier dying at a completion
 * pins the violation to that event.
 *
 * <p>Memory grows with the frontier's width, not with the history's length, so it complements
 * the depth-first {@link Search}, which must exhaust every linearization of a long prefix before
 * it can report a late violation. A configuration is the state, the open operations already
 * linearized, and how many of each class of interchangeable indeterminate operations were used
 * (used in invocation order); a configuration that used a superset of another's indeterminate
 * operations is subsumed and dropped. Bounded (relaxed) operations may be dropped at their
 * completion. Single use, confined to the calling thread; stops with UNKNOWN on its deadline,
 * cancellation or memory budget.
 */
final class FrontierSearch {
  /**
   * Heap per configuration, an upper bound: the {@code Config} and {@code Key} records, the two
   * arrays' headers, a hash map node and table slot, and the list that holds the counts.
   */
  private static final long CONFIG_BYTES = 224;

  /** The outcome; for NOT_LINEARIZABLE, the position just after the completion where the frontier died. */
  record Outcome(Verdict verdict, String reason, int cutPosition, List<String> statesBefore, long configurations) {}

  /** A configuration; {@code done} sorted op indices of open ops done, {@code used} counts per class. */
  private record Config(int state, int[] done, int[] used) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Config c && c.state == state && Arrays.equals(c.done, done) && Arrays.equals(c.used, used);
    }

    @Override
    public int hashCode() {
      return (state * 31 + Arrays.hashCode(done)) * 31 + Arrays.hashCode(used);
    }
  }

  private record Key(int state, int[] done) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.state == state && Arrays.equals(k.done, done);
    }

    @Override
    public int hashCode() {
      return state * 31 + Arrays.hashCode(done);
    }
  }

  private final List<Operation> ops;
  private final CompiledModel model;
  private final MemoryBudget budget;
  private final long deadlineNanos;
  private final long workLimit;
  private final BooleanSupplier cancelled;
  private final BooleanSupplier modelFits;
  private final boolean[] unbounded;
  private final boolean[] bounded;
  /** Per class of interchangeable indeterminate ops, its ops in invocation order. */
  private final int[][] classOps;
  private final boolean[] invoked;
  private final TreeSet<Integer> open = new TreeSet<>();
  private long reservedBytes;
  private long configurations;
  /** Configurations plus subsumption comparisons: the work the configuration limit bounds. */
  private long work;
  private String stop;

  FrontierSearch(List<Operation> ops, boolean[] droppable, CompiledModel model, MemoryBudget budget,
          long deadlineNanos, long workLimit, BooleanSupplier cancelled, BooleanSupplier modelFits) {
    this.ops = ops;
    this.model = model;
    this.budget = budget;
    this.deadlineNanos = deadlineNanos;
    this.workLimit = workLimit;
    this.cancelled = cancelled;
    this.modelFits = modelFits;
    int n = ops.size();
    this.bounded = droppable == null ? new boolean[n] : droppable;
    this.unbounded = new boolean[n];
    for (int i = 0; i < n; i++) {
      unbounded[i] = !ops.get(i).isDeterminate() && !bounded[i];
    }
    this.classOps = classes(model, unbounded);
    this.invoked = new boolean[n];
  }

  private static int[][] classes(CompiledModel model, boolean[] unbounded) {
    Map<Long, List<Integer>> byEffect = new LinkedHashMap<>();
    List<int[]> out = new ArrayList<>();
    for (int op = 0; op < unbounded.length; op++) {
      if (!unbounded[op]) {
        continue;
      }
      long effect = model.effect(op);
      if (effect < 0) {
        out.add(new int[] {op});
      } else {
        byEffect.computeIfAbsent(effect, e -> new ArrayList<>()).add(op);
      }
    }
    byEffect.values().forEach(l -> out.add(l.stream().mapToInt(Integer::intValue).toArray()));
    return out.toArray(new int[0][]);
  }

  Outcome run() {
    long arrays = 32L * ops.size();
    if (!budget.tryReserve(arrays)) {
      return new Outcome(Verdict.UNKNOWN, PartitionSearch.budgetReason(budget, "the breadth-first search's tables"),
          -1, List.of(), 0);
    }
    reservedBytes = arrays;
    try {
      return search();
    } finally {
      budget.release(reservedBytes);
      reservedBytes = 0;
    }
  }

  private Outcome search() {
    long[] events = new long[2 * ops.size()];
    int count = 0;
    for (int i = 0; i < ops.size(); i++) {
      events[count++] = ((long) ops.get(i).invokePos() << 32) | (2L * i);
      if (!unbounded[i]) {
        events[count++] = ((long) ops.get(i).completePos() << 32) | (2L * i + 1);
      }
    }
    Arrays.sort(events, 0, count);
    Map<Key, List<int[]>> frontier = new LinkedHashMap<>();
    add(frontier, new Config(model.initialState(), new int[0], new int[classOps.length]));
    for (int e = 0; e < count; e++) {
      int op = (int) events[e] >>> 1;
      if (((int) events[e] & 1) == 0) {
        invoked[op] = true;
        if (!unbounded[op]) {
          open.add(op);
        }
        continue;
      }
      Map<Key, List<int[]>> next = advance(frontier, op);
      if (next == null) {
        return new Outcome(Verdict.UNKNOWN, stop, -1, List.of(), configurations);
      }
      open.remove(op);
      if (next.isEmpty()) {
        return new Outcome(Verdict.NOT_LINEARIZABLE, null, (int) (events[e] >>> 32) + 1,
            states(frontier), configurations);
      }
      frontier = next;
    }
    return new Outcome(Verdict.LINEARIZABLE, null, -1, List.of(), configurations);
  }

  /**
   * The frontier after the completion of {@code x}, or null if a budget ran out; the memory
   * reserved for this event's exploration is given back except what the new frontier holds.
   */
  private Map<Key, List<int[]>> advance(Map<Key, List<int[]>> frontier, int x) {
    Map<Key, List<int[]>> next = explore(frontier, x);
    if (next != null) {
      // What this event's exploration held is garbage now, except the new frontier.
      long keep = 32L * ops.size() + (CONFIG_BYTES + 8L * (open.size() + classOps.length)) * size(next);
      if (reservedBytes > keep) {
        budget.release(reservedBytes - keep);
        reservedBytes = keep;
      }
    }
    return next;
  }

  private static long size(Map<Key, List<int[]>> frontier) {
    long n = 0;
    for (List<int[]> l : frontier.values()) {
      n += l.size();
    }
    return n;
  }

  /** Every configuration reachable from {@code frontier} in which {@code x} is linearized, or null (budget). */
  private Map<Key, List<int[]>> explore(Map<Key, List<int[]>> frontier, int x) {
    Map<Key, List<int[]>> next = new LinkedHashMap<>();
    Map<Key, List<int[]>> seen = new HashMap<>();
    for (Map.Entry<Key, List<int[]>> entry : frontier.entrySet()) {
      for (int[] used : entry.getValue()) {
        Config c = new Config(entry.getKey().state(), entry.getKey().done(), used);
        if (Arrays.binarySearch(c.done(), x) >= 0) {
          add(next, new Config(c.state(), without(c.done(), x), c.used()));
          continue;
        }
        if (bounded[x]) {
          add(next, c); // x did not happen
        }
        if (!closure(c, x, next, seen)) {
          return null;
        }
      }
    }
    return next;
  }

  /**
   * Linearizes from {@code start} whatever is needed until {@code x} is; adds those configurations
   * to {@code next}. Breadth-first, so that configurations using fewer indeterminate operations
   * come first and subsume the rest ({@code seen} is shared by all starts of one event).
   */
  private boolean closure(Config start, int x, Map<Key, List<int[]>> next, Map<Key, List<int[]>> seen) {
    ArrayDeque<Config> queue = new ArrayDeque<>();
    if (add(seen, start)) {
      queue.add(start);
    }
    while (!queue.isEmpty()) {
      if (!charge()) {
        return false;
      }
      Config c = queue.poll();
      for (int y : open) {
        if (Arrays.binarySearch(c.done(), y) >= 0) {
          continue;
        }
        int s = model.step(c.state(), y);
        if (s == CompiledModel.ILLEGAL) {
          continue;
        }
        if (y == x) {
          add(next, new Config(s, c.done(), c.used()));
        } else {
          enqueue(queue, seen, new Config(s, with(c.done(), y), c.used()));
        }
      }
      for (int k = 0; k < classOps.length; k++) {
        int used = c.used()[k];
        if (used < classOps[k].length && invoked[classOps[k][used]]) {
          int s = model.step(c.state(), classOps[k][used]);
          if (s != CompiledModel.ILLEGAL) {
            int[] more = c.used().clone();
            more[k]++;
            enqueue(queue, seen, new Config(s, c.done(), more));
          }
        }
      }
    }
    return true;
  }

  private void enqueue(ArrayDeque<Config> queue, Map<Key, List<int[]>> seen, Config c) {
    if (add(seen, c)) {
      queue.add(c);
    }
  }

  /**
   * Adds {@code c} unless subsumed (same state and done set, no more indeterminate ops used);
   * drops what it subsumes. True if added.
   */
  private boolean add(Map<Key, List<int[]>> frontier, Config c) {
    List<int[]> list = frontier.computeIfAbsent(new Key(c.state(), c.done()), k -> new ArrayList<>());
    work += list.size();
    for (Iterator<int[]> it = list.iterator(); it.hasNext(); ) {
      int[] other = it.next();
      if (atMost(other, c.used())) {
        return false;
      }
      if (atMost(c.used(), other)) {
        it.remove();
      }
    }
    list.add(c.used());
    return true;
  }

  private static boolean atMost(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        return false;
      }
    }
    return true;
  }

  /** Counts a configuration against the budgets; false (with {@link #stop} set) if one ran out. */
  private boolean charge() {
    work += 1 + open.size() / 8; // a configuration's successors are found by trying every open operation
    if ((configurations++ & 1023) == 0) { // reserves ahead, for this and the next 1023
      if (cancelled.getAsBoolean()) {
        stop = "cancelled";
        return false;
      }
      if (work > workLimit) {
        stop = "work limit reached (" + workLimit + ")";
        return false;
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        stop = "time limit reached";
        return false;
      }
      long bytes = 1024 * (CONFIG_BYTES + 8L * (open.size() + classOps.length));
      if (!budget.tryReserve(bytes)) {
        stop = PartitionSearch.budgetReason(budget, "the frontier (" + configurations + " configurations)");
        return false;
      }
      reservedBytes += bytes;
      if (!modelFits.getAsBoolean()) {
        stop = PartitionSearch.budgetReason(budget, "the model's states (" + model.stateCount() + " states)");
        return false;
      }
    }
    return true;
  }

  /** At most this many of the states before a violation are described. */
  private static final int STATES_SHOWN_MAX = 20;

  private List<String> states(Map<Key, List<int[]>> frontier) {
    Set<Integer> distinct = new java.util.LinkedHashSet<>();
    frontier.keySet().forEach(k -> distinct.add(k.state()));
    List<String> out = new ArrayList<>();
    for (int state : distinct) {
      if (out.size() == STATES_SHOWN_MAX) {
        out.add("(" + (distinct.size() - STATES_SHOWN_MAX) + " more)");
        break;
      }
      out.add(model.describe(state));
    }
    return List.copyOf(out);
  }

  private static int[] with(int[] sorted, int v) {
    int[] out = Arrays.copyOf(sorted, sorted.length + 1);
    int i = sorted.length;
    while (i > 0 && out[i - 1] > v) {
      out[i] = out[i - 1];
      i--;
    }
    out[i] = v;
    return out;
  }

  private static int[] without(int[] sorted, int v) {
    int i = Arrays.binarySearch(sorted, v);
    int[] out = new int[sorted.length - 1];
    System.arraycopy(sorted, 0, out, 0, i);
    System.arraycopy(sorted, i + 1, out, i, sorted.length - i - 1);
    return out;
  }
}
