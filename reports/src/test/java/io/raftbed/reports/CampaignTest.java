package io.raftbed.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.reports.fuzz.Campaign;
import io.raftbed.reports.fuzz.CampaignStats;
import io.raftbed.reports.fuzz.SeedLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignTest {
  @TempDir
  Path tmp;

  @Test
  void shardsMergeSeedForSeedIntoTheUnshardedCampaign() throws Exception {
    Campaign whole = Campaign.load(List.of(Fixtures.campaign(tmp.resolve("whole"), 60, 1, 13)));
    Path a = Fixtures.campaign(tmp.resolve("a"), 60, 4, 13);
    // Shards run on different machines: each result file in a folder of its own, given in any order.
    Files.createDirectories(tmp.resolve("b"));
    Files.move(a.resolve("results-shard-3-of-4.jsonl"), tmp.resolve("b").resolve("results-shard-3-of-4.jsonl"));
    Campaign merged = Campaign.load(List.of(tmp.resolve("b"), a));
    assertEquals(60, merged.seeds().size());
    assertEquals(whole.seeds().keySet(), merged.seeds().keySet());
    for (long s : whole.seeds().keySet()) {
      assertEquals(whole.seeds().get(s).identity(), merged.seeds().get(s).identity(), "seed " + s);
    }
    assertEquals(whole.fingerprint(), merged.fingerprint());
    assertEquals(CampaignStats.outcomes(whole), CampaignStats.outcomes(merged));
    assertEquals(CampaignStats.attribution(whole), CampaignStats.attribution(merged));
    assertEquals(List.of(13L, 26L, 39L, 52L), merged.failing().stream().map(SeedLine::seed).toList());
    assertTrue(merged.shardsMissing().isEmpty());
    assertEquals(4, CampaignStats.paceByShard(merged).size());
  }

  @Test
  void aMissingShardIsNamedAndADifferentRunOfASeedIsRefused() throws Exception {
    Path dir = Fixtures.campaign(tmp.resolve("c"), 40, 4, 100);
    Files.delete(dir.resolve("results-shard-2-of-4.jsonl"));
    Campaign c = Campaign.load(List.of(dir));
    assertEquals(List.of("2/4"), List.copyOf(c.shardsMissing()));
    assertEquals(30, c.seeds().size());

    Path other = tmp.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("results-shard-1-of-1.jsonl"),
        Fixtures.seedLine(3, "1/1", false, 1).replaceFirst("\"digest\":\"[0-9a-f]+\"", "\"digest\":\"ffff\""));
    BadInputException e = assertThrows(BadInputException.class, () -> Campaign.load(List.of(dir, other)));
    assertTrue(e.getMessage().contains("seed 3 ran differently"), e.getMessage());
  }

  @Test
  void theSameFileTwiceCountsEachSeedOnce() throws Exception {
    Path dir = Fixtures.campaign(tmp.resolve("d"), 20, 1, 7);
    Path file = dir.resolve("results-shard-1-of-1.jsonl");
    Campaign c = Campaign.load(List.of(dir, file));
    assertEquals(20, c.seeds().size());
    assertEquals(20, c.duplicates());
    assertEquals(2, c.failureFolders().size());
  }

  @Test
  void attributionCountsFaultTypesAndOptionsAgainstAllSeeds() throws Exception {
    Campaign c = Campaign.load(List.of(Fixtures.campaign(tmp.resolve("e"), 100, 2, 10)));
    List<CampaignStats.Attribution> all = CampaignStats.attribution(c);
    CampaignStats.Attribution crash = all.stream().filter(a -> a.feature().equals("fault crash")).findFirst().orElseThrow();
    long withCrash = c.seeds().values().stream().filter(l -> l.faultTypes().contains("crash")).count();
    assertEquals(withCrash, crash.seedsWith());
    assertEquals(10, crash.failuresWith()); // every failing fixture seed has crash on
    assertEquals(100.0, crash.shareOfFailuresPercent(), 1e-9);
    CampaignStats.Attribution cqOff = all.stream().filter(a -> a.feature().equals("checkQuorum=off")).findFirst()
        .orElseThrow();
    assertEquals(10, cqOff.failuresWith());
    // preVote is on in every seed: one value carries no information and is left out.
    assertTrue(all.stream().noneMatch(a -> a.feature().startsWith("preVote")));
    // The failing seeds' features come first.
    assertTrue(all.get(0).liftPoints() >= all.get(all.size() - 1).liftPoints());
    assertEquals(Math.round(crash.failureRateWithPercent() * 1000), Math.round(1000 * 100.0 * 10 / withCrash));
  }

  @Test
  void paceCountsSeedsPerMinuteAndTimeToFirstFailureFromTheStamps() throws Exception {
    Campaign c = Campaign.load(List.of(Fixtures.campaign(tmp.resolve("f"), 120, 1, 50)));
    CampaignStats.Pace p = CampaignStats.pace(List.copyOf(c.seeds().values()));
    SeedLine first = c.seeds().get(50L);
    assertEquals(first.seed(), p.firstFailure().seed());
    long start = c.seeds().values().stream().mapToLong(SeedLine::startedAtMs).min().orElseThrow();
    assertEquals((first.finishedAtMs() - start) / 1000.0, p.secondsToFirstFailure(), 1e-9);
    long before = c.seeds().values().stream().filter(l -> l.finishedAtMs() <= first.finishedAtMs()).count();
    assertEquals(before, p.seedsBeforeFirstFailure());
    double perMinute = 120 / ((p.endMs() - start) / 60_000.0);
    assertEquals(perMinute, p.seedsPerMinute(), 1e-9);
    double total = CampaignStats.seedsPerMinuteSeries(c, p).stream()
        .mapToDouble(x -> x[1] * Math.min(1.0, p.minutes() - Math.floor(x[0]))).sum();
    assertEquals(120, total, 0.5);
  }

  @Test
  void aBrokenLineIsNamedByFileAndLine() throws Exception {
    Path dir = tmp.resolve("g");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results-shard-1-of-1.jsonl"), Fixtures.seedLine(1, "1/1", false, 1) + "\n{\"seed\":2,");
    BadInputException e = assertThrows(BadInputException.class, () -> Campaign.load(List.of(dir)));
    assertTrue(e.getMessage().contains("results-shard-1-of-1.jsonl:2"), e.getMessage());
    Files.writeString(dir.resolve("results-shard-1-of-1.jsonl"), "{\"outcome\":\"clean\"}");
    e = assertThrows(BadInputException.class, () -> Campaign.load(List.of(dir)));
    assertTrue(e.getMessage().contains("needs a numeric \"seed\""), e.getMessage());
  }

  @Test
  void theFingerprintChangesWhenOneSeedRanDifferently() throws Exception {
    Path dir = Fixtures.campaign(tmp.resolve("h"), 10, 1, 100);
    String before = Campaign.load(List.of(dir)).fingerprint();
    Path file = dir.resolve("results-shard-1-of-1.jsonl");
    List<String> lines = Files.readAllLines(file).stream()
        .map(l -> l.startsWith("{\"seed\":4,") ? l.replaceFirst("\"digest\":\"[0-9a-f]+\"", "\"digest\":\"0\"") : l)
        .collect(Collectors.toList());
    Files.write(file, lines);
    assertNotEquals(before, Campaign.load(List.of(dir)).fingerprint());
  }
}
