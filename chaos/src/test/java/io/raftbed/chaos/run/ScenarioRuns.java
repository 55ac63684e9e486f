package io.raftbed.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.scenario.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs scenarios in this JVM for the tests, each into a folder of its own under {@code target/chaos-runs/}. */
final class ScenarioRuns {
  static final Path OUT = Path.of("target", "chaos-runs");
  /** Seeds a canary may take to be caught: the faults are real and their timing is not exact. */
  static final int CANARY_ATTEMPTS = 3;
  /** Every file a run folder must hold once the run is judged. */
  static final List<String> FOLDER_FILES = List.of("scenario.yaml", "plan.txt", "faults.jsonl", "history.edn",
      "verdict.json", "summary.json", "summary.txt", "timeline.html", "README.md", "proxies.json", "nodes/n1.log");

  private ScenarioRuns() {}

  static RunSummary run(Path file, Scenario scenario, Canary canary, String toxiproxyUrl) throws Exception {
    Path dir = OUT.resolve(scenario.name() + "-" + scenario.backend() + "-seed-" + scenario.seed()
        + (canary == null ? "" : "-" + canary.cliName()) + "-" + System.currentTimeMillis());
    Files.createDirectories(dir);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    RunOptions options = new RunOptions(dir, Files.readString(file), "(test)", canary == null ? null : canary.cliName(),
        toxiproxyUrl, RunOptions.NODE_JAVA_OPTIONS, new PrintStream(progress, true, StandardCharsets.UTF_8),
        Duration.ofSeconds(60));
    try {
      return new ChaosRun(scenario, options).run();
    } finally {
      Files.writeString(dir.resolve("progress.txt"), progress.toString(StandardCharsets.UTF_8));
    }
  }

  /** Asserts a run passed every check, had faults and answers, and wrote its whole folder. */
  static void assertPassed(RunSummary r) throws Exception {
    assertTrue(r.verdict().passed(), () -> "every check passes:\n" + r.text());
    assertTrue(r.ok() > 0, "the workload got answers");
    assertTrue(r.faults() > 0, "faults took effect: " + r.text());
    for (String f : FOLDER_FILES) {
      assertTrue(Files.size(Path.of(r.folder()).resolve(f)) > 0, f + " written in " + r.folder());
    }
  }

  /** How a test runs one scenario. */
  interface Runner {
    RunSummary run(Path file, Scenario scenario, Canary canary) throws Exception;
  }

  /** Runs {@code base} (the canary applied) on seeds 1, 2, ... until it is caught; fails if it never is. */
  static void assertCaught(Path file, Scenario base, Canary canary, Runner runner) throws Exception {
    List<String> misses = new ArrayList<>();
    for (int seed = 1; seed <= CANARY_ATTEMPTS; seed++) {
      RunSummary r = runner.run(file, base.withSeed(seed), canary);
      if (r.verdict().exitCode() == 1) {
        assertTrue(r.verdict().violations().stream().anyMatch(v -> v.startsWith("linearizability")),
            () -> "caught as a linearizability violation:\n" + r.text());
        assertEquals("NOT_LINEARIZABLE", r.verdict().linearizability());
        return;
      }
      misses.add(r.text());
    }
    throw new AssertionError("canary " + canary.cliName() + " not caught in " + CANARY_ATTEMPTS + " runs:\n"
        + String.join("\n", misses));
  }
}
