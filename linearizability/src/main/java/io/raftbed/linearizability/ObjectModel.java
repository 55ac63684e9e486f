package io.raftbed.linearizability;

/**
 * A built-in model whose states are plain immutable objects (Knossos' mutex, set, queues and
 * multi-register), searched through {@link GenericCompiled}. Beyond {@link Model}, it tells the
 * search which indeterminate operations are interchangeable and roughly how large a state is.
 * Implementations are immutable and thread-safe.
 *
 * @param <S> the state type
 */
interface ObjectModel<S> extends Model<S> {

  /**
   * A value-based key such that two indeterminate operations with equal keys step every state to
   * the same result (for the built-in models: the function and the input), or null if the
   * operation is to be treated as unique.
   */
  default Object effectKey(Operation op) {
    return op.isDeterminate() ? null : java.util.Arrays.asList(op.f(), op.input());
  }

  /** An upper bound of the heap {@code state} holds. */
  long stateBytes(S state);
}
