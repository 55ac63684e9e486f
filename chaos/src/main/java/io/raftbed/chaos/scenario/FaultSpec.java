package io.raftbed.chaos.scenario;

import java.util.List;
import java.util.Map;

/**
 * What a fault does, as a scenario names it ({@code kind:}). Targets are resolved when the fault
 * starts ({@link Target}): "the leader" is whoever leads at that moment.
 */
public sealed interface FaultSpec {
  /** The {@code kind} this fault is written as. */
  String kind();

  /** SIGKILL the node; it is started again (from its data directory) when the fault ends. */
  record Kill(Target target) implements FaultSpec {
    public String kind() {
      return "kill";
    }
  }

  /** SIGSTOP the node; SIGCONT when the fault ends. */
  record Pause(Target target) implements FaultSpec {
    public String kind() {
      return "pause";
    }
  }

  /** Shapes of a network partition, over the current members. */
  enum Shape {
    /** Two sides of sizes floor(n/2) and ceil(n/2), drawn from the seed. */
    HALVES,
    /** The target alone on one side. */
    ISOLATE,
    /** Each node keeps only its two neighbours on a ring drawn from the seed (a majority each, none shared). */
    RING,
    /** Two halves and one node that still talks to both (Jepsen's bridge). */
    BRIDGE,
    /** Only the target's outgoing links cut (it hears everyone; nobody hears it). */
    ONE_WAY_OUT,
    /** Only the target's incoming links cut (everyone hears it; it hears nobody). */
    ONE_WAY_IN,
    /** The sides the scenario lists in {@code groups}. */
    GROUPS
  }

  /** How a cut link behaves. */
  enum CutMode {
    /** Data is dropped silently, connections stay open (Toxiproxy's timeout toxic with timeout 0). */
    DROP,
    /** The link's proxy is disabled: open connections close and new ones are refused. */
    REFUSE
  }

  /**
   * Cuts peer links (Raft messages and forwarded requests) so that nodes on different sides cannot
   * reach each other; healed when the fault ends. Client links are not cut.
   *
   * @param target the node of {@code isolate} and the one-way shapes
   * @param groups the sides of {@code groups}, by node id
   */
  record Partition(Shape shape, Target target, CutMode mode, List<List<Integer>> groups) implements FaultSpec {
    public Partition {
      groups = groups.stream().map(List::copyOf).toList();
    }

    public String kind() {
      return "partition";
    }
  }

  /** Which proxied links a toxic goes on, relative to its target node. */
  enum Links {
    /** Every link the target dials and every link that dials it (peer messages, forwarded requests). */
    PEERS,
    /** Only links the target dials: what it sends. */
    PEERS_OUT,
    /** Only links that dial the target: what it receives. */
    PEERS_IN,
    /** The clients' link to the target. */
    CLIENTS,
    /** Peer and client links of the target. */
    ALL
  }

  /**
   * A Toxiproxy toxic on the target's links, on both streams, removed when the fault ends. Kinds
   * {@code latency}, {@code bandwidth}, {@code reset} (Toxiproxy's {@code reset_peer}), {@code slicer},
   * {@code slow-close}, {@code limit-data} and {@code timeout} map to Toxiproxy's toxic of that name.
   *
   * @param type Toxiproxy's toxic type ({@code latency}, {@code reset_peer}, ...)
   * @param target whose links; {@link Target.All} for every node's
   * @param attributes the toxic's attributes, Toxiproxy's names ({@code latency}, {@code jitter}, {@code rate} ...)
   * @param toxicity the probability a connection is affected, 0..1
   */
  record Toxic(String kind, String type, Target target, Links links, Map<String, Long> attributes, double toxicity)
      implements FaultSpec {
    public Toxic {
      attributes = Map.copyOf(attributes);
    }
  }

  /**
   * Skews the node's clocks through libfaketime, changed while it runs: its clocks run at
   * {@code rate} times true speed, after stepping forward by {@code jumpMillis}; when the fault ends
   * they run at true speed again (the step is not taken back: a monotonic clock never goes back).
   */
  record Clock(Target target, double rate, long jumpMillis) implements FaultSpec {
    public String kind() {
      return "clock";
    }
  }

  /** How a stopped node's write-ahead log is damaged. */
  enum WalDamage {
    /** Cut the last segment short inside its last record: a torn write. The node must start. */
    TRUNCATE_TAIL,
    /** Overwrite bytes of the last record: a torn write that left garbage. The node must start. */
    CORRUPT_TAIL,
    /**
     * Flip a byte in a record that has valid records after it: corruption of data once durable. The
     * node must refuse to start (exit 3); the nemesis then puts the original bytes back and starts it.
     */
    CORRUPT_MIDDLE
  }

  /** SIGKILL the node, damage its log, start it again when the fault ends. */
  record Wal(Target target, WalDamage damage) implements FaultSpec {
    public String kind() {
      return "wal";
    }
  }

  /** Membership changes under faults. */
  enum MembershipOp {
    /** Start a spare and add it as a voter. */
    ADD,
    /** Remove a voter (the target; never below three voters) and stop it. */
    REMOVE
  }

  /** A membership change, proposed through any member (a follower forwards to the leader). */
  record Membership(MembershipOp op, Target target) implements FaultSpec {
    public String kind() {
      return "membership";
    }
  }

  /** Hands leadership to the target voter. */
  record Transfer(Target target) implements FaultSpec {
    public String kind() {
      return "transfer";
    }
  }

  /** SIGKILL every node at once; all start again when the fault ends. */
  record RestartAll() implements FaultSpec {
    public String kind() {
      return "restart-all";
    }
  }
}
