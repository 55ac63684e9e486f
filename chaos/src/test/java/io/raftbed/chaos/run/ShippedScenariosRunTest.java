package io.raftbed.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.backend.FakeTime;
import io.raftbed.chaos.scenario.Scenario;
import io.raftbed.chaos.scenario.ScenarioParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The shipped scenario suite on real node processes, bounded for {@code mvn verify}: every scenario
 * once at 0.4 of its length ({@code -Draftbed.chaos.timeScale=1} for full length), each of which must
 * pass every check; and both canaries at full length, each of which must be caught. Run folders stay under
 * {@code chaos/target/chaos-runs/} for a look afterwards.
 */
@Tag("chaos")
class ShippedScenariosRunTest {
  private static final Path OUT = Path.of("target", "chaos-runs");
  private static final double TIME_SCALE = Double.parseDouble(System.getProperty("raftbed.chaos.timeScale", "0.4"));
  /** Seeds a canary may take to be caught: the faults are real and their timing is not exact. */
  private static final int CANARY_ATTEMPTS = 3;

  private static RunSummary run(Path file, Scenario scenario, Canary canary) throws Exception {
    Path dir = OUT.resolve(scenario.name() + "-seed-" + scenario.seed() + (canary == null ? "" : "-" + canary.cliName())
        + "-" + System.currentTimeMillis());
    Files.createDirectories(dir);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    RunOptions options = new RunOptions(dir, Files.readString(file), "(test)", canary == null ? null : canary.cliName(),
        System.getenv("TOXIPROXY_URL"), RunOptions.NODE_JAVA_OPTIONS,
        new PrintStream(progress, true, StandardCharsets.UTF_8), Duration.ofSeconds(60));
    RunSummary summary = new ChaosRun(scenario, options).run();
    Files.writeString(dir.resolve("progress.txt"), progress.toString(StandardCharsets.UTF_8));
    return summary;
  }

  @TestFactory
  Stream<DynamicTest> everyShippedScenarioPassesEveryCheck() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : ShippedScenarios.files()) {
      tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
        Scenario s = ScenarioParser.parse(file).scaled(TIME_SCALE);
        if (s.faults().stream().anyMatch(r -> r.fault() instanceof io.raftbed.chaos.scenario.FaultSpec.Clock)) {
          requireFaketime();
        }
        RunSummary r = run(file, s, null);
        assertTrue(r.verdict().passed(), () -> "every check passes:\n" + r.text());
        assertTrue(r.ok() > 0, "the workload got answers");
        assertTrue(r.faults() > 0, "faults took effect: " + r.text());
        for (String f : List.of("scenario.yaml", "plan.txt", "faults.jsonl", "history.edn", "verdict.json",
            "summary.json", "summary.txt", "timeline.html", "README.md", "proxies.json", "nodes/n1.log")) {
          assertTrue(Files.size(Path.of(r.folder()).resolve(f)) > 0, f + " written in " + r.folder());
        }
      }));
    }
    return tests.stream();
  }

  /** Runs a canary on seeds 1, 2, ... until it is caught; fails if it never is. */
  private static void assertCaught(String scenarioFile, Canary canary) throws Exception {
    Path file = ShippedScenarios.directory().resolve(scenarioFile);
    // At full length: a canary's faults are timed against the cluster's (libfaketime reads its file once a second).
    Scenario base = canary.apply(ScenarioParser.parse(file));
    List<String> misses = new ArrayList<>();
    for (int seed = 1; seed <= CANARY_ATTEMPTS; seed++) {
      RunSummary r = run(file, base.withSeed(seed), canary);
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

  @Test
  void staleReadsAreCaught() throws Exception {
    assertCaught("partition-isolate-leader.yaml", Canary.STALE_READS);
  }

  @Test
  void leaseReadsOnASkewedClockAreCaught() throws Exception {
    requireFaketime();
    assertCaught("clock-skew.yaml", Canary.LEASE_READS_SKEWED_CLOCK);
  }

  /** libfaketime is required in CI ({@code .ci/run} installs it); elsewhere its absence skips, saying why. */
  private static void requireFaketime() {
    boolean present = FakeTime.library().isPresent();
    if (!present && System.getenv("CI") != null) {
      throw new AssertionError("CI must have libfaketime (Debian's faketime package) for the clock scenarios");
    }
    Assumptions.assumeTrue(present, "libfaketime is not installed (apt-get install faketime): clock faults skipped");
  }
}
