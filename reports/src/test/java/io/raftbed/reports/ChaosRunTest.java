package io.raftbed.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.linearizability.OpType;
import io.raftbed.reports.chaos.ChaosRun;
import io.raftbed.reports.chaos.Latencies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosRunTest {
  @TempDir
  Path tmp;

  @Test
  void operationsArePairedByProcessAndPlacedOnTheHistorysClock() throws Exception {
    ChaosRun run = ChaosRun.load(Fixtures.chaosRun(tmp.resolve("run"), "pass"));
    Latencies.Result lat = Latencies.of(run.history());
    assertEquals(0, lat.pending());
    long ok = run.summary().path("ops").path("ok").asLong();
    long info = run.summary().path("ops").path("info").asLong();
    assertEquals(ok, lat.points().stream().filter(p -> p.type() == OpType.OK).count());
    assertEquals(info, lat.points().stream().filter(p -> p.type() == OpType.INFO).count());
    // The fixture's partition (10-16 s) makes every operation invoked in it take 1 s (info) or 20 ms (fail).
    for (Latencies.Point p : lat.points()) {
      boolean in = p.invokeSeconds() > 10 && p.invokeSeconds() < 16;
      assertEquals(in, p.type() != OpType.OK, p.toString());
      if (p.type() == OpType.INFO) {
        assertEquals(1000.0, p.latencyMillis(), 1e-6);
      } else if (p.type() == OpType.OK) {
        assertTrue(p.latencyMillis() >= 1 && p.latencyMillis() < 5, p.toString());
      }
    }
    assertEquals(2, run.faults().size());
    assertEquals(10.0, run.faults().get(0).startSeconds(), 1e-9);
    assertEquals(16.0, run.faults().get(0).endSeconds(), 1e-9);
    assertEquals("partition halves on n1,n2: {1,2} | {3}", run.faults().get(0).label());
    assertEquals(30.0, run.lengthSeconds(), 1e-9);
    assertTrue(run.missing().isEmpty(), run.missing().toString());
    assertEquals("ok", run.verdictClass());
  }

  @Test
  void throughputBucketsAddUpToTheCompletedOperations() throws Exception {
    ChaosRun run = ChaosRun.load(Fixtures.chaosRun(tmp.resolve("run"), "fail"));
    List<Latencies.Point> points = Latencies.of(run.history()).points();
    SortedMap<OpType, double[]> t = Latencies.throughput(points, run.lengthSeconds(), 2);
    double total = t.values().stream().flatMapToDouble(java.util.Arrays::stream).sum() * 2;
    assertEquals(points.size(), total, 1e-6);
    // No operation succeeds while the partition lasts: buckets 12-14 s hold no ok.
    assertEquals(0.0, t.get(OpType.OK)[6]);
    assertTrue(t.get(OpType.OK)[2] > 100);
    assertEquals("bad", run.verdictClass());
    assertEquals(List.of(1.0, 1.0, 2.0), List.of(Latencies.bucketSeconds(30), Latencies.bucketSeconds(300),
        Latencies.bucketSeconds(301)));
  }

  @Test
  void missingOptionalFilesAreListedAndABrokenHistoryIsNamed() throws Exception {
    Path dir = Fixtures.chaosRun(tmp.resolve("run"), "pass");
    Files.delete(dir.resolve("faults.jsonl"));
    Files.delete(dir.resolve("timeline.html"));
    ChaosRun run = ChaosRun.load(dir);
    assertEquals(List.of("faults.jsonl", "timeline.html"), run.missing());
    Files.writeString(dir.resolve("history.edn"), "{:type :invoke, :f :read, :process 0, :time 1}\n{:type :ok,");
    BadInputException e = assertThrows(BadInputException.class, () -> ChaosRun.load(dir));
    assertTrue(e.getMessage().contains("history.edn"), e.getMessage());
    Files.writeString(dir.resolve("summary.json"), "{\"scenario\":\"x\"}");
    e = assertThrows(BadInputException.class, () -> ChaosRun.load(dir));
    assertTrue(e.getMessage().contains("startMs"), e.getMessage());
  }
}
