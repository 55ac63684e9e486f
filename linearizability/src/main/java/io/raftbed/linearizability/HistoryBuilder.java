package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link History} event by event, in real-time order. Completions take {@code f} and
 * key from the process's pending invocation. Not thread-safe: one builder per recording thread
 * (the simulator is single-threaded).
 *
 * <pre>{@code
 * History h = History.builder()
 *     .invoke(1, "write", "x", 3).ok(1)
 *     .invoke(2, "read", "x", null).ok(2, 3L)
 *     .build();
 * }</pre>
 */
public final class HistoryBuilder {
  private final List<Op> events = new ArrayList<>();
  private final Map<Long, Op> pending = new HashMap<>();
  private long timeNanos = Op.NO_TIME;

  HistoryBuilder() {}

  /** Stamps the following events with this time (nanoseconds) until changed. */
  public HistoryBuilder at(long nanos) {
    this.timeNanos = nanos;
    return this;
  }

  /** An unkeyed invocation. */
  public HistoryBuilder invoke(long process, String f, Object value) {
    return invoke(process, f, null, value);
  }

  /** A keyed invocation. */
  public HistoryBuilder invoke(long process, String f, Object key, Object value) {
    Op op = new Op(events.size(), process, OpType.INVOKE, f, key, value, timeNanos);
    events.add(op);
    pending.put(process, op);
    return this;
  }

  /** An {@code :ok} completion that repeats the invocation's value (writes, cas). */
  public HistoryBuilder ok(long process) {
    return complete(process, OpType.OK, pendingOf(process).value());
  }

  /** An {@code :ok} completion with a result value (reads). */
  public HistoryBuilder ok(long process, Object value) {
    return complete(process, OpType.OK, value);
  }

  /** A {@code :fail} completion. */
  public HistoryBuilder fail(long process) {
    return complete(process, OpType.FAIL, pendingOf(process).value());
  }

  /** An {@code :info} (indeterminate) completion. */
  public HistoryBuilder info(long process) {
    return complete(process, OpType.INFO, pendingOf(process).value());
  }

  /** Appends a ready-made event (its index is replaced by its position). */
  public HistoryBuilder add(Op op) {
    Op indexed = op.withIndex(events.size());
    events.add(indexed);
    if (indexed.isInvoke()) {
      pending.put(indexed.process(), indexed);
    } else {
      pending.remove(indexed.process());
    }
    return this;
  }

  /** The history so far; the builder can go on. */
  public History build() {
    return History.of(events);
  }

  private HistoryBuilder complete(long process, OpType type, Object value) {
    Op inv = pendingOf(process);
    pending.remove(process);
    events.add(new Op(events.size(), process, type, inv.f(), inv.key(), value, timeNanos));
    return this;
  }

  private Op pendingOf(long process) {
    Op inv = pending.get(process);
    if (inv == null) {
      throw new IllegalStateException("process " + process + " has no pending invocation");
    }
    return inv;
  }
}
