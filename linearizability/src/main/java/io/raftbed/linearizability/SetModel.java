package io.raftbed.linearizability;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Knossos' {@code (set)}: a set of values, empty at first (or {@code initial}). {@code :add v}
 * adds v; {@code :read} must return exactly the set, as an EDN set {@code #{1 2}} (a vector or a
 * JSON array without duplicates is taken as the same set). A read that returned nil constrains
 * nothing with {@link NilReads#UNKNOWN} and reads the empty set with {@link NilReads#ABSENT}. A
 * keyed history is one set per key. Immutable and thread-safe.
 */
final class SetModel implements ObjectModel<SetModel.Elements> {

  /** A state: the elements, immutable. */
  record Elements(Set<Object> values) {}

  private final Elements initial;
  private final NilReads nilReads;

  SetModel(Collection<?> initial, NilReads nilReads) {
    this.initial = new Elements(java.util.Collections.unmodifiableSet(normalize(initial)));
    this.nilReads = Objects.requireNonNull(nilReads, "nilReads");
  }

  private static Set<Object> normalize(Collection<?> values) {
    Set<Object> out = new HashSet<>();
    for (Object v : values) {
      out.add(Values.normalize(v));
    }
    return out;
  }

  @Override
  public String name() {
    return "set";
  }

  @Override
  public Elements initialState() {
    return initial;
  }

  @Override
  public Elements step(Elements state, Operation op) {
    return switch (KeyedPartitions.f(op)) {
      case "add" -> {
        if (state.values().contains(op.input())) {
          yield state;
        }
        Set<Object> more = new HashSet<>(state.values());
        more.add(op.input());
        yield new Elements(java.util.Collections.unmodifiableSet(more));
      }
      case "read" -> {
        if (op.status() == Operation.Status.UNKNOWN || (op.output() == null && nilReads == NilReads.UNKNOWN)) {
          yield state;
        }
        yield state.values().equals(readSet(op)) ? state : null;
      }
      default -> throw KeyedPartitions.unsupported(this, op, ":add, :read");
    };
  }

  /** What a read returned, as a set; null if it cannot be one (duplicates, not a collection). */
  private static Set<Object> readSet(Operation op) {
    return switch (op.output()) {
      case null -> Set.of();
      case Set<?> s -> normalize(s);
      case List<?> l -> {
        Set<Object> s = normalize(l);
        yield s.size() == l.size() ? s : null;
      }
      default -> throw new IllegalArgumentException("a set :read must return a set such as #{1 2}, got "
          + Values.toEdn(op.output()) + " in operation " + op);
    };
  }

  @Override
  public boolean isReadOnly(Operation op) {
    return KeyedPartitions.f(op).equals("read");
  }

  @Override
  public List<List<Operation>> partition(List<Operation> operations) {
    for (Operation op : operations) {
      step(initial, op); // refuses unknown operations and malformed reads up front
    }
    return KeyedPartitions.byKey(operations);
  }

  @Override
  public long stateBytes(Elements state) {
    return Values.approxBytes(state.values());
  }

  @Override
  public String describe(Elements state) {
    return Values.toEdn(state.values());
  }

  @Override
  public String toString() {
    return "set(initial " + describe(initial) + ", nil reads " + nilReads + ")";
  }
}
