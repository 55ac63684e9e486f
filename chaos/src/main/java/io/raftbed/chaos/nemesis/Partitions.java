package io.raftbed.chaos.nemesis;

import io.raftbed.chaos.scenario.FaultSpec.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The directed links a partition cuts, over the current members. A cut {@code [i, j]} means what
 * node i sends node j is lost; a two-way partition cuts both directions. Pure: the same members,
 * shape, target and random stream give the same cuts.
 */
public final class Partitions {
  /** A directed cut: what {@code from} sends {@code to} is lost. */
  public record Cut(int from, int to) {}

  /** What a partition does: its cuts and how a person would describe its sides. */
  public record Plan(List<Cut> cuts, String sides) {}

  private Partitions() {}

  /**
   * @param members the nodes the partition is over, in id order
   * @param target the node of {@code isolate} and the one-way shapes
   * @param groups the sides of {@code groups}
   */
  public static Plan plan(List<Integer> members, Shape shape, int target, List<List<Integer>> groups,
      SplittableRandom random) {
    List<Integer> shuffled = shuffle(members, random);
    return switch (shape) {
      case HALVES -> {
        int half = members.size() / 2;
        yield sides(List.of(sorted(shuffled.subList(0, half)), sorted(shuffled.subList(half, shuffled.size()))));
      }
      case ISOLATE -> sides(List.of(List.of(target), without(members, target)));
      case GROUPS -> {
        List<List<Integer>> sides = new ArrayList<>();
        Set<Integer> placed = new HashSet<>();
        for (List<Integer> g : groups) {
          List<Integer> side = g.stream().filter(members::contains).toList();
          placed.addAll(side);
          if (!side.isEmpty()) {
            sides.add(side);
          }
        }
        // Members the scenario did not place (spares added later) stand alone.
        members.stream().filter(m -> !placed.contains(m)).forEach(m -> sides.add(List.of(m)));
        yield sides(sides);
      }
      case BRIDGE -> {
        // Jepsen's bridge: two halves that cannot talk, and one node in the middle that talks to both.
        int bridge = shuffled.get(0);
        List<Integer> rest = shuffled.subList(1, shuffled.size());
        List<Integer> a = sorted(rest.subList(0, rest.size() / 2));
        List<Integer> b = sorted(rest.subList(rest.size() / 2, rest.size()));
        List<Cut> cuts = new ArrayList<>(between(a, b));
        cuts.addAll(between(b, a));
        yield new Plan(cuts, fmt(a) + " | " + fmt(b) + " (n" + bridge + " bridges both)");
      }
      case RING -> {
        // Each node keeps only its two neighbours on a ring: every node sees a majority of 3 when
        // n = 5, but no two majorities are the same.
        List<Cut> cuts = new ArrayList<>();
        int n = shuffled.size();
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            int d = Math.floorMod(i - j, n);
            if (i != j && d != 1 && d != n - 1) {
              cuts.add(new Cut(shuffled.get(i), shuffled.get(j)));
            }
          }
        }
        yield new Plan(cuts, "ring " + fmt(shuffled));
      }
      case ONE_WAY_OUT -> new Plan(between(List.of(target), without(members, target)),
          "n" + target + " -/-> " + fmt(without(members, target)) + " (n" + target + " still hears them)");
      case ONE_WAY_IN -> new Plan(between(without(members, target), List.of(target)),
          fmt(without(members, target)) + " -/-> n" + target + " (they still hear n" + target + ")");
    };
  }

  private static Plan sides(List<List<Integer>> sides) {
    List<Cut> cuts = new ArrayList<>();
    for (List<Integer> a : sides) {
      for (List<Integer> b : sides) {
        if (a != b) {
          cuts.addAll(between(a, b));
        }
      }
    }
    StringBuilder desc = new StringBuilder();
    for (List<Integer> s : sides) {
      desc.append(desc.isEmpty() ? "" : " | ").append(fmt(s));
    }
    return new Plan(cuts, desc.toString());
  }

  private static List<Cut> between(List<Integer> from, List<Integer> to) {
    List<Cut> cuts = new ArrayList<>();
    for (int i : from) {
      for (int j : to) {
        if (i != j) {
          cuts.add(new Cut(i, j));
        }
      }
    }
    return cuts;
  }

  private static List<Integer> shuffle(List<Integer> members, SplittableRandom random) {
    List<Integer> out = new ArrayList<>(members);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }

  private static List<Integer> without(List<Integer> members, int id) {
    return members.stream().filter(m -> m != id).toList();
  }

  private static List<Integer> sorted(List<Integer> ids) {
    return ids.stream().sorted().toList();
  }

  private static String fmt(List<Integer> ids) {
    List<String> names = new ArrayList<>(new LinkedHashSet<>(ids.stream().map(i -> "n" + i).toList()));
    return String.join(",", names);
  }
}
