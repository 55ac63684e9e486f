package io.raftbed.chaos.scenario;

import io.raftbed.chaos.scenario.FaultRule.Range;
import io.raftbed.chaos.scenario.FaultSpec.CutMode;
import io.raftbed.chaos.scenario.FaultSpec.Links;
import io.raftbed.chaos.scenario.FaultSpec.Shape;
import io.raftbed.chaos.scenario.Scenario.ClusterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses one entry of a scenario's {@code faults:} list: its timing and its kind's fields. */
final class FaultParser {
  /** Toxic kinds: the scenario's name, Toxiproxy's type, and the attributes it takes (YAML name = Toxiproxy name). */
  private record ToxicKind(String type, Map<String, String> attributes) {}

  private static final Map<String, ToxicKind> TOXICS = Map.of(
      "latency", new ToxicKind("latency", Map.of("latency", "latency", "jitter", "jitter")),
      "bandwidth", new ToxicKind("bandwidth", Map.of("rate", "rate")),
      "reset", new ToxicKind("reset_peer", Map.of("timeout", "timeout")),
      "slicer", new ToxicKind("slicer", Map.of("average-size", "average_size", "size-variation", "size_variation",
          "delay", "delay")),
      "slow-close", new ToxicKind("slow_close", Map.of("delay", "delay")),
      "limit-data", new ToxicKind("limit_data", Map.of("bytes", "bytes")),
      "timeout", new ToxicKind("timeout", Map.of("timeout", "timeout")));

  private static final List<String> KINDS = List.of("kill", "pause", "partition", "clock", "wal", "membership",
      "transfer", "restart-all", "latency", "bandwidth", "reset", "slicer", "slow-close", "limit-data", "timeout");

  private FaultParser() {}

  static FaultRule rule(Node n, ClusterSpec cluster, Duration timeline) {
    String kind = n.text("kind", null);
    FaultSpec fault = switch (kind) {
      case "kill" -> new FaultSpec.Kill(target(n, "random", cluster));
      case "pause" -> new FaultSpec.Pause(target(n, "random", cluster));
      case "partition" -> partition(n, cluster);
      case "clock" -> clock(n, cluster);
      case "wal" -> new FaultSpec.Wal(target(n, "follower", cluster),
          ScenarioParser.enumValue(n, "damage", FaultSpec.WalDamage.class, FaultSpec.WalDamage.TRUNCATE_TAIL));
      case "membership" -> membership(n, cluster);
      case "transfer" -> new FaultSpec.Transfer(target(n, "follower", cluster));
      case "restart-all" -> new FaultSpec.RestartAll();
      default -> {
        ToxicKind t = TOXICS.get(kind);
        if (t == null) {
          throw n.error("kind", "'" + kind + "' is not a fault kind; one of " + String.join(", ", KINDS));
        }
        yield toxic(n, kind, t, cluster);
      }
    };
    boolean instant = fault instanceof FaultSpec.Transfer || fault instanceof FaultSpec.Membership;
    Range lasting = ScenarioParser.range(n, "lasting", instant ? null : Range.of(Duration.ofSeconds(3)));
    if (instant && lasting != null) {
      throw n.error("lasting", "a " + kind + " is an action, not a state: it has no duration");
    }
    FaultRule.When when = when(n, timeline);
    n.done();
    return new FaultRule(when, lasting, fault);
  }

  private static FaultRule.When when(Node n, Duration timeline) {
    int given = (n.has("at") ? 1 : 0) + (n.has("every") ? 1 : 0) + (n.has("random") ? 1 : 0);
    if (given != 1) {
      throw new ScenarioException(n.path() + ": give exactly one of at, every or random (a count)");
    }
    Duration start = n.duration("start", Duration.ZERO);
    Duration until = n.duration("until", timeline);
    if (until.compareTo(timeline) > 0 || start.compareTo(until) >= 0) {
      throw n.error("until", "start " + Durations.format(start) + " and until " + Durations.format(until)
          + " must satisfy start < until <= the duration " + Durations.format(timeline));
    }
    if (n.has("at")) {
      Duration at = n.duration("at", null);
      if (at.compareTo(timeline) >= 0) {
        throw n.error("at", Durations.format(at) + " is not before the end of the timeline ("
            + Durations.format(timeline) + ")");
      }
      return new FaultRule.At(at);
    }
    if (n.has("every")) {
      Duration every = n.duration("every", null);
      if (every.toMillis() < 100) {
        throw n.error("every", "must be at least 100ms");
      }
      return new FaultRule.Every(start, every, until);
    }
    return new FaultRule.Random((int) n.integer("random", 1, 1, 1000), start, until);
  }

