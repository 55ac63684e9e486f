package io.raftbed.sim.cli;

import io.raftbed.node.NodeConfig;
import io.raftbed.sim.SimConfig;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Unsafe settings that real users choose and that break safety under faults. Turning one on must
 * make the fuzzer fail: a canary that passes means the testbed has lost its teeth.
 */
enum Canary {
  STALE_READS(NodeConfig.Unsafe.STALE_READS, "serve linearizable reads from any node's local state"),
  NO_FSYNC(NodeConfig.Unsafe.NO_FSYNC, "acknowledge writes and votes before they are fsynced");

  final NodeConfig.Unsafe setting;
  final String description;

  Canary(NodeConfig.Unsafe setting, String description) {
    this.setting = setting;
    this.description = description;
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
    Set<NodeConfig.Unsafe> unsafe = EnumSet.noneOf(NodeConfig.Unsafe.class);
    unsafe.addAll(config.unsafe());
    unsafe.addAll(unsafeSettings(canaries));
    return config.withUnsafe(unsafe);
  }

  static Set<NodeConfig.Unsafe> unsafeSettings(List<Canary> canaries) {
    Set<NodeConfig.Unsafe> out = EnumSet.noneOf(NodeConfig.Unsafe.class);
    canaries.forEach(c -> out.add(c.setting));
    return out;
  }
}
