package io.raftbed.chaos.nemesis;

import io.raftbed.chaos.scenario.FaultSpec;
import java.util.Locale;

/** Short human descriptions of fault specs, for plans and logs. */
final class Describe {
  private Describe() {}

  static String spec(FaultSpec f) {
    return switch (f) {
      case FaultSpec.Kill k -> "kill -9 " + k.target();
      case FaultSpec.Pause p -> "SIGSTOP " + p.target();
      case FaultSpec.Partition p -> name(p.shape()) + (p.target() == null ? "" : " " + p.target())
          + (p.groups().isEmpty() ? "" : " " + p.groups()) + " (" + name(p.mode()) + ")";
      case FaultSpec.Toxic t -> t.type() + " " + t.attributes() + " on " + name(t.links()) + " of " + t.target()
          + (t.toxicity() < 1 ? " toxicity " + t.toxicity() : "");
      case FaultSpec.Clock c -> "clock of " + c.target() + String.format(Locale.ROOT, " at x%.2f", c.rate())
          + (c.jumpMillis() == 0 ? "" : " after a step of +" + c.jumpMillis() + "ms");
      case FaultSpec.Wal w -> name(w.damage()) + " of the log of " + w.target();
      case FaultSpec.Membership m -> name(m.op()) + (m.target() == null ? " a spare" : " " + m.target());
      case FaultSpec.Transfer t -> "leadership to " + t.target();
      case FaultSpec.RestartAll r -> "kill -9 every node, then start them all";
    };
  }

  static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
