package io.raftbed.chaos.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.run.ShippedScenarios;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioParserTest {
  private static final String MINIMAL = """
      name: tiny
      duration: 10s
      """;

  @Test
  void defaultsFillEverythingButNameAndDuration() {
    Scenario s = ScenarioParser.parse(MINIMAL);
    assertEquals("tiny", s.name());
    assertEquals(Duration.ofSeconds(10), s.duration());
    assertEquals(3, s.cluster().nodes());
    assertEquals(0, s.cluster().spares());
    assertEquals("processes", s.backend());
    assertEquals(1, s.seed());
    assertTrue(s.checks().linearizable() && s.checks().liveness() && s.checks().durability());
    assertFalse(s.workload().staleReads());
    assertEquals(1.0, s.workload().readShare() + s.workload().writeShare() + s.workload().casShare(), 1e-9);
    assertTrue(s.faults().isEmpty());
  }

  @Test
  void everyFieldOfAFullScript() {
    Scenario s = ScenarioParser.parse("""
        name: full-1
        description: all of it
        seed: 42
        duration: 1.5m
        backend: containers
        cluster:
          nodes: 5
          spares: 1
          settings: {election-ticks-min: 20, pre-vote: false, lease-reads: true}
          java-options: [-Xmx64m]
        workload: {clients: 9, keys: 7, rate: 50, mix: {read: 0.2, write: 0.7, cas: 0.1}, timeout: 750ms}
        faults:
          - {kind: partition, shape: groups, groups: [[1, 2], [3, 4, 5]], at: 5s, lasting: 2s..4s, mode: refuse}
          - {kind: latency, target: n2, links: peers-out, latency: 100, jitter: 20, every: 10s, start: 2s}
          - {kind: membership, op: add, random: 3, start: 1s, until: 80s}
        heal: {quiet: 20s, grace: 5s}
        checks: {linearizable: true, live-after-heal: false, durable-after-restart: false}
        """);
    assertEquals(42, s.seed());
    assertEquals(Duration.ofSeconds(90), s.duration());
    assertEquals("containers", s.backend());
    assertEquals(6, s.cluster().machines());
    assertEquals("false", s.cluster().settings().get("pre-vote"));
    assertEquals(List.of("-Xmx64m"), s.cluster().javaOptions());
    assertEquals(0.7, s.workload().writeShare(), 1e-9);
    assertEquals(Duration.ofMillis(750), s.workload().timeout());
    var p = assertInstanceOf(FaultSpec.Partition.class, s.faults().get(0).fault());
    assertEquals(FaultSpec.Shape.GROUPS, p.shape());
    assertEquals(FaultSpec.CutMode.REFUSE, p.mode());
    assertEquals(List.of(List.of(1, 2), List.of(3, 4, 5)), p.groups());
    assertEquals(new FaultRule.Range(Duration.ofSeconds(2), Duration.ofSeconds(4)), s.faults().get(0).lasting());
    var t = assertInstanceOf(FaultSpec.Toxic.class, s.faults().get(1).fault());
    assertEquals("latency", t.type());
    assertEquals(new Target.Node(2), t.target());
    assertEquals(FaultSpec.Links.PEERS_OUT, t.links());
    assertEquals(100L, t.attributes().get("latency"));
    assertEquals(new FaultRule.Every(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(90)),
        s.faults().get(1).when());
    assertNull(s.faults().get(2).lasting(), "a membership change is an action");
    assertFalse(s.checks().liveness());
  }

  /** Each bad script names the field at fault; nothing starts on a script that cannot run. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      name: Big Name\\nduration: 5s                                          | name
      name: x\\nduration: 5 seconds                                          | duration
      name: x\\nduration: 5s\\ntypo: 1                                        | typo: unknown field
      name: x\\nduration: 5s\\ncluster: {nodes: 12}                           | cluster.nodes
      name: x\\nduration: 5s\\nworkload: {mix: {read: 0.5, write: 0.1, cas: 0}} | mix: read, write and cas must sum to 1
      name: x\\nduration: 5s\\nfaults: [{kind: explode, at: 1s}]              | 'explode' is not a fault kind
      name: x\\nduration: 5s\\nfaults: [{kind: kill, at: 9s}]                 | faults[0].at
      name: x\\nduration: 5s\\nfaults: [{kind: kill}]                         | give exactly one of at, every or random
      name: x\\nduration: 5s\\nfaults: [{kind: kill, target: n7, at: 1s}]     | no node n7
      name: x\\nduration: 5s\\nfaults: [{kind: membership, op: add, at: 1s}]  | needs spares
      name: x\\nduration: 5s\\nfaults: [{kind: transfer, at: 1s, lasting: 2s}]| has no duration
      name: x\\nduration: 5s\\nfaults: [{kind: partition, shape: ring, at: 1s}] | ring needs more nodes
      name: x\\nduration: 5s\\nfaults: [{kind: latency, at: 1s}]              | latency: required
      name: x\\nduration: 5s\\nfaults: [{kind: clock, at: 1s}]                | needs a rate other than 1 or a jump
      name: x\\nduration: 5s\\nfaults: [{kind: partition, groups: [[1]], at: 1s}] | groups go with shape: groups
      name: x\\nduration: 5s\\nheal: {quiet: 2s, grace: 3s}                   | grace
      name: x\\nduration: 5s\\ncluster: {settings: {peers: x}}                | set by the harness
      name: [unclosed                                                        | not valid YAML
      """)
  void badScriptsAreRefusedWithTheFieldNamed(String yaml, String expected) {
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioParser.parse(yaml.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(expected.trim()), () -> "'" + e.getMessage() + "' names " + expected);
  }

  @Test
  void everyShippedScenarioParsesAndTogetherTheyCoverEveryFaultKind() throws IOException {
    List<Path> files = ShippedScenarios.files();
    assertTrue(files.size() >= 8, "at least 8 shipped scenarios, found " + files.size());
    Set<String> kinds = new LinkedHashSet<>();
    Set<FaultSpec.Shape> shapes = new LinkedHashSet<>();
    Set<FaultSpec.WalDamage> damages = new LinkedHashSet<>();
    Set<String> names = new LinkedHashSet<>();
    for (Path f : files) {
      Scenario s = ScenarioParser.parse(f);
      assertTrue(names.add(s.name()), "scenario names are unique: " + s.name());
      assertEquals(f.getFileName().toString(), s.name() + ".yaml", "a scenario's file is named after it");
      assertFalse(s.description().isBlank(), s.name() + " says what it does");
      for (FaultRule r : s.faults()) {
        kinds.add(r.fault() instanceof FaultSpec.Toxic t ? t.kind() : r.fault().kind());
        if (r.fault() instanceof FaultSpec.Partition p) {
          shapes.add(p.shape());
        }
        if (r.fault() instanceof FaultSpec.Wal w) {
          damages.add(w.damage());
        }
      }
    }
    List<String> missing = new ArrayList<>(List.of("kill", "pause", "partition", "latency", "bandwidth", "reset",
        "clock", "wal", "membership", "transfer", "restart-all", "timeout", "slicer", "limit-data", "slow-close"));
    missing.removeAll(kinds);
    assertTrue(missing.isEmpty(), "fault kinds no shipped scenario uses: " + missing);
    List<FaultSpec.Shape> missingShapes = new ArrayList<>(List.of(FaultSpec.Shape.values()));
    missingShapes.removeAll(shapes);
    assertTrue(missingShapes.isEmpty(), "partition shapes no shipped scenario uses: " + missingShapes);
    assertEquals(Set.of(FaultSpec.WalDamage.values()), damages, "every kind of log damage is shipped");
  }

  @Test
  void scalingMultipliesEveryTimeButTheClientTimeout() {
    Scenario s = ScenarioParser.parse("""
        name: scaled
        duration: 20s
        faults:
          - {kind: kill, at: 4s, lasting: 2s..4s}
          - {kind: pause, every: 5s, start: 1s, until: 15s, lasting: 1s}
          - {kind: kill, random: 2, start: 2s, until: 10s}
        heal: {quiet: 8s, grace: 2s}
        """).scaled(0.5);
    assertEquals(Duration.ofSeconds(10), s.duration());
    assertEquals(new FaultRule.At(Duration.ofSeconds(2)), s.faults().get(0).when());
    assertEquals(new FaultRule.Range(Duration.ofSeconds(1), Duration.ofSeconds(2)), s.faults().get(0).lasting());
    assertEquals(new FaultRule.Every(Duration.ofMillis(500), Duration.ofMillis(2500), Duration.ofMillis(7500)),
        s.faults().get(1).when());
    assertEquals(new FaultRule.Random(2, Duration.ofSeconds(1), Duration.ofSeconds(5)), s.faults().get(2).when());
    assertEquals(Duration.ofSeconds(4), s.heal().quiet());
    assertEquals(Duration.ofSeconds(1), s.heal().grace());
    assertEquals(Duration.ofSeconds(2), s.workload().timeout());
  }
}
