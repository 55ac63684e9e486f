package io.raftbed.chaos.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.nemesis.Partitions.Cut;
import io.raftbed.chaos.scenario.FaultSpec.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionsTest {
  private static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);

  private static Set<Cut> cuts(Shape shape, int target, List<List<Integer>> groups, long seed) {
    return new HashSet<>(Partitions.plan(FIVE, shape, target, groups, new SplittableRandom(seed)).cuts());
  }

  /** Whether a and b can exchange messages both ways. */
  private static boolean talk(Set<Cut> cuts, int a, int b) {
    return !cuts.contains(new Cut(a, b)) && !cuts.contains(new Cut(b, a));
  }

  @Test
  void isolateCutsTheTargetBothWaysAndNothingElse() {
    Set<Cut> cuts = cuts(Shape.ISOLATE, 3, List.of(), 1);
    assertEquals(8, cuts.size());
    for (int other : List.of(1, 2, 4, 5)) {
      assertTrue(cuts.contains(new Cut(3, other)) && cuts.contains(new Cut(other, 3)));
    }
    assertTrue(talk(cuts, 1, 2) && talk(cuts, 4, 5));
  }

  @Test
  void halvesAreAMinorityAndAMajorityThatCannotTalk() {
    for (long seed = 0; seed < 20; seed++) {
      Set<Cut> cuts = cuts(Shape.HALVES, 0, List.of(), seed);
      assertEquals(2 * 2 * 3, cuts.size(), "2 x 3 nodes, both directions");
      // Node 1's side: everyone it still talks to.
      long side = FIVE.stream().filter(n -> talk(cuts, 1, n)).count();
      assertTrue(side == 2 || side == 3);
    }
    assertFalse(cuts(Shape.HALVES, 0, List.of(), 1).equals(cuts(Shape.HALVES, 0, List.of(), 2))
        && cuts(Shape.HALVES, 0, List.of(), 2).equals(cuts(Shape.HALVES, 0, List.of(), 3)),
        "sides are drawn from the seed");
    assertEquals(cuts(Shape.HALVES, 0, List.of(), 7), cuts(Shape.HALVES, 0, List.of(), 7), "and only from it");
  }

  @Test
  void ringLeavesEachNodeItsTwoNeighboursAndNoCommonMajority() {
    Set<Cut> cuts = cuts(Shape.RING, 0, List.of(), 3);
    for (int n : FIVE) {
      long reachable = FIVE.stream().filter(m -> m != n && talk(cuts, n, m)).count();
      assertEquals(2, reachable, "n" + n + " keeps two neighbours: a majority of 3 with itself");
    }
    // No node is connected to everyone, so no two nodes share the same majority.
    for (int n : FIVE) {
      assertTrue(FIVE.stream().anyMatch(m -> m != n && !talk(cuts, n, m)));
    }
  }

  @Test
  void bridgeTalksToBothHalvesWhichCannotTalkToEachOther() {
    Set<Cut> cuts = cuts(Shape.BRIDGE, 0, List.of(), 5);
    int bridge = FIVE.stream().filter(n -> FIVE.stream().allMatch(m -> m == n || talk(cuts, n, m)))
        .findFirst().orElseThrow();
    List<Integer> rest = FIVE.stream().filter(n -> n != bridge).toList();
    int cutPairs = 0;
    for (int a : rest) {
      for (int b : rest) {
        if (a < b && !talk(cuts, a, b)) {
          cutPairs++;
        }
      }
    }
    assertEquals(4, cutPairs, "two pairs on each side of the bridge: 2 x 2 pairs cut");
  }

  @Test
  void oneWayShapesCutOnlyOneDirection() {
    Set<Cut> out = cuts(Shape.ONE_WAY_OUT, 2, List.of(), 1);
    assertEquals(Set.of(new Cut(2, 1), new Cut(2, 3), new Cut(2, 4), new Cut(2, 5)), out);
    Set<Cut> in = cuts(Shape.ONE_WAY_IN, 2, List.of(), 1);
    assertEquals(Set.of(new Cut(1, 2), new Cut(3, 2), new Cut(4, 2), new Cut(5, 2)), in);
  }

  @Test
  void groupsPlaceMembersTheScenarioDidNotNameAlone() {
    Set<Cut> cuts = cuts(Shape.GROUPS, 0, List.of(List.of(1, 2), List.of(3)), 1);
    assertTrue(talk(cuts, 1, 2));
    assertFalse(talk(cuts, 1, 3));
    assertFalse(talk(cuts, 4, 5), "4 and 5 were not placed: each stands alone");
    assertFalse(talk(cuts, 3, 4));
  }
}
