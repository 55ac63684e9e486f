package io.raftbed.sim.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A timeline of faults: the whole nemesis of one run, as data. It prints as one line,
 * {@code @1200 crash 3; @2400 restart 3}, and parses back to an equal schedule. A schedule file
 * holds one event per line ({@link #write}, {@link #read}); lines starting with {@code #} are comments.
 */
public record FaultSchedule(List<Timed> events) {
  /** A fault at a virtual time, in milliseconds since the start of the run. */
  public record Timed(long atMillis, Fault fault) {
    public Timed {
      if (atMillis < 0) {
        throw new IllegalArgumentException("fault time must not be negative: " + atMillis);
      }
    }

    public String print() {
      return "@" + atMillis + " " + fault.print();
    }
  }

  public static final FaultSchedule EMPTY = new FaultSchedule(List.of());

  public FaultSchedule {
    List<Timed> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(Timed::atMillis)); // stable: equal times keep their order
    events = List.copyOf(sorted);
  }

  public int size() {
    return events.size();
  }

  public Set<FaultType> types() {
    Set<FaultType> types = EnumSet.noneOf(FaultType.class);
    events.forEach(e -> types.add(e.fault().type()));
    return types;
  }

  /** The schedule without the events at the given positions (for minimization). */
  public FaultSchedule without(Set<Integer> positions) {
    List<Timed> kept = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (!positions.contains(i)) {
        kept.add(events.get(i));
      }
    }
    return new FaultSchedule(kept);
  }

  public String print() {
    if (events.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    for (Timed e : events) {
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(e.print());
    }
    return sb.toString();
  }

  /** One event per line, as a schedule file holds it; {@link #parse} reads it back. */
  public String printLines() {
    StringBuilder sb = new StringBuilder();
    events.forEach(e -> sb.append(e.print()).append('\n'));
    return sb.toString();
  }

  /** Writes a schedule file: the {@code comment} lines (each prefixed with {@code #}), then one event per line. */
  public void write(Path file, String comment) throws IOException {
    StringBuilder sb = new StringBuilder();
    comment.lines().forEach(l -> sb.append("# ").append(l).append('\n'));
    Files.writeString(file, sb.append(printLines()), StandardCharsets.UTF_8);
  }

  /** Reads a schedule file: one event per line, or the one-line form; blank and {@code #} lines are skipped. */
  public static FaultSchedule read(Path file) throws IOException {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@link #print()}'s output; also accepts one event per line. */
  public static FaultSchedule parse(String text) {
    String trimmed = text.trim();
    List<Timed> events = new ArrayList<>();
    // A '#' comment runs to the end of its line and may itself contain ';'.
    List<String> parts = trimmed.lines().filter(l -> !l.strip().startsWith("#"))
        .flatMap(l -> Arrays.stream(l.split(";"))).toList();
    for (String part : parts) {
      String p = part.trim();
      if (p.isEmpty() || p.equals("none")) {
        continue;
      }
      if (!p.startsWith("@")) {
        throw new IllegalArgumentException("fault event '" + p + "' does not start with @TIME_MILLIS");
      }
      int space = p.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException("fault event '" + p + "' has a time but no fault");
      }
      long at;
      try {
        at = Long.parseLong(p.substring(1, space));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("fault event '" + p + "': bad time", e);
      }
      events.add(new Timed(at, Fault.parse(p.substring(space + 1))));
    }
    return new FaultSchedule(events);
  }
}
