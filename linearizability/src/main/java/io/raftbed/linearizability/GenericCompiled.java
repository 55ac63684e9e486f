package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adapts a {@link Model} to the int interface of the search by interning its states, with a
 * bounded cache of transitions (a step of a queue or set model copies its state, so repeating one
 * is worth avoiding). Built-in models that implement {@link ObjectModel} also tell which
 * indeterminate operations are interchangeable and how large their states are. Confined to one
 * search thread.
 *
 * @param <S> the model's state type
 */
final class GenericCompiled<S> implements CompiledModel {
  /** Transitions cached at most; the cache starts over when full. */
  private static final int CACHE_ENTRIES_MAX = 1 << 18;
  /** What a user model's state is taken to hold, lacking anything better. */
  private static final long USER_STATE_BYTES = 128;

  private final Model<S> model;
  private final ObjectModel<S> known;
  private final List<Operation> ops;
  private final List<S> states = new ArrayList<>();
  private final Map<S, Integer> ids = new HashMap<>();
  /** (state << 32 | op) -> next state, or {@link #ILLEGAL}. */
  private final LongIntMap transitions = new LongIntMap();
  /** Per operation: the id of its effect key, or -1 if it is unique. */
  private final long[] effects;
  private final int initial;
  private long stateBytes;

  GenericCompiled(Model<S> model, List<Operation> ops) {
    this.model = model;
    this.known = model instanceof ObjectModel<?> ? objectModel(model) : null;
    this.ops = ops;
    this.effects = effects(known, ops);
    this.initial = intern(Objects.requireNonNull(model.initialState(), "model.initialState()"));
  }

  @SuppressWarnings("unchecked")
  private static <S> ObjectModel<S> objectModel(Model<S> model) {
    return (ObjectModel<S>) model;
  }

  /** Numbers the distinct effect keys of the operations (user models have none). */
  private static long[] effects(ObjectModel<?> known, List<Operation> ops) {
    long[] out = new long[ops.size()];
    Map<Object, Integer> keys = new HashMap<>();
    for (int i = 0; i < out.length; i++) {
      Object key = known == null ? null : known.effectKey(ops.get(i));
      out[i] = key == null ? -1 : keys.computeIfAbsent(key, k -> keys.size());
    }
    return out;
  }

  private int intern(S state) {
    Integer id = ids.get(state);
    if (id == null) {
      id = states.size();
      states.add(state);
      ids.put(state, id);
      stateBytes += 64 + (known == null ? USER_STATE_BYTES : known.stateBytes(state));
    }
    return id;
  }

  @Override
  public int initialState() {
    return initial;
  }

  @Override
  public int step(int state, int op) {
    long key = ((long) state << 32) | op;
    int cached = transitions.get(key);
    if (cached != LongIntMap.ABSENT) {
      return cached;
    }
    S next = model.step(states.get(state), ops.get(op));
    int id = next == null ? ILLEGAL : intern(next);
    if (transitions.size() >= CACHE_ENTRIES_MAX) {
      transitions.clear();
    }
    transitions.put(key, id);
    return id;
  }

  /** Built-in models name interchangeable operations; a user model's might look at any field. */
  @Override
  public long effect(int op) {
    return effects[op];
  }

  @Override
  public String describe(int state) {
    return Values.abbreviate(model.describe(states.get(state)));
  }

  @Override
  public int stateCount() {
    return states.size();
  }

  @Override
  public long approxBytes() {
    return 64 + 8L * effects.length + stateBytes + transitions.bytes();
  }
}
