package io.raftbed.sim;

import java.util.Arrays;

/**
 * The simulator's agenda: a binary min-heap of events ordered by (virtual time, sequence number).
 * The sequence number is the order of scheduling, so two events at the same instant always run in
 * the same order: the queue is deterministic by construction.
 */
final class EventQueue {
  /** A scheduled action. {@code kind} and {@code node} describe it for the trace and the digest. */
  static final class Event {
    final long timeMicros;
    final long seq;
    final EventKind kind;
    final int node;
    final long detail;
    final Runnable action;

    Event(long timeMicros, long seq, EventKind kind, int node, long detail, Runnable action) {
      this.timeMicros = timeMicros;
      this.seq = seq;
      this.kind = kind;
      this.node = node;
      this.detail = detail;
      this.action = action;
    }

    boolean before(Event o) {
      return timeMicros < o.timeMicros || (timeMicros == o.timeMicros && seq < o.seq);
    }
  }

  private Event[] heap = new Event[1024];
  private int size;
  private long nextSeq;

  Event add(long timeMicros, EventKind kind, int node, long detail, Runnable action) {
    Event e = new Event(timeMicros, nextSeq++, kind, node, detail, action);
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!e.before(heap[parent])) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = e;
    return e;
  }

  Event poll() {
    if (size == 0) {
      return null;
    }
    Event top = heap[0];
    Event last = heap[--size];
    heap[size] = null;
    if (size > 0) {
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        int right = child + 1;
        if (right < size && heap[right].before(heap[child])) {
          child = right;
        }
        if (!heap[child].before(last)) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  long peekTime() {
    return size == 0 ? Long.MAX_VALUE : heap[0].timeMicros;
  }

  int size() {
    return size;
  }
}
