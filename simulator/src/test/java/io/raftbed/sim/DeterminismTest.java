package io.raftbed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.fault.FaultTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same seed must give the same run, event for event: twice in one JVM, and in a second JVM
 * (which catches dependence on identity hash codes, class-loading order or the environment).
 */
class DeterminismTest {
  private static final long VIRTUAL_MILLIS = 12_000;

  @Test
  void sameSeedSameDigestInOneJvm() {
    SimConfig config = SimConfig.standard().withVirtualMillis(VIRTUAL_MILLIS).withFaultTypes(FaultTypes.parse("all"));
    for (long seed = 1; seed <= 3; seed++) {
      SimResult a = Simulation.run(seed, config);
      SimResult b = Simulation.run(seed, config);
      assertEquals(a.digestHex(), b.digestHex(), "seed " + seed + " replays identically");
      assertEquals(a.counts(), b.counts(), "seed " + seed + " has the same counts");
      assertEquals(a.history().ops(), b.history().ops(), "seed " + seed + " records the same history");
      assertTrue(a.counts().events() > 10_000, "the run did real work");
    }
  }

  @Test
  void differentSeedsDiffer() {
    SimConfig config = SimConfig.standard().withVirtualMillis(VIRTUAL_MILLIS);
    assertNotEquals(Simulation.run(1, config).digestHex(), Simulation.run(2, config).digestHex());
  }

  @Test
  void sameSeedSameDigestAcrossJvms() throws IOException, InterruptedException {
    long seed = 7;
    String here = Simulation.run(seed, SimConfig.standard().withVirtualMillis(VIRTUAL_MILLIS)).digestHex();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        DigestMain.class.getName(), Long.toString(seed), Long.toString(VIRTUAL_MILLIS)))
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the second JVM finished");
    String there = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), "second JVM output: " + there);
    assertEquals(here, there, "seed " + seed + " gives the same digest in another JVM");
  }
}
