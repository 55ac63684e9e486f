package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Knossos' {@code (fifo-queue)} and {@code (unordered-queue)}: {@code :enqueue v} adds v;
 * {@code :dequeue} returning v is legal only if v is the head (FIFO) or is in the queue
 * (unordered), and removes it; dequeuing from an empty queue is never legal (an empty queue's
 * dequeue is recorded as {@code :fail}, which did not happen). A keyed history is one queue per
 * key. Immutable and thread-safe.
 *
 * <p>A dequeue whose outcome is unknown ({@code :info}, or no completion), if it took effect,
 * removed the head of a FIFO queue, whatever that was. In an unordered queue it removed some
 * element: removing one can only make later dequeues illegal, never legal, so "it did not take
 * effect" explains whatever any removal explains, and such dequeues are dropped as read-only.
 */
final class QueueModel implements ObjectModel<List<Object>> {
  private final boolean fifo;
  private final List<Object> initial;

  QueueModel(boolean fifo, Collection<?> initial) {
    this.fifo = fifo;
    List<Object> values = new ArrayList<>();
    for (Object v : initial) {
      values.add(Values.normalize(v));
    }
    this.initial = fifo ? freeze(values) : sorted(values);
  }

  @Override
  public String name() {
    return fifo ? "fifo-queue" : "unordered-queue";
  }

  /**
   * A FIFO queue's state is its elements from head to tail. An unordered queue's is its multiset
   * of elements in a canonical order (sorted by their EDN text), so equal multisets are equal.
   */
  @Override
  public List<Object> initialState() {
    return initial;
  }

  @Override
  public List<Object> step(List<Object> queue, Operation op) {
    return switch (KeyedPartitions.f(op)) {
      case "enqueue" -> {
        List<Object> more = new ArrayList<>(queue.size() + 1);
        more.addAll(queue);
        more.add(op.input());
        yield fifo ? freeze(more) : sorted(more);
      }
      case "dequeue" -> {
        if (op.status() == Operation.Status.UNKNOWN) {
          yield !fifo || queue.isEmpty() ? queue : freeze(new ArrayList<>(queue.subList(1, queue.size())));
        }
        int at = fifo ? (!queue.isEmpty() && java.util.Objects.equals(queue.get(0), op.output()) ? 0 : -1)
            : queue.indexOf(op.output());
        if (at < 0) {
          yield null;
        }
        List<Object> less = new ArrayList<>(queue);
        less.remove(at);
        yield freeze(less);
      }
      default -> throw KeyedPartitions.unsupported(this, op, ":enqueue, :dequeue");
    };
  }

  private static List<Object> sorted(List<Object> values) {
    Map<Object, String> text = new HashMap<>();
    List<Object> out = new ArrayList<>(values);
    out.sort(java.util.Comparator.comparing((Object v) -> text.computeIfAbsent(v, Values::toEdn)));
    return freeze(out);
  }

  /** Unmodifiable (elements may be nil, which {@code List.copyOf} refuses). */
  private static List<Object> freeze(List<Object> values) {
    return java.util.Collections.unmodifiableList(values);
  }

  @Override
  public boolean isReadOnly(Operation op) {
    return !fifo && op.status() == Operation.Status.UNKNOWN && KeyedPartitions.f(op).equals("dequeue");
  }

  @Override
  public List<List<Operation>> partition(List<Operation> operations) {
    for (Operation op : operations) {
      step(initial, op.relaxed()); // refuses unknown operations up front
    }
    return KeyedPartitions.byKey(operations);
  }

  @Override
  public long stateBytes(List<Object> queue) {
    return Values.approxBytes(queue);
  }

  @Override
  public String describe(List<Object> queue) {
    return Values.toEdn(queue);
  }

  @Override
  public String toString() {
    return name() + "(initial " + describe(initial) + ")";
  }
}
