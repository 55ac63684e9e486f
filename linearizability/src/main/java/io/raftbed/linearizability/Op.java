package io.raftbed.linearizability;

import java.util.Objects;

/**
 * One event of a Jepsen history: an invocation or a completion. Immutable.
 *
 * <p>Keyed operations (Jepsen's {@code independent} workloads, porcupine's kv) carry their key in
 * {@link #key}; {@link #value} is then the per-key value, e.g. {@code [from to]} for a cas.
 *
 * @param index     the event's Jepsen {@code :index}, or its position in the history if none was given
 * @param process   the Jepsen process (client) that issued it
 * @param type      invoke, ok, fail or info
 * @param f         the operation name, e.g. {@code "read"}, {@code "write"}, {@code "cas"}
 * @param key       the key of a keyed operation, or null
 * @param value     the value: {@link Long}, {@link String}, null, a {@code List} for tuples such as
 *                  cas {@code [from to]}, or a {@link Keyword}; normalized by {@link Values#normalize}
 * @param timeNanos Jepsen's {@code :time} in nanoseconds, or {@link #NO_TIME}
 */
public record Op(long index, long process, OpType type, String f, Object key, Object value, long timeNanos) {
  /** The {@link #timeNanos} of an event that carries no time. */
  public static final long NO_TIME = -1;

  public Op {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
    key = Values.normalize(key);
    value = Values.normalize(value);
  }

  /** An invocation without index or time (the history assigns positions). */
  public static Op invoke(long process, String f, Object key, Object value) {
    return new Op(-1, process, OpType.INVOKE, f, key, value, NO_TIME);
  }

  /** A completion of the given type without index or time. */
  public static Op complete(long process, OpType type, String f, Object key, Object value) {
    return new Op(-1, process, type, f, key, value, NO_TIME);
  }

  /** This event with another index. */
  public Op withIndex(long newIndex) {
    return new Op(newIndex, process, type, f, key, value, timeNanos);
  }

  public boolean isInvoke() {
    return type == OpType.INVOKE;
  }

  public boolean hasTime() {
    return timeNanos != NO_TIME;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{:process ").append(process)
        .append(", :type :").append(type.keywordName())
        .append(", :f :").append(f);
    if (key != null) {
      sb.append(", :key ");
      Values.appendEdn(sb, key);
    }
    sb.append(", :value ");
    Values.appendEdn(sb, value);
    return sb.append(", :index ").append(index).append('}').toString();
  }
}
