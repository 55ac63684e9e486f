package io.raftbed.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.nemesis.Findings;
import io.raftbed.chaos.workload.HistoryRecorder;
import io.raftbed.chaos.workload.HistoryRecorder.Type;
import io.raftbed.chaos.workload.KvOps;
import io.raftbed.linearizability.CheckResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeTest {
  @TempDir
  Path dir;

  private CheckResult check(HistoryRecorder h) throws Exception {
    Path file = dir.resolve("history.edn");
    h.writeEdn(file);
    return Judge.linearizability(file, dir.resolve("timeline.html"), "test", Duration.ofSeconds(30));
  }

  private static void op(HistoryRecorder h, int process, String f, Object value, Type outcome, Object result) {
    h.record(Type.INVOKE, process, f, "k1", f.equals("read") ? null : value, "n1", null);
    h.record(outcome, process, f, "k1", f.equals("read") ? result : value, "n1", outcome == Type.OK ? null : "why");
  }

  @Test
  void aCorrectRegisterHistoryPasses() throws Exception {
    HistoryRecorder h = new HistoryRecorder(100);
    op(h, 0, "read", null, Type.OK, null);
    op(h, 0, "write", 1L, Type.OK, null);
    op(h, 1, "read", null, Type.OK, 1L);
    op(h, 1, "cas", new long[] {1, 2}, Type.OK, null);
    op(h, 0, "cas", new long[] {1, 3}, Type.FAIL, null);
    op(h, 2, "write", 4L, Type.INFO, null); // may apply later, or never
    op(h, 0, "read", null, Type.OK, 2L);
    op(h, 1, "read", null, Type.OK, 4L);
    CheckResult r = check(h);
    Verdict v = Judge.verdict(r, Verdict.Check.skipped(), Verdict.Check.skipped(), new Findings(), null);
    assertEquals("LINEARIZABLE", v.linearizability());
    assertEquals(0, v.exitCode());
    assertTrue(Files.size(dir.resolve("timeline.html")) > 0);
  }

  @Test
  void aStaleReadIsAViolation() throws Exception {
    HistoryRecorder h = new HistoryRecorder(100);
    op(h, 0, "write", 1L, Type.OK, null);
    op(h, 0, "write", 2L, Type.OK, null);
    op(h, 1, "read", null, Type.OK, 1L);
    CheckResult r = check(h);
    Verdict v = Judge.verdict(r, Verdict.Check.skipped(), Verdict.Check.skipped(), new Findings(), null);
    assertEquals("NOT_LINEARIZABLE", v.linearizability());
    assertEquals(1, v.exitCode());
    assertEquals("fail", v.word());
    assertTrue(v.violations().get(0).startsWith("linearizability"));
  }

  @Test
  void livenessNeedsAWriteAcknowledgedAfterTheGraceAndAnAgreedLeader() {
    HistoryRecorder h = new HistoryRecorder(100);
    long heal = h.nowNanos();
    op(h, 0, "write", 1L, Type.OK, null); // invoked at the heal, inside the grace: does not count
    Verdict.Check early = Judge.liveness(h.events(), heal, Duration.ofMillis(50), null);
    assertFalse(early.ok(), early.detail());
    long later = System.nanoTime() + 60_000_000;
    while (System.nanoTime() < later) {
      Thread.onSpinWait();
    }
    op(h, 1, "read", null, Type.OK, 1L);
    assertFalse(Judge.liveness(h.events(), heal, Duration.ofMillis(50), null).ok(), "a read is not a write");
    op(h, 1, "write", 2L, Type.OK, null);
    assertTrue(Judge.liveness(h.events(), heal, Duration.ofMillis(50), null).ok());
    Verdict.Check split = Judge.liveness(h.events(), heal, Duration.ofMillis(50), "members [3] did not answer");
    assertFalse(split.ok());
    assertTrue(split.detail().contains("members [3]"));
  }

  @Test
  void durabilityComparesEveryKeyAcrossTheRestart() {
    Map<String, KvOps.Outcome> before = new LinkedHashMap<>();
    Map<String, KvOps.Outcome> after = new LinkedHashMap<>();
    before.put("k1", new KvOps.Outcome(Type.OK, 5L, null));
    before.put("k2", new KvOps.Outcome(Type.OK, null, null));
    after.put("k1", new KvOps.Outcome(Type.OK, 5L, null));
    after.put("k2", new KvOps.Outcome(Type.OK, null, null));
    assertTrue(Judge.durability(before, after, 10, null).ok());
    after.put("k1", new KvOps.Outcome(Type.OK, 4L, null));
    Verdict.Check lost = Judge.durability(before, after, 10, null);
    assertFalse(lost.ok());
    assertTrue(lost.detail().contains("k1 read 5 before the restart and 4 after"), lost.detail());
    after.put("k1", new KvOps.Outcome(Type.INFO, null, "timed out"));
    assertFalse(Judge.durability(before, after, 10, null).ok(), "a key that cannot be read back is not durable");
    assertFalse(Judge.durability(before, before, 10, "no leader after the restart").ok());
  }

  @Test
  void findingsAndUndecidedRunsHaveTheirOwnExitCodes() {
    Findings f = new Findings();
    f.add("node-exit", "n2 exited with code 1");
    Verdict v = Judge.verdict(null, Verdict.Check.skipped(), Verdict.Check.skipped(), f, null);
    assertEquals(1, v.exitCode());
    assertEquals(List.of("node-exit: n2 exited with code 1"), v.violations());
    Verdict u = Judge.verdict(null, Verdict.Check.skipped(), Verdict.Check.skipped(), new Findings(), "no leader");
    assertEquals(3, u.exitCode());
    assertEquals("unknown", u.word());
  }
}
