package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTest {
  @Test
  void parsesKOfN() {
    assertEquals(new Shard(3, 8), Shard.parse("3/8"));
    assertEquals(new Shard(1, 1), Shard.parse(" 1 / 1 "));
    assertEquals("results-shard-3-of-8.jsonl", Shard.parse("3/8").resultsFileName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0/4", "5/4", "1/0", "-1/3", "3", "a/b", "3/", "/3", ""})
  void rejectsBadShardsSayingWhatIsExpected(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(text));
    assertTrue(e.getMessage().contains("K/N"), e.getMessage());
  }

  @Test
  void shardsPartitionEverySeedIncludingNegativeOnes() {
    int n = 7;
    for (long seed = -50; seed <= 200; seed++) {
      int owners = 0;
      for (int k = 1; k <= n; k++) {
        owners += new Shard(k, n).contains(seed) ? 1 : 0;
      }
      assertEquals(1, owners, "seed " + seed + " belongs to exactly one shard");
    }
    assertTrue(new Shard(1, 4).contains(8));
    assertTrue(new Shard(4, 4).contains(3));
    assertFalse(new Shard(4, 4).contains(4));
  }

  @Test
  void firstAtOrAfterAndCountAgreeWithContains() {
    for (int k = 1; k <= 5; k++) {
      Shard s = new Shard(k, 5);
      for (long from = -12; from < 12; from++) {
        long first = s.firstAtOrAfter(from);
        assertTrue(first >= from && s.contains(first), s + " from " + from);
        for (long x = from; x < first; x++) {
          assertFalse(s.contains(x));
        }
        long count = 0;
        for (long x = from; x <= from + 23; x++) {
          count += s.contains(x) ? 1 : 0;
        }
        assertEquals(count, s.countIn(from, from + 23), s + " in " + from + ".." + (from + 23));
      }
    }
    assertEquals(0, new Shard(2, 2).countIn(1, 0));
  }
}
