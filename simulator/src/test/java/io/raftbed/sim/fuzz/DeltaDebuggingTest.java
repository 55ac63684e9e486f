package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeltaDebuggingTest {
  /** A tester over a predicate, counting tests, with an optional budget. */
  private static final class Counting implements DeltaDebugging.Tester<Integer> {
    final Predicate<List<Integer>> fails;
    final int budget;
    final List<List<Integer>> tested = new ArrayList<>();

    Counting(Predicate<List<Integer>> fails, int budget) {
      this.fails = fails;
      this.budget = budget;
    }

    @Override
    public int firstFailing(List<List<Integer>> candidates) {
      for (int i = 0; i < candidates.size() && !exhausted(); i++) {
        tested.add(candidates.get(i));
        if (fails.test(candidates.get(i))) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public boolean exhausted() {
      return tested.size() >= budget;
    }
  }

  private static List<Integer> upTo(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  void findsTheTwoElementsThatTogetherFail() {
    Counting t = new Counting(l -> l.contains(3) && l.contains(17), 1_000);
    DeltaDebugging.Result<Integer> r = DeltaDebugging.minimize(upTo(20), t);
    assertEquals(List.of(3, 17), r.minimal());
    assertTrue(r.oneMinimal());
    assertEquals(t.tested.size(), new HashSet<>(t.tested).size(), "no list is tested twice");
  }

  @Test
  void anEmptyFailureNeedsOneTest() {
    Counting t = new Counting(l -> true, 1_000);
    assertEquals(List.of(), DeltaDebugging.minimize(upTo(30), t).minimal());
    assertEquals(1, t.tested.size());
  }

  @Test
  void findsExactlyTheRequiredElementsOfRandomConjunctions() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(40);
      Set<Integer> required = new HashSet<>();
      int k = 1 + random.nextInt(Math.min(n, 5));
      while (required.size() < k) {
        required.add(1 + random.nextInt(n));
      }
      Counting t = new Counting(l -> l.containsAll(required), 10_000);
      DeltaDebugging.Result<Integer> r = DeltaDebugging.minimize(upTo(n), t);
      assertEquals(Set.copyOf(required), Set.copyOf(r.minimal()), "round " + round + " n=" + n);
      assertEquals(required.size(), r.minimal().size());
      assertTrue(r.oneMinimal());
      assertTrue(t.tested.size() <= 4 * k * (1 + 32 - Integer.numberOfLeadingZeros(n)) + 2 * n,
          "ddmin stays near k log n tests for a conjunction: " + t.tested.size() + " for k=" + k + " n=" + n);
    }
  }

  @Test
  void whenTheBudgetRunsOutItKeepsTheSmallestFailureFoundAndSaysSo() {
    Counting t = new Counting(l -> l.contains(5) && l.contains(6), 4);
    DeltaDebugging.Result<Integer> r = DeltaDebugging.minimize(upTo(40), t);
    assertFalse(r.oneMinimal());
    assertTrue(r.minimal().contains(5) && r.minimal().contains(6), "still failing: " + r.minimal());
    assertTrue(r.minimal().size() < 40, "some progress was made: " + r.minimal().size());
    assertEquals(4, t.tested.size());
  }

  @Test
  void splitsIntoNearlyEqualContiguousChunks() {
    for (int size = 1; size <= 30; size++) {
      for (int n = 1; n <= size; n++) {
        List<List<Integer>> chunks = DeltaDebugging.split(upTo(size), n);
        assertEquals(n, chunks.size());
        assertEquals(upTo(size), chunks.stream().flatMap(List::stream).toList());
        int min = chunks.stream().mapToInt(List::size).min().orElseThrow();
        int max = chunks.stream().mapToInt(List::size).max().orElseThrow();
        assertTrue(max - min <= 1 && min >= 1);
      }
    }
  }
}
