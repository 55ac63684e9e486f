package io.raftbed.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.fuzz.FailureFolder;
import io.raftbed.sim.fuzz.Json;
import io.raftbed.sim.fuzz.SeedOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FuzzCommandTest {
  /** A small, fast campaign: 3 nodes, 3 virtual seconds. */
  private static final String[] SMALL = {"--nodes", "3", "--virtual-seconds", "3", "--threads", "2"};

  private static String[] fuzz(Path out, String... args) {
    List<String> all = new ArrayList<>(List.of("fuzz", "--out", out.toString()));
    all.addAll(List.of(SMALL));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private static List<SeedOutcome> lines(Path file) throws IOException {
    List<SeedOutcome> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(Json.parse(line, SeedOutcome.class));
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--shard 0/4 --seeds 1..3      | is not K/N",
      "--shard 5/4 --seeds 1..3      | is not K/N",
      "--shard three --seeds 1..3    | is not a shard K/N like 3/8",
      "--seeds 9..2                  | seed range 9..2 is empty",
      "--seeds one..two              | is not a seed range like 1..200",
      "--minutes 0                   | --minutes must be more than 0",
      "--seeds 1..2 --canary nope    | unknown canary 'nope'",
      "--seeds 1..2 --faults quakes  | unknown fault type 'quakes'",
      "--seeds 1..2 --nodes 0        | need 1..64",
      "--threads 2                   | give --minutes M, --seeds A..B, or both"})
  void badUsageExitsTwoWithAClearMessage(String args, String message, @TempDir Path dir) {
    List<String> all = new ArrayList<>(List.of("fuzz", "--out", dir.toString()));
    all.addAll(List.of(args.trim().split("\\s+")));
    Cli.Run r = Cli.run(all.toArray(String[]::new));
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains(message), r.toString());
    assertTrue(r.err().contains("raftbed fuzz --help"), r.toString());
  }

  @Test
  void listsEveryCanaryWithItsDescription() {
    Cli.Run r = Cli.run("fuzz", "--list-canaries");
    assertEquals(0, r.exit(), r.toString());
    for (Canary c : Canary.values()) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(c.label()) && l.contains(c.description)), r.out());
    }
    assertEquals(Canary.values().length, r.out().lines().count());
  }

  @Test
  void shardsCoverEachSeedOnceAndTheirFilesMergeByConcatenation(@TempDir Path dir) throws IOException {
    Path sharded = dir.resolve("sharded");
    for (String shard : new String[] {"1/3", "2/3", "3/3"}) {
      Cli.Run r = Cli.run(fuzz(sharded, "--seeds", "1..8", "--shard", shard, "--faults", "crash,partition,messages"));
      assertEquals(0, r.exit(), r.toString());
      assertTrue(r.out().contains("no violation in"), r.out());
    }
    Cli.Run whole = Cli.run(fuzz(dir.resolve("whole"), "--seeds", "1..8", "--faults", "crash,partition,messages"));
    assertEquals(0, whole.exit(), whole.toString());

    Map<Long, String> byShard = new TreeMap<>();
    for (int k = 1; k <= 3; k++) {
      for (SeedOutcome o : lines(sharded.resolve("results-shard-" + k + "-of-3.jsonl"))) {
        assertEquals(k + "/3", o.shard());
        assertEquals(k - 1, o.seed() % 3, "seed " + o.seed() + " is in shard " + k);
        assertEquals(null, byShard.put(o.seed(), o.digest()), "seed " + o.seed() + " ran once");
      }
    }
    Map<Long, String> unsharded = new TreeMap<>();
    for (SeedOutcome o : lines(dir.resolve("whole").resolve("results-shard-1-of-1.jsonl"))) {
      unsharded.put(o.seed(), o.digest());
      assertEquals("clean", o.outcome());
      assertTrue(!o.faultTypes().isEmpty() && o.swarm() != null && o.counts().events() > 0, o.toString());
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), List.copyOf(unsharded.keySet()));
    assertEquals(unsharded, byShard, "a seed runs the same in any shard");
  }

  @Test
  void everyFailureGetsAFolderAndTheLowestSeedsAreMinimized(@TempDir Path dir) throws IOException {
    Cli.Run r = Cli.run(fuzz(dir, "--seeds", "1..6", "--canary", "no-fsync", "--max-failures", "0",
        "--minimize", "2"));
    assertEquals(1, r.exit(), r.toString());
    List<Long> blocks = new ArrayList<>();
    r.out().lines().filter(l -> l.startsWith("VIOLATION seed=")).forEach(l ->
        blocks.add(Long.parseLong(l.substring("VIOLATION seed=".length(), l.indexOf(' ', 15)))));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), blocks, "one block per failure, by seed");
    for (long seed = 1; seed <= 6; seed++) {
      FailureFolder.Saved saved = FailureFolder.read(FailureFolder.folderFor(dir, seed));
      assertEquals(seed > 2, saved.result().minimization().skipped(), "seed " + seed);
    }
  }

  @Test
  void aShardWithoutSeedsInTheRangeRunsNothing(@TempDir Path dir) throws IOException {
    Cli.Run r = Cli.run(fuzz(dir, "--seeds", "4..4", "--shard", "2/2"));
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("no seed of 4 belongs to shard 2/2"), r.out());
    assertEquals(0, Files.readAllLines(dir.resolve("results-shard-2-of-2.jsonl")).size());
  }

  @Test
  void minutesRunUntilTheBudgetEndsCountingUpFromSeedOne(@TempDir Path dir) throws IOException {
    Cli.Run r = Cli.run(fuzz(dir, "--minutes", "0.05", "--faults", "crash"));
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("stopped: time budget spent"), r.out());
    List<Long> seeds = lines(dir.resolve("results-shard-1-of-1.jsonl")).stream().map(SeedOutcome::seed).sorted()
        .toList();
    assertTrue(!seeds.isEmpty() && seeds.getFirst() == 1 && seeds.getLast() == seeds.size(), seeds.toString());
  }
}
