package io.raftbed.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftbed.reports.fuzz.Campaign;
import io.raftbed.reports.fuzz.CampaignStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real campaign run twice by the simulator's command line, as four shards in four separate
 * processes and as one unsharded process: merged by the report, the shards must be the unsharded
 * campaign seed for seed. The simulator runs from its built jar (this module does not depend on it);
 * the test is skipped, saying why, when the jar is not built (a full {@code bin/mvn verify} builds it
 * first; CI must not skip it).
 */
class ShardMergeTest {
  static final int SHARDS = 4;
  static final String SEEDS = "1..24";
  static final long PROCESS_SECONDS_MAX = 300;

  @TempDir
  Path tmp;

  @Test
  void fourShardProcessesMergeIntoTheUnshardedCampaign() throws Exception {
    List<String> classpath = simulatorClasspath();
    List<Process> shards = new ArrayList<>();
    for (int k = 1; k <= SHARDS; k++) {
      shards.add(fuzz(classpath, tmp.resolve("shard-" + k), "--shard", k + "/" + SHARDS, "--threads", "1"));
    }
    Process whole = fuzz(classpath, tmp.resolve("whole"), "--threads", "2");
    for (Process p : shards) {
      awaitResult(p);
    }
    awaitResult(whole);
    List<Path> shardDirs = new ArrayList<>();
    for (int k = SHARDS; k >= 1; k--) { // any order
      shardDirs.add(tmp.resolve("shard-" + k));
    }
    Campaign merged = Campaign.load(shardDirs);
    Campaign unsharded = Campaign.load(List.of(tmp.resolve("whole")));
    assertEquals(24, unsharded.seeds().size());
    assertEquals(unsharded.seeds().keySet(), merged.seeds().keySet());
    for (long s : unsharded.seeds().keySet()) {
      assertEquals(unsharded.seeds().get(s).identity(), merged.seeds().get(s).identity(), "seed " + s);
      assertEquals(unsharded.seeds().get(s).options(), merged.seeds().get(s).options(), "seed " + s);
      assertEquals(unsharded.seeds().get(s).faultTypes(), merged.seeds().get(s).faultTypes(), "seed " + s);
    }
    assertTrue(merged.failing().size() > 0, "the no-fsync canary should make some seeds fail");
    assertEquals(unsharded.fingerprint(), merged.fingerprint());
    assertEquals(CampaignStats.outcomes(unsharded), CampaignStats.outcomes(merged));
    assertEquals(CampaignStats.attribution(unsharded), CampaignStats.attribution(merged));
    assertTrue(merged.shardsMissing().isEmpty());
    // The two reports print the same fingerprint.
    ReportMain.write(shardDirs, tmp.resolve("merged.html"), new Report.Options(null, null));
    ReportMain.write(List.of(tmp.resolve("whole")), tmp.resolve("whole.html"), new Report.Options(null, null));
    assertTrue(Files.readString(tmp.resolve("merged.html")).contains(unsharded.fingerprint()));
    assertTrue(Files.readString(tmp.resolve("whole.html")).contains(merged.fingerprint()));
  }

  /** The simulator's jar and its libraries, or the test is skipped. */
  private static List<String> simulatorClasspath() throws IOException {
    Path target = Path.of("..", "simulator", "target").toAbsolutePath().normalize();
    List<String> cp = new ArrayList<>();
    if (Files.isDirectory(target.resolve("lib"))) {
      try (Stream<Path> s = Files.list(target)) {
        s.filter(p -> p.getFileName().toString().matches("simulator-.*\\.jar")
            && !p.getFileName().toString().contains("tests")).forEach(p -> cp.add(p.toString()));
      }
    }
    if (cp.isEmpty() && "true".equals(System.getenv("CI"))) {
      fail("CI must build the simulator before this test (bin/mvn verify builds every module in order): " + target);
    }
    Assumptions.assumeFalse(cp.isEmpty(), "SKIPPED: the simulator is not built (" + target + "/simulator-*.jar and "
        + "lib/); run bin/mvn -pl simulator -am package first");
    cp.add(target.resolve("lib").toString() + "/*");
    return cp;
  }

  private static Process fuzz(List<String> classpath, Path out, String... extra) throws IOException {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC", "-cp", String.join(java.io.File.pathSeparator,
        classpath), "io.raftbed.sim.cli.Main", "fuzz", "--seeds", SEEDS, "--virtual-seconds", "6",
        "--canary", "no-fsync", "--max-failures", "0", "--minimize", "0", "--out", out.toString()));
    cmd.addAll(List.of(extra));
    Files.createDirectories(out);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("fuzz.log").toFile()).start();
  }

  /** Waits for a campaign; exit 0 (clean) and 1 (violations) are both results. */
  private static void awaitResult(Process p) throws Exception {
    if (!p.waitFor(PROCESS_SECONDS_MAX, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("a fuzz process ran longer than " + PROCESS_SECONDS_MAX + " s");
    }
    assertTrue(p.exitValue() == 0 || p.exitValue() == 1, "fuzz exited " + p.exitValue());
  }
}