  private static Target target(Node n, String fallback, ClusterSpec cluster) {
    String text = n.text("target", fallback);
    try {
      Target t = Target.parse(text);
      if (t instanceof Target.Node node && node.id() > cluster.machines()) {
        throw n.error("target", "no node n" + node.id() + " in a cluster of " + cluster.nodes() + " nodes and "
            + cluster.spares() + " spares");
      }
      return t;
    } catch (IllegalArgumentException e) {
      throw n.error("target", e.getMessage());
    }
  }

  private static FaultSpec partition(Node n, ClusterSpec cluster) {
    Shape shape = ScenarioParser.enumValue(n, "shape", Shape.class, Shape.HALVES);
    CutMode mode = ScenarioParser.enumValue(n, "mode", CutMode.class, CutMode.DROP);
    boolean targeted = shape == Shape.ISOLATE || shape == Shape.ONE_WAY_IN || shape == Shape.ONE_WAY_OUT;
    Target target = targeted ? target(n, "leader", cluster) : null;
    if (!targeted && n.has("target")) {
      throw n.error("target", "a " + ScenarioParser.enumName(shape) + " partition has no target");
    }
    if (target instanceof Target.All) {
      throw n.error("target", "a partition isolates one node, not all");
    }
    List<List<Integer>> groups = new ArrayList<>();
    for (var g : n.list("groups")) {
      List<Integer> side = new ArrayList<>();
      g.forEach(id -> side.add(id.asInt()));
      if (side.isEmpty() || side.stream().anyMatch(id -> id < 1 || id > cluster.machines())) {
        throw n.error("groups", "each side is a list of node ids in 1.." + cluster.machines() + ", got " + g);
      }
      groups.add(side);
    }
    if ((shape == Shape.GROUPS) != !groups.isEmpty()) {
      throw n.error("groups", "groups go with shape: groups, and only with it");
    }
    if (shape == Shape.GROUPS && groups.size() < 2) {
      throw n.error("groups", "a partition needs at least two sides");
    }
    if ((shape == Shape.BRIDGE && cluster.nodes() < 3) || (shape == Shape.RING && cluster.nodes() < 4)) {
      throw n.error("shape", ScenarioParser.enumName(shape) + " needs more nodes than " + cluster.nodes());
    }
    return new FaultSpec.Partition(shape, target, mode, groups);
  }

  private static FaultSpec clock(Node n, ClusterSpec cluster) {
    Target target = target(n, "random", cluster);
    if (target instanceof Target.All) {
      throw n.error("target", "a clock fault skews one node against the others");
    }
    double rate = n.number("rate", 1.0, 0.05, 20);
    Duration jump = n.duration("jump", Duration.ZERO);
    if (rate == 1.0 && jump.isZero()) {
      throw new ScenarioException(n.path() + ": a clock fault needs a rate other than 1 or a jump");
    }
    return new FaultSpec.Clock(target, rate, jump.toMillis());
  }

  private static FaultSpec membership(Node n, ClusterSpec cluster) {
    FaultSpec.MembershipOp op = ScenarioParser.enumValue(n, "op", FaultSpec.MembershipOp.class, null);
    if (op == FaultSpec.MembershipOp.ADD) {
      if (cluster.spares() == 0) {
        throw n.error("op", "adding a node needs spares: set cluster.spares");
      }
      if (n.has("target")) {
        throw n.error("target", "add starts the next spare; it takes no target");
      }
      return new FaultSpec.Membership(op, null);
    }
    if (cluster.nodes() + cluster.spares() < 4) {
      throw n.error("op", "removing a voter needs at least 4 machines (nodes + spares): the harness never goes"
          + " below 3 voters");
    }
    return new FaultSpec.Membership(op, target(n, "follower", cluster));
  }

  private static FaultSpec toxic(Node n, String kind, ToxicKind t, ClusterSpec cluster) {
    Target target = target(n, "all", cluster);
    Links links = ScenarioParser.enumValue(n, "links", Links.class, Links.PEERS);
    Map<String, Long> attributes = new LinkedHashMap<>();
    t.attributes().forEach((yamlName, toxiName) -> {
      if (n.has(yamlName)) {
        attributes.put(toxiName, n.integer(yamlName, 0, 0, 1L << 40));
      }
    });
    if (kind.equals("latency") && !attributes.containsKey("latency")) {
      throw n.error("latency", "required (milliseconds)");
    }
    if (kind.equals("bandwidth") && !attributes.containsKey("rate")) {
      throw n.error("rate", "required (KB/s)");
    }
    if (kind.equals("limit-data") && !attributes.containsKey("bytes")) {
      throw n.error("bytes", "required");
    }
    double toxicity = n.number("toxicity", 1.0, 0, 1);
    return new FaultSpec.Toxic(kind, t.type(), target, links, attributes, toxicity);
  }
}
