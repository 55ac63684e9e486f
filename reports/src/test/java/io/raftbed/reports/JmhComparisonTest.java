package io.raftbed.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.reports.jmh.JmhComparison;
import io.raftbed.reports.jmh.JmhComparison.Status;
import io.raftbed.reports.jmh.JmhResults;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhComparisonTest {
  @TempDir
  Path tmp;

  private Map<String, Status> compare(double thrptScale, double avgtScale, double error) throws Exception {
    JmhResults base = JmhResults.load(List.of(Fixtures.jmh(tmp.resolve("base.json"), 1, 1, 0.02)));
    JmhResults cur = JmhResults.load(List.of(Fixtures.jmh(tmp.resolve("cur.json"), thrptScale, avgtScale, error)));
    return JmhComparison.of(cur, base).rows().stream()
        .collect(Collectors.toMap(r -> r.current().label(), JmhComparison.Row::status));
  }

  @Test
  void figuresAreReadPerBenchmarkParamsAndMetricLeavingProfilersOut() throws Exception {
    JmhResults r = JmhResults.load(List.of(Fixtures.jmh(tmp.resolve("r.json"), 1, 1, 0.02)));
    assertEquals(List.of("commit (batch=64)", "commit (batch=64) · entries", "etcd (counterexample=false)"),
        r.figures().values().stream().map(JmhResults.Figure::label).toList());
    JmhResults.Figure etcd = r.figures().values().stream().filter(f -> f.mode().equals("avgt")).findFirst().orElseThrow();
    assertFalse(etcd.higherIsBetter());
    assertEquals("CheckerBenchmark", etcd.className());
    assertEquals(8.0, etcd.error(), 1e-9);
  }

  @Test
  void onlyChangesBeyondBothErrorBarsAreFlaggedInTheRightDirection() throws Exception {
    // 3% slower throughput with 2% error bars on both: the intervals overlap.
    Map<String, Status> s = compare(0.97, 1.0, 0.02);
    assertEquals(Status.WITHIN_ERROR, s.get("commit (batch=64)"));
    // 10% less throughput and 10% more time per operation: both regressions.
    s = compare(0.9, 1.1, 0.02);
    assertEquals(Status.REGRESSION, s.get("commit (batch=64)"));
    assertEquals(Status.REGRESSION, s.get("commit (batch=64) · entries"));
    assertEquals(Status.REGRESSION, s.get("etcd (counterexample=false)"));
    // The same changes with 10% error bars (a noisy machine): not flagged.
    s = compare(0.9, 1.1, 0.10);
    assertEquals(Status.WITHIN_ERROR, s.get("commit (batch=64)"));
    assertEquals(Status.WITHIN_ERROR, s.get("etcd (counterexample=false)"));
    // Faster both ways: improvements.
    s = compare(1.2, 0.8, 0.02);
    assertEquals(Status.IMPROVEMENT, s.get("commit (batch=64)"));
    assertEquals(Status.IMPROVEMENT, s.get("etcd (counterexample=false)"));
  }

  @Test
  void speedUpIsPositiveWhenFasterWhicheverWayTheUnitPoints() throws Exception {
    JmhResults base = JmhResults.load(List.of(Fixtures.jmh(tmp.resolve("b.json"), 1, 1, 0.02)));
    JmhResults cur = JmhResults.load(List.of(Fixtures.jmh(tmp.resolve("c.json"), 2, 0.5, 0.02)));
    JmhComparison cmp = JmhComparison.of(cur, base);
    for (JmhComparison.Row r : cmp.rows()) {
      assertEquals(100.0, r.speedupPercent(), 1e-6, r.current().label());
      assertTrue(r.speedupErrorPercent() > 0);
    }
    assertEquals(0, cmp.regressions());
    assertEquals(3, cmp.improvements());
    JmhComparison none = JmhComparison.of(cur, null);
    assertTrue(none.rows().stream().allMatch(r -> r.status() == Status.NO_BASELINE));
  }
}
