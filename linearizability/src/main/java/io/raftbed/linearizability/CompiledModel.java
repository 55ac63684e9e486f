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

    /** Renders a state for counterexamples. */
    String describe(int state);

    /** Number of distinct states created so far (for memory accounting). */
    int stateCount();
}
