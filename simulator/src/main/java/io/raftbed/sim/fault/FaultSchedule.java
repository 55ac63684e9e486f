package io.raftbed.sim.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A timeline of faults: the whole nemesis of one run, as data. It prints as one line,
 * {@code @1200 crash 3; @2400 restart 3}, and parses back to an equal schedule.
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

  /** Parses {@link #print()}'s output; also accepts one event per line. */
  public static FaultSchedule parse(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty() || trimmed.equals("none")) {
      return EMPTY;
    }
    List<Timed> events = new ArrayList<>();
    for (String part : trimmed.split("[;\\n]")) {
      String p = part.trim();
      if (p.isEmpty() || p.startsWith("#")) {
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
