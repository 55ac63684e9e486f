package io.raftbed.sim.fault;

import java.util.Locale;

/** The kinds of faults; swarm testing turns a random subset of them on for each seed. */
public enum FaultType {
  PARTITION,
  CRASH,
  TORN_WRITE,
  PAUSE,
  MESSAGES,
  CLOCK,
  CORRUPTION,
  DISK_FULL;

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static FaultType parse(String label) {
    for (FaultType t : values()) {
      if (t.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown fault type '" + label + "'");
  }
}
