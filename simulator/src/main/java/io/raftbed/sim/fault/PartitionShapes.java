package io.raftbed.sim.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Partition shapes over nodes {@code 1..n}, as Jepsen's nemeses draw them: two halves, one node
 * isolated, a majorities ring (every node sees a majority, no two the same one), a bridge (two
 * halves joined by one node), and a one-way cut (a node hears nobody but is still heard).
 */
public final class PartitionShapes {
  public static final List<String> SHAPES = List.of("halves", "isolate", "ring", "bridge", "oneway");

  private PartitionShapes() {}

  public static Fault.Partition random(int n, SplittableRandom random) {
    return of(SHAPES.get(random.nextInt(SHAPES.size())), n, random);
  }

  public static Fault.Partition of(String shape, int n, SplittableRandom random) {
    List<Integer> order = shuffled(n, random);
    List<Fault.Link> blocked = new ArrayList<>();
    switch (shape) {
      case "halves" -> cutBetween(order.subList(0, n / 2), order.subList(n / 2, n), blocked);
      case "isolate" -> cutBetween(order.subList(0, 1), order.subList(1, n), blocked);
      case "bridge" -> {
        int side = (n - 1) / 2;
        cutBetween(order.subList(0, side), order.subList(side + 1, n), blocked);
      }
      case "ring" -> {
        int majority = n / 2 + 1;
        int reach = majority / 2; // neighbours seen on each side: with itself, at least a majority
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            int d = Math.abs(i - j);
            if (i != j && Math.min(d, n - d) > reach) {
              blocked.add(new Fault.Link(order.get(i), order.get(j)));
            }
          }
        }
      }
      case "oneway" -> {
        int deaf = order.get(0);
        for (int other : order.subList(1, n)) {
          blocked.add(new Fault.Link(other, deaf));
        }
      }
      default -> throw new IllegalArgumentException("unknown partition shape '" + shape + "'; known: " + SHAPES);
    }
    return new Fault.Partition(shape, blocked);
  }

  /** Cuts {@code node} off from every other node, both ways. */
  public static Fault.Partition isolate(int node, int n) {
    List<Fault.Link> blocked = new ArrayList<>();
    for (int other = 1; other <= n; other++) {
      if (other != node) {
        blocked.add(new Fault.Link(node, other));
        blocked.add(new Fault.Link(other, node));
      }
    }
    return new Fault.Partition("isolate", blocked);
  }

  private static void cutBetween(List<Integer> a, List<Integer> b, List<Fault.Link> out) {
    for (int x : a) {
      for (int y : b) {
        out.add(new Fault.Link(x, y));
        out.add(new Fault.Link(y, x));
      }
    }
  }

  private static List<Integer> shuffled(int n, SplittableRandom random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      order.add(i);
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    return order;
  }
}
