package io.raftbed.sim.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fault action on the simulated world. Faults are plain data: each prints as a short token
 * sequence ({@link #print()}) that {@link #parse(String)} reads back, so that a schedule can be
 * written to a file, edited by hand, minimized and replayed exactly.
 */
public sealed interface Fault {
  /** The fault type this action belongs to, for swarm testing and reports. */
  FaultType type();

  String print();

  /** Cuts the directed links listed; other links keep working. Replaces any earlier partition. */
  record Partition(String shape, List<Link> blocked) implements Fault {
    public Partition {
      blocked = List.copyOf(blocked);
    }

    public FaultType type() {
      return FaultType.PARTITION;
    }

    public String print() {
      StringBuilder sb = new StringBuilder("partition ").append(shape);
      for (Link l : blocked) {
        sb.append(' ').append(l.from()).append('>').append(l.to());
      }
      return sb.toString();
    }
  }

  /** Restores every link. */
  record Heal() implements Fault {
    public FaultType type() {
      return FaultType.PARTITION;
    }

    public String print() {
      return "heal";
    }
  }

  /** Kills a node: it loses everything not fsynced; with {@code torn} its last unsynced write is torn. */
  record Crash(int node, boolean torn) implements Fault {
    public FaultType type() {
      return torn ? FaultType.TORN_WRITE : FaultType.CRASH;
    }

    public String print() {
      return "crash " + node + (torn ? " torn" : "");
    }
  }

  /** Starts a crashed node again from its disk. */
  record Restart(int node) implements Fault {
    public FaultType type() {
      return FaultType.CRASH;
    }

    public String print() {
      return "restart " + node;
    }
  }

  /** Freezes a node (a GC pause, SIGSTOP): its events wait until it resumes. */
  record Pause(int node) implements Fault {
    public FaultType type() {
      return FaultType.PAUSE;
    }

    public String print() {
      return "pause " + node;
    }
  }

  record Resume(int node) implements Fault {
    public FaultType type() {
      return FaultType.PAUSE;
    }

    public String print() {
      return "resume " + node;
    }
  }

  /**
   * Sets message faults on every node-to-node link: loss and duplication in percent, extra delay
   * up to {@code delayMillis} (which also reorders). All zero turns them off.
   */
  record NetFaults(int lossPercent, int duplicatePercent, int delayMillis) implements Fault {
    public FaultType type() {
      return FaultType.MESSAGES;
    }

    public String print() {
      return "net loss=" + lossPercent + " dup=" + duplicatePercent + " delay=" + delayMillis;
    }

    public boolean isOff() {
      return lossPercent == 0 && duplicatePercent == 0 && delayMillis == 0;
    }
  }

  /** Makes a node's clock run at {@code ratePermille}/1000 of real speed (1000 is exact). */
  record ClockRate(int node, int ratePermille) implements Fault {
    public FaultType type() {
      return FaultType.CLOCK;
    }

    public String print() {
      return "clock " + node + " rate=" + ratePermille;
    }
  }

  /** Steps a node's clock forward by {@code millis}: its timers due within that fire at once. */
  record ClockJump(int node, int millis) implements Fault {
    public FaultType type() {
      return FaultType.CLOCK;
    }

    public String print() {
      return "jump " + node + " +" + millis;
    }
  }

  /** Flips bits in one durable log record of a node: its next start must detect it. */
  record Corrupt(int node) implements Fault {
    public FaultType type() {
      return FaultType.CORRUPTION;
    }

    public String print() {
      return "corrupt " + node;
    }
  }

  /** A node's disk fills up (writes fail) or frees up again. */
  record DiskFull(int node, boolean full) implements Fault {
    public FaultType type() {
      return FaultType.DISK_FULL;
    }

    public String print() {
      return "diskfull " + node + (full ? " on" : " off");
    }
  }

  /** A directed link between two nodes. */
  record Link(int from, int to) {}

  /** Parses what {@link #print()} wrote; throws {@link IllegalArgumentException} saying what is wrong. */
  static Fault parse(String text) {
    String[] t = text.trim().split("\\s+");
    try {
      return switch (t[0].toLowerCase(Locale.ROOT)) {
        case "partition" -> {
          List<Link> links = new ArrayList<>();
          for (int i = 2; i < t.length; i++) {
            String[] ends = t[i].split(">");
            if (ends.length != 2) {
              throw new IllegalArgumentException("link '" + t[i] + "' is not FROM>TO");
            }
            links.add(new Link(Integer.parseInt(ends[0]), Integer.parseInt(ends[1])));
          }
          yield new Partition(t.length > 1 ? t[1] : "custom", links);
        }
        case "heal" -> new Heal();
        case "crash" -> new Crash(Integer.parseInt(t[1]), t.length > 2 && t[2].equals("torn"));
        case "restart" -> new Restart(Integer.parseInt(t[1]));
        case "pause" -> new Pause(Integer.parseInt(t[1]));
        case "resume" -> new Resume(Integer.parseInt(t[1]));
        case "net" -> new NetFaults(intArg(t[1], "loss"), intArg(t[2], "dup"), intArg(t[3], "delay"));
        case "clock" -> new ClockRate(Integer.parseInt(t[1]), intArg(t[2], "rate"));
        case "jump" -> new ClockJump(Integer.parseInt(t[1]), Integer.parseInt(t[2].replace("+", "")));
        case "corrupt" -> new Corrupt(Integer.parseInt(t[1]));
        case "diskfull" -> new DiskFull(Integer.parseInt(t[1]), t[2].equals("on"));
        default -> throw new IllegalArgumentException("unknown fault '" + t[0] + "'");
      };
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("malformed fault '" + text.trim() + "': " + e.getMessage(), e);
    }
  }

  private static int intArg(String token, String name) {
    if (!token.startsWith(name + "=")) {
      throw new IllegalArgumentException("expected " + name + "=N, got '" + token + "'");
    }
    return Integer.parseInt(token.substring(name.length() + 1));
  }
}
