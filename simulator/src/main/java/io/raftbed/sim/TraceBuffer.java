package io.raftbed.sim;

import io.raftbed.sim.EventQueue.Event;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;

/**
 * The last events of a run, kept cheaply (a ring of references) and formatted only when a run
 * fails, so that a violation comes with what led up to it.
 */
final class TraceBuffer {
  private record Note(long atMicros, String text) {}

  private final Event[] ring;
  private long added;
  private final ArrayDeque<Note> notes = new ArrayDeque<>();
  private String exception;

  TraceBuffer(int capacity) {
    this.ring = new Event[capacity];
  }

  void add(Event e) {
    ring[(int) (added++ % ring.length)] = e;
  }

  void note(long atMicros, String text) {
    notes.addLast(new Note(atMicros, text));
    if (notes.size() > 200) {
      notes.removeFirst();
    }
  }

  void noteException(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    exception = w.toString();
  }

  /** The last {@code count} events, one per line, oldest first, followed by notes and any exception. */
  String format(int count) {
    StringBuilder sb = new StringBuilder();
    long from = Math.max(0, added - Math.min(count, ring.length));
    for (long i = from; i < added; i++) {
      Event e = ring[(int) (i % ring.length)];
      sb.append(String.format("%12.3fms #%-9d %-18s %5d  %016x%n", e.timeMicros / 1000.0, e.seq, e.kind, e.node,
          e.detail));
    }
    for (Note n : notes) {
      sb.append(String.format("%12.3fms note: %s%n", n.atMicros / 1000.0, n.text));
    }
    if (exception != null) {
      sb.append(exception);
    }
    return sb.toString();
  }
}
