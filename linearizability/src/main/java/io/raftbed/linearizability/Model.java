package io.raftbed.linearizability;

import java.util.List;

/**
 * A sequential specification: the state machine that a linearizable history must be explainable
 * by. Implement it for your own data types; the built-in ones are in {@link Models}.
 *
 * <p>Contract:
 * <ul>
 *   <li>States are immutable, never null, and have value-based {@code equals}/{@code hashCode}:
 *       the checker memoizes (set of linearized operations, state) pairs.</li>
 *   <li>{@link #step} is a pure function. For an {@link Operation.Status#UNKNOWN} operation the
 *       output is unknown: return the state the operation leads to if it takes effect (the checker
 *       itself covers the case that it never does). A model must therefore be deterministic given
 *       the state and the operation's input.</li>
 *   <li>Instances are called concurrently from several threads (one partition per thread), so they
 *       must be thread-safe; immutable models are.</li>
 * </ul>
 *
 * @param <S> the state type
 */
public interface Model<S> {

  /** A short name for reports, e.g. {@code "cas-register"}. */
  String name();

  /** The state before any operation. */
  S initialState();

  /**
   * Applies {@code op} to {@code state}.
   *
   * @return the next state, or null if {@code op} cannot have returned its output in {@code state}
   * @throws IllegalArgumentException if the operation is not one this model understands (the
   *                                  checker reports that as bad input, not as a violation)
   */
  S step(S state, Operation op);

  /**
   * True if {@code op} never changes the state, whatever it returned (a read). The checker drops
   * read-only operations whose output is unknown (they constrain nothing), and the counterexample
   * shrinker may remove read-only operations. Default: false, which is always safe.
   */
  default boolean isReadOnly(Operation op) {
    return false;
  }

  /**
   * Splits operations into independent sub-histories, each checked separately and in parallel
   * (P-compositionality: a history is linearizable iff each partition is). Each partition keeps
   * invocation order. Default: one partition. A model that partitions (e.g. by key) defines its
   * state and {@link #step} for one partition.
   */
  default List<List<Operation>> partition(List<Operation> operations) {
    return List.of(operations);
  }

  /** Renders a state for counterexamples. */
  default String describe(S state) {
    return String.valueOf(state);
  }
}
