package io.raftbed.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.fault.FaultType;
import io.raftbed.sim.fuzz.FailureFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fuzzer has teeth: each canary (an unsafe setting) is caught by a short campaign, with a
 * minimized reproduction that replays to the same violation and digest; and the safe defaults pass a
 * bounded campaign. Each canary's figures (seeds and seconds to the first failure, minimized schedule
 * length) are printed to the test's output.
 *
 * <p>Canary campaigns draw from the {@code sim} command's default faults (each canary adds what it
 * needs, e.g. clock faults): with every fault type in the pool, the swarm dilutes the partitions the
 * lease canary needs (no failure in 100 swarm seeds at the defaults, against seed 10 with this pool).
 */
class CanaryCampaignTest {
  static final String CANARY_FAULTS = "partition,crash,messages";
  private static final Pattern FIRST_FAILURE =
      Pattern.compile("first failure\\s+seed (\\d+), after (\\d+) seed\\(s\\) and ([0-9.]+) s");

  @ParameterizedTest
  @EnumSource(Canary.class)
  void everyCanaryIsCaughtWithAMinimizedReproductionThatReplays(Canary canary, @TempDir Path dir)
      throws IOException {
    Cli.Run r = Cli.run("fuzz", "--seeds", "1..50", "--canary", canary.label(), "--nodes", "3",
        "--virtual-seconds", "20", "--faults", CANARY_FAULTS, "--fixed-cluster", "--max-failures", "1", "--minimize", "1",
        "--minimize-runs", "60", "--minimize-seconds", "30", "--threads", "2", "--out", dir.toString());
    assertEquals(1, r.exit(), "canary " + canary + " must be caught:\n" + r);
    Matcher first = FIRST_FAILURE.matcher(r.out());
    assertTrue(first.find(), r.out());
    Path folder = minimizedFolder(dir);
    FailureFolder.Saved saved = FailureFolder.read(folder);
    assertTrue(saved.schedule().size() <= saved.originalSchedule().size()
        && saved.config().virtualMillis() <= saved.originalConfig().virtualMillis(), "minimized: " + saved.result());

    if (canary == Canary.ONE_CANDIDATE) {
      // the liveness canary must be seen while the fault lasts: once node 1 is back after the heal,
      // it wins, and the heal-phase check has nothing to see
      assertEquals("liveness-in-fault", saved.result().kind(), saved.result().toString());
      assertTrue(saved.result().violation().message().contains("could have won an election"),
          saved.result().violation().message());
    }
    Cli.Run replay = Cli.run("replay", folder.toString());
    assertEquals(1, replay.exit(), replay.toString());
    assertTrue(replay.out().contains("REPRODUCED: " + saved.result().kind() + " with digest "
        + saved.result().digest()), replay.out());
    System.out.printf("canary %s: caught at seed %s after %s seed(s) and %s s (%s); minimized schedule %d of %d "
            + "events, %.1f of %.1f virtual s, %d runs%n", canary.label(), first.group(1), first.group(2),
        first.group(3), saved.result().kind(), saved.schedule().size(), saved.originalSchedule().size(),
        saved.config().virtualMillis() / 1000.0, saved.originalConfig().virtualMillis() / 1000.0,
        saved.result().minimization().runs());
  }

  /** The one failure folder that was minimized (--minimize 1: the lowest failing seed). */
  private static Path minimizedFolder(Path dir) throws IOException {
    List<Path> minimized = new ArrayList<>();
    try (Stream<Path> folders = Files.list(dir)) {
      for (Path f : folders.filter(p -> p.getFileName().toString().startsWith("failure-seed-")).sorted().toList()) {
        if (!FailureFolder.read(f).result().minimization().skipped()) {
          minimized.add(f);
        }
      }
    }
    assertEquals(1, minimized.size(), "one failure is minimized: " + minimized);
    return minimized.getFirst();
  }

  @Test
  void theSafeDefaultsPassABoundedSwarmCampaign(@TempDir Path dir) throws IOException {
    Cli.Run r = Cli.run("fuzz", "--seeds", "1..40", "--virtual-seconds", "20", "--faults", "all",
        "--max-failures", "0", "--minimize", "0", "--out", dir.toString());
    assertEquals(0, r.exit(), r.toString());
    List<String> lines = Files.readAllLines(dir.resolve("results-shard-1-of-1.jsonl"));
    assertEquals(40, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.contains("\"outcome\":\"clean\"")));
    for (FaultType type : FaultType.values()) {
      assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(type.label() + " ") && !l.contains(" 0 / ")),
          "some seed had " + type.label() + " on:\n" + r.out());
    }
  }
}
