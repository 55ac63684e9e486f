package io.raftbed.linearizability;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Knossos' {@code (multi-register {:x 0 :y 0})}: registers named by keys, read and written by
 * transactions. An operation is {@code :f :txn} with a vector of micro-operations
 * {@code [:read k v]} and {@code [:write k v]}, applied in order and atomically; an {@code :ok}
 * completion carries the values its reads returned. A read of v is legal if register k holds v;
 * a read of nil is always legal with {@link NilReads#UNKNOWN} (Knossos), and means "k holds nil"
 * with {@link NilReads#ABSENT}. Registers missing from the initial map hold nil. The reads of a
 * transaction whose outcome is unknown constrain nothing; its writes happen if it took effect.
 * A keyed history (Jepsen {@code independent}) is one set of registers per key. Immutable and
 * thread-safe.
 */
final class TxnRegisterModel implements ObjectModel<Map<Object, Object>> {
  private final Map<Object, Object> initial;
  private final NilReads nilReads;

  TxnRegisterModel(Map<?, ?> initial, NilReads nilReads) {
    Map<Object, Object> values = new HashMap<>();
    initial.forEach((k, v) -> {
      if (v != null) {
        values.put(Values.normalize(k), Values.normalize(v));
      }
    });
    this.initial = Collections.unmodifiableMap(values);
    this.nilReads = Objects.requireNonNull(nilReads, "nilReads");
  }

  @Override
  public String name() {
    return "multi-register";
  }

  /** The registers' values; a register that holds nil is absent from the map. */
  @Override
  public Map<Object, Object> initialState() {
    return initial;
  }

  @Override
  public Map<Object, Object> step(Map<Object, Object> registers, Operation op) {
    boolean unknown = op.status() == Operation.Status.UNKNOWN;
    Map<Object, Object> next = null;
    for (List<?> micro : microOps(op)) {
      Object k = micro.get(1);
      Object v = micro.get(2);
      Map<Object, Object> now = next == null ? registers : next;
      if (isRead(micro.get(0), op)) {
        boolean unconstrained = unknown || (v == null && nilReads == NilReads.UNKNOWN);
        if (!unconstrained && !Objects.equals(now.get(k), v)) {
          return null;
        }
      } else if (!Objects.equals(now.get(k), v)) {
        next = next == null ? new HashMap<>(registers) : next;
        if (v == null) {
          next.remove(k);
        } else {
          next.put(k, v);
        }
      }
    }
    return next == null ? registers : Collections.unmodifiableMap(next);
  }

  /** The transaction: the completion's value if it is known (it carries what the reads returned), else the invocation's. */
  private List<List<?>> microOps(Operation op) {
    if (!KeyedPartitions.f(op).equals("txn")) {
      throw KeyedPartitions.unsupported(this, op, ":txn");
    }
    Object value = op.isDeterminate() && op.output() != null ? op.output() : op.input();
    if (!(value instanceof List<?> list)) {
      throw malformed(op, value);
    }
    @SuppressWarnings("unchecked")
    List<List<?>> micro = (List<List<?>>) (List<?>) list;
    for (Object m : list) {
      if (!(m instanceof List<?> l) || l.size() != 3) {
        throw malformed(op, value);
      }
      isRead(l.get(0), op); // a known function
    }
    return micro;
  }

  private IllegalArgumentException malformed(Operation op, Object value) {
    return new IllegalArgumentException("a :txn value must be a vector of [:read k v] and [:write k v], got "
        + Values.toEdn(value) + " in operation " + op);
  }

  private boolean isRead(Object f, Operation op) {
    String name = f instanceof Keyword k ? k.name() : String.valueOf(f);
    return switch (name) {
      case "read", "r" -> true;
      case "write", "w" -> false;
      default -> throw new IllegalArgumentException("a :txn micro-operation is [:read k v] or [:write k v], got "
          + Values.toEdn(f) + " in operation " + op);
    };
  }

  @Override
  public boolean isReadOnly(Operation op) {
    for (List<?> micro : microOps(op)) {
      if (!isRead(micro.get(0), op)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<List<Operation>> partition(List<Operation> operations) {
    for (Operation op : operations) {
      microOps(op.relaxed()); // refuses unknown operations and malformed transactions up front
      microOps(op);
    }
    return KeyedPartitions.byKey(operations);
  }

  @Override
  public long stateBytes(Map<Object, Object> registers) {
    return Values.approxBytes(registers);
  }

  /** {@code {:x 0, :y 2}}, keys in the order of their text. */
  @Override
  public String describe(Map<Object, Object> registers) {
    java.util.TreeMap<String, String> text = new java.util.TreeMap<>();
    registers.forEach((k, v) -> text.put(Values.toEdn(k), Values.toEdn(v)));
    StringBuilder sb = new StringBuilder("{");
    text.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(' ').append(v));
    return sb.append('}').toString();
  }

  @Override
  public String toString() {
    return "multi-register(initial " + describe(initial) + ", nil reads " + nilReads + ")";
  }
}
