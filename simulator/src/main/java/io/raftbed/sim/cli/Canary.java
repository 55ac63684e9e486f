package io.raftbed.sim.cli;

import io.raftbed.node.NodeConfig;
import io.raftbed.sim.SimConfig;
import io.raftbed.sim.fault.FaultType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Unsafe settings that real users choose and that break safety under faults. Turning one on must
 * make the fuzzer fail: a canary that passes means the testbed has lost its teeth.
 */
enum Canary {
  STALE_READS("serve linearizable reads from any node's local state without confirming leadership",
      c -> c.withUnsafe(with(c, NodeConfig.Unsafe.STALE_READS))),
  NO_FSYNC("acknowledge appends and votes before they are fsynced",
      c -> c.withUnsafe(with(c, NodeConfig.Unsafe.NO_FSYNC))),
  ONE_CANDIDATE("only node 1 asks for votes (the others' vote requests are dropped as they leave): a cluster"
      + " whose node 1 is down or cut off stays leaderless while faults last",
      c -> c.withUnsafe(with(c, NodeConfig.Unsafe.ONE_CANDIDATE))),
  LEASE_READS_UNBOUNDED_CLOCK("serve reads from a leader lease that assumes perfect clocks, under unbounded clock faults",
      c -> {
        Set<FaultType> types = EnumSet.of(FaultType.CLOCK);
        types.addAll(c.faultTypes());
        return c.toBuilder().checkQuorum(true).build().withLeaseReads(true, 0, 2_000).withFaultTypes(types);
      });

  final String description;
  private final UnaryOperator<SimConfig> apply;

  Canary(String description, UnaryOperator<SimConfig> apply) {
    this.description = description;
    this.apply = apply;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public String toString() {
    return label();
  }

  static Canary parse(String label) {
    for (Canary c : values()) {
      if (c.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown canary '" + label + "'; known: " + List.of(values()));
  }

  /** The configuration with every canary in {@code canaries} turned on. */
  static SimConfig applyAll(List<Canary> canaries, SimConfig config) {
    SimConfig out = config;
    for (Canary c : canaries) {
      out = c.apply.apply(out);
    }
    return out;
  }

  private static Set<NodeConfig.Unsafe> with(SimConfig c, NodeConfig.Unsafe u) {
    Set<NodeConfig.Unsafe> out = EnumSet.noneOf(NodeConfig.Unsafe.class);
    out.addAll(c.unsafe());
    out.add(u);
    return out;
  }
}
