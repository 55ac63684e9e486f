package io.raftbed.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftbed.chaos.backend.ContainerBackend;
import io.raftbed.chaos.backend.ContainerImages;
import io.raftbed.chaos.scenario.Scenario;
import io.raftbed.chaos.scenario.ScenarioParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Shipped scenarios on the containers backend, unchanged but for {@code backend}: one with
 * partitions, one with kill -9 and whole-cluster restarts, one with libfaketime clocks inside the
 * containers, each at 0.4 of its length and each required to pass every check; and the stale-reads
 * canary at full length, required to be caught. Afterwards no container or network of any run is
 * left in the engine. Bounded with the other container tests by failsafe's fork timeout.
 *
 * <p>Gated as {@code ContainerClusterIT}: without a Docker engine the tests are skipped with the
 * reason, with {@code CI=true} or {@code RAFTBED_CONTAINERS=require} they fail instead.
 */
@Tag("containers")
class ContainerScenariosIT {
  private static final List<String> SCENARIOS = List.of("partition-isolate-leader.yaml", "kill-restart.yaml",
      "clock-skew.yaml");
  private static final double TIME_SCALE = 0.4;
  private static String notRunnable;
  /** The {@value ContainerBackend#RUN_LABEL} of every run of this class: what must be gone at the end. */
  private static final java.util.Set<String> RUN_IDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static RunSummary run(Path file, Scenario s, Canary canary) throws Exception {
    RunSummary r = ScenarioRuns.run(file, s, canary, null);
    var m = java.util.regex.Pattern.compile(ContainerBackend.RUN_LABEL.replace(".", "\\.") + "=(\\w+)")
        .matcher(r.backend());
    assertTrue(m.find(), "the summary names the run's containers: " + r.backend());
    RUN_IDS.add(m.group(1));
    return r;
  }

  @BeforeAll
  static void engineAndImages() throws Exception {
    String mode = System.getenv().getOrDefault("RAFTBED_CONTAINERS", "");
    boolean required = "require".equals(mode) || "true".equalsIgnoreCase(System.getenv("CI"));
    if ("skip".equals(mode)) {
      notRunnable = "container tests not run: RAFTBED_CONTAINERS=skip";
      return;
    }
    Optional<String> problem = ContainerImages.engineProblem();
    if (problem.isPresent()) {
      if (required) {
        fail("container tests must run here (CI=true or RAFTBED_CONTAINERS=require), but " + problem.get());
      }
      notRunnable = "container tests not run: " + problem.get() + "; as root, bin/lib/docker-setup.sh starts one";
      System.out.println(notRunnable);
      return;
    }
    Path log = ScenarioRuns.OUT.resolve("images.log").toAbsolutePath();
    int built = ContainerImages.build(Path.of("").toAbsolutePath().getParent(), log, Duration.ofMinutes(6));
    assertEquals(0, built, "bin/lib/images.sh failed:\n" + ContainerImages.tail(log, 10));
  }

  private static void runnable() {
    Assumptions.assumeTrue(notRunnable == null, notRunnable);
  }

  @TestFactory
  Stream<DynamicTest> shippedScenariosPassOnContainers() {
    return SCENARIOS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      runnable();
      Path file = ShippedScenarios.directory().resolve(name);
      Scenario s = ScenarioParser.parse(file).scaled(TIME_SCALE).withBackend("containers");
      ScenarioRuns.assertPassed(run(file, s, null));
    }));
  }

  @Test
  void staleReadsAreCaughtOnContainers() throws Exception {
    runnable();
    Path file = ShippedScenarios.directory().resolve("partition-isolate-leader.yaml");
    Scenario base = Canary.STALE_READS.apply(ScenarioParser.parse(file)).withBackend("containers");
    ScenarioRuns.assertCaught(file, base, Canary.STALE_READS, (f, scenario, canary) -> run(f, scenario, canary));
  }

  @AfterAll
  static void nothingLeftBehind() {
    if (notRunnable != null) {
      return;
    }
    var docker = DockerClientFactory.instance().client();
    // Only this class's runs: someone else's may be going on in the same engine.
    var containers = docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(List.of(ContainerBackend.RUN_LABEL)).exec().stream()
        .filter(c -> c.getLabels() != null && c.getLabels().get(ContainerBackend.RUN_LABEL) != null
            && RUN_IDS.contains(c.getLabels().get(ContainerBackend.RUN_LABEL))).toList();
    var networks = docker.listNetworksCmd().exec().stream()
        .filter(n -> n.getLabels() != null && n.getLabels().get(ContainerBackend.RUN_LABEL) != null
            && RUN_IDS.contains(n.getLabels().get(ContainerBackend.RUN_LABEL))).toList();
    assertFalse(RUN_IDS.isEmpty(), "the runs named their containers");
    assertEquals(List.of(), containers.stream().map(c -> List.of(c.getNames())).toList(), "containers left behind");
    assertEquals(List.of(), networks.stream().map(n -> n.getName()).toList(), "networks left behind");
  }
}
