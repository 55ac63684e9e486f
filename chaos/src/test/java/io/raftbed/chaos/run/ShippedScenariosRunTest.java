package io.raftbed.chaos.run;

import io.raftbed.chaos.backend.FakeTime;
import io.raftbed.chaos.scenario.FaultSpec;
import io.raftbed.chaos.scenario.Scenario;
import io.raftbed.chaos.scenario.ScenarioParser;
import java.io.IOException;
import java.nio.file.Path;
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
 * pass every check; and both canaries at full length, each of which must be caught. Run folders stay
 * under {@code chaos/target/chaos-runs/} for a look afterwards.
 */
@Tag("chaos")
class ShippedScenariosRunTest {
  private static final double TIME_SCALE = Double.parseDouble(System.getProperty("raftbed.chaos.timeScale", "0.4"));

  @TestFactory
  Stream<DynamicTest> everyShippedScenarioPassesEveryCheck() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : ShippedScenarios.files()) {
      tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
        Scenario s = ScenarioParser.parse(file).scaled(TIME_SCALE).withBackend("processes");
        if (skewsClocks(s)) {
          requireFaketime();
        }
        ScenarioRuns.assertPassed(ScenarioRuns.run(file, s, null, System.getenv("TOXIPROXY_URL")));
      }));
    }
    return tests.stream();
  }

  static boolean skewsClocks(Scenario s) {
    return s.faults().stream().anyMatch(r -> r.fault() instanceof FaultSpec.Clock);
  }

  /** At full length: a canary's faults are timed against the cluster's (libfaketime reads its file once a second). */
  private static void assertCaught(String scenarioFile, Canary canary) throws Exception {
    Path file = ShippedScenarios.directory().resolve(scenarioFile);
    Scenario base = canary.apply(ScenarioParser.parse(file)).withBackend("processes");
    ScenarioRuns.assertCaught(file, base, canary, (f, s, c) -> ScenarioRuns.run(f, s, c, System.getenv("TOXIPROXY_URL")));
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
