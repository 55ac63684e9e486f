package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.linearizability.Histories;
import io.raftbed.node.NodeConfig;
import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.fault.FaultType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real failure (the no-fsync canary on a small cluster), minimized with real runs, saved, read back
 * and replayed: the folder's reproduction gives the same violation and the same digest.
 */
class FailureFolderTest {
  @TempDir
  static Path dir;
  static Minimized minimized;
  static Path folder;

  @BeforeAll
  static void failMinimizeAndSave() throws IOException {
    SimConfig base = SimConfig.standard().withNodes(3).withVirtualMillis(6_000);
    CampaignSpec spec = new CampaignSpec(base, EnumSet.allOf(FaultType.class),
        c -> c.withUnsafe(Set.of(NodeConfig.Unsafe.NO_FSYNC)));
    Trial trial = null;
    SimResult failed = null;
    for (long seed = 1; seed <= 20 && failed == null; seed++) {
      trial = spec.trial(seed);
      SimResult r = trial.run();
      failed = r.clean() ? null : r;
    }
    assertTrue(failed != null, "the no-fsync canary fails within 20 seeds");
    minimized = new Minimizer(TrialRunner.sequential(), new Minimizer.Limits(60, () -> false), s -> {})
        .minimize(trial, failed);
    folder = FailureFolder.write(dir, minimized, 1234);
  }

  @Test
  void theFolderHoldsEverythingNamedInItsReadme() throws IOException {
    for (String f : new String[] {"README.txt", "config.json", "schedule.txt", "schedule-minimized.txt",
        "schedule-original.txt", "violation.txt", "trace.txt", "trace-original.txt", "history.edn", "timeline.html",
        "result.json"}) {
      assertTrue(Files.size(folder.resolve(f)) > 0 || f.startsWith("schedule"), f + " is written");
    }
    assertEquals(dir.resolve("failure-seed-" + minimized.seed()), folder);
    String readme = Files.readString(folder.resolve("README.txt"));
    assertTrue(readme.contains("bin/raftbed replay " + folder), readme);
    assertTrue(readme.contains(minimized.minimizedResult().digestHex()), readme);
    assertTrue(Files.readString(folder.resolve("timeline.html")).contains("id=\"timeline\""), "the timeline page");
    assertEquals(minimized.minimizedResult().history().ops(),
        Histories.readEdn(folder.resolve("history.edn")).ops(), "the EDN history reads back");
  }

  @Test
  void readsBackAndReplaysToTheSameViolationAndDigest() throws IOException {
    FailureFolder.Saved saved = FailureFolder.read(folder);
    assertEquals(minimized.minimized().config(), saved.config());
    assertEquals(minimized.minimized().schedule(), saved.schedule());
    assertEquals(minimized.original().config(), saved.originalConfig());
    assertEquals(minimized.original().schedule(), saved.originalSchedule());
    assertEquals(1234, saved.result().minimization().wallMs());
    SimResult again = saved.trial().run();
    assertEquals(minimized.kind(), again.violation().kind());
    assertEquals(saved.result().digest(), again.digestHex());
    SimResult originalAgain = saved.originalTrial().run();
    assertEquals(saved.result().original().digest(), originalAgain.digestHex());
  }

  @Test
  void theMinimizedRunIsNoLongerThanTheOriginal() {
    assertTrue(minimized.minimized().schedule().size() <= minimized.original().schedule().size());
    assertTrue(minimized.minimized().config().virtualMillis() < minimized.original().config().virtualMillis(),
        "an early durability violation trims the run");
    assertFalse(minimized.skipped());
  }

  @Test
  void aMissingOrIncompleteFolderSaysWhatIsWrong(@TempDir Path empty) throws IOException {
    IOException missing = assertThrows(IOException.class, () -> FailureFolder.read(empty.resolve("nope")));
    assertTrue(missing.getMessage().contains("no failure folder"), missing.getMessage());
    IOException incomplete = assertThrows(IOException.class, () -> FailureFolder.read(empty));
    assertTrue(incomplete.getMessage().contains("config.json is missing"), incomplete.getMessage());
  }
}
