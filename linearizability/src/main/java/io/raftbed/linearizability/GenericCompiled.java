package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adapts a user {@link Model} to the int interface of the search by interning its states.
 * Confined to one search thread.
 *
 * @param <S> the model's state type
 */
final class GenericCompiled<S> implements CompiledModel {
  private final Model<S> model;
  private final List<Operation> ops;
  private final List<S> states = new ArrayList<>();
  private final Map<S, Integer> ids = new HashMap<>();
  private final int initial;

  GenericCompiled(Model<S> model, List<Operation> ops) {
    this.model = model;
    this.ops = ops;
    this.initial = intern(Objects.requireNonNull(model.initialState(), "model.initialState()"));
  }

  private int intern(S state) {
    Integer id = ids.get(state);
    if (id == null) {
      id = states.size();
      states.add(state);
      ids.put(state, id);
    }
    return id;
  }

  @Override
  public int initialState() {
    return initial;
  }

  @Override
  public int step(int state, int op) {
    S next = model.step(states.get(state), ops.get(op));
    return next == null ? ILLEGAL : intern(next);
  }

  /** User models might look at any field of an operation, so none is interchangeable. */
  @Override
  public long effect(int op) {
    return -1;
  }

  @Override
  public String describe(int state) {
    return model.describe(states.get(state));
  }

  @Override
  public int stateCount() {
    return states.size();
  }
}
