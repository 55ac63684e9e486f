package io.raftbed.chaos.workload;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's Jepsen history, as clients record it: an {@code :invoke} before each request leaves and
 * an {@code :ok}, {@code :fail} or {@code :info} once its outcome is known. Events are numbered
 * ({@code :index}) and timed ({@code :time}, nanoseconds since {@link #startNanos}) in the order they
 * are recorded, which is the order the checker sees.
 *
 * <p>Thread-safe: every client thread records here; one lock orders the events. Bounded: beyond
 * {@code eventsMax} events {@link #full()} turns true and clients stop.
 */
public final class HistoryRecorder {
  /** Kinds of event, as Jepsen writes them. */
  public enum Type {
    INVOKE, OK, FAIL, INFO;

    String keyword() {
      return ":" + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One event.
   *
   * @param value the per-key value: a {@link Long}, null (a read's invocation, or a read of an absent
   *     key), or a {@code long[2]} {@code [expected new]} of a cas
   * @param node the node asked ({@code n2}); null when unknown
   * @param error why an operation failed or is unknown; null otherwise
   */
  public record Event(long index, long timeNanos, Type type, int process, String f, String key, Object value,
      String node, String error) {}

  private final long startNanos;
  private final long startMillis;
  private final int eventsMax;
  private final List<Event> events = new ArrayList<>();

  public HistoryRecorder(int eventsMax) {
    this.startNanos = System.nanoTime();
    this.startMillis = System.currentTimeMillis();
    this.eventsMax = eventsMax;
  }

  /** Wall-clock time of the history's start (its {@code :time} 0), epoch milliseconds. */
  public long startMillis() {
    return startMillis;
  }

  /** Nanoseconds since the start, as the history's {@code :time}. */
  public long nowNanos() {
    return System.nanoTime() - startNanos;
  }

  public synchronized Event record(Type type, int process, String f, String key, Object value, String node,
      String error) {
    Event e = new Event(events.size(), nowNanos(), type, process, f, key, value, node, error);
    events.add(e);
    return e;
  }

  public synchronized boolean full() {
    return events.size() >= eventsMax;
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Counts of completions by type: ok, fail, info (invocations never completed count as info). */
  public synchronized long[] counts() {
    long ok = 0;
    long fail = 0;
    long info = 0;
    long invokes = 0;
    for (Event e : events) {
      switch (e.type()) {
        case INVOKE -> invokes++;
        case OK -> ok++;
        case FAIL -> fail++;
        case INFO -> info++;
      }
    }
    return new long[] {ok, fail, info + (invokes - ok - fail - info)};
  }

  /** Writes the history as Jepsen EDN, one map per line (Knossos, Elle and {@code raftbed check} read it). */
  public void writeEdn(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Event e : events()) {
        w.write(edn(e));
        w.write('\n');
      }
    }
  }

  static String edn(Event e) {
    StringBuilder sb = new StringBuilder(96).append("{:type ").append(e.type().keyword()).append(", :f :")
        .append(e.f()).append(", :value [:").append(e.key()).append(' ');
    switch (e.value()) {
      case null -> sb.append("nil");
      case long[] cas -> sb.append('[').append(cas[0]).append(' ').append(cas[1]).append(']');
      default -> sb.append(e.value());
    }
    sb.append("], :process ").append(e.process()).append(", :time ").append(e.timeNanos()).append(", :index ")
        .append(e.index());
    if (e.node() != null) {
      sb.append(", :node \"").append(e.node()).append('"');
    }
    if (e.error() != null) {
      sb.append(", :error \"").append(e.error().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    }
    return sb.append('}').toString();
  }
}
