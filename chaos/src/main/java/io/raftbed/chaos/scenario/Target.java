package io.raftbed.chaos.scenario;

/**
 * Which node a fault acts on, resolved when the fault starts among the nodes it may act on (for
 * most faults: running members; for a transfer: voters other than the leader).
 */
public sealed interface Target {
  /** The node every running member names as leader; a random member if none is agreed. */
  record Leader() implements Target {
    @Override
    public String toString() {
      return "leader";
    }
  }

  /** A member that does not lead, drawn from the seed. */
  record Follower() implements Target {
    @Override
    public String toString() {
      return "follower";
    }
  }

  /** Any member, drawn from the seed. */
  record Any() implements Target {
    @Override
    public String toString() {
      return "random";
    }
  }

  /** Every node (toxics only). */
  record All() implements Target {
    @Override
    public String toString() {
      return "all";
    }
  }

  /** Node {@code id}. */
  record Node(int id) implements Target {
    @Override
    public String toString() {
      return "n" + id;
    }
  }

  /** Parses {@code leader}, {@code follower}, {@code random}, {@code all} or {@code nN}. */
  static Target parse(String text) {
    return switch (text) {
      case "leader" -> new Leader();
      case "follower" -> new Follower();
      case "random", "any" -> new Any();
      case "all" -> new All();
      default -> {
        if (text.matches("n?[1-9][0-9]?")) {
          yield new Node(Integer.parseInt(text.startsWith("n") ? text.substring(1) : text));
        }
        throw new IllegalArgumentException("'" + text + "' is not a target; write leader, follower, random, all"
            + " or a node such as n2");
      }
    };
  }
}
