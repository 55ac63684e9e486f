package io.raftbed.linearizability;

/**
 * A model specialised to one partition: states and operations are small ints, so that the
 * search's memo stores ints. Used by one search thread only (implementations may intern new states
 * lazily and are not thread-safe).
 */
interface CompiledModel {
  /** Returned by {@link #step} when the operation is illegal in the state. */
  int ILLEGAL = -1;

  /** The initial state, {@code >= 0}. */
  int initialState();

  /** The state after operation {@code op} (index into the partition) in {@code state}, or {@link #ILLEGAL}. */
  int step(int state, int op);

  /**
   * A key such that two operations with equal keys step every state to the same result (e.g. two
   * writes of the same value), or -1 if the operation is to be treated as unique. The search uses
   * it to try only one of several interchangeable indeterminate operations.
   */
  long effect(int op);

  /** Renders a state for counterexamples. */
  String describe(int state);

  /** Number of distinct states created so far (for reports). */
  int stateCount();

  /**
   * An upper bound of the heap its tables hold now (interned states and values, caches); the
   * searches charge its growth to their {@link MemoryBudget}.
   */
  long approxBytes();
}
