package io.raftbed.linearizability;

import static io.raftbed.linearizability.Verdict.LINEARIZABLE;
import static io.raftbed.linearizability.Verdict.NOT_LINEARIZABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Small hand-written histories, one per semantic corner, each linearizable and not. */
class CornerCasesTest {
  private static final CheckOptions JEPSEN = CheckOptions.defaults();
  private static final CheckOptions ETCD = CheckOptions.defaults().withFailSemantics(FailSemantics.CAS_FAIL_HAPPENED);

  private static Verdict check(HistoryBuilder b, Model<?> model, CheckOptions options) {
    return Checker.check(b.build(), model, options).verdict();
  }

  private static Verdict register(HistoryBuilder b) {
    return check(b, Models.casRegister(null), JEPSEN);
  }

  @Test
  void readOfTheInitialValue() {
    assertEquals(LINEARIZABLE, register(History.builder().invoke(1, "read", null).ok(1, null)));
    assertEquals(NOT_LINEARIZABLE, register(History.builder().invoke(1, "read", null).ok(1, 0L)));
    assertEquals(LINEARIZABLE, check(History.builder().invoke(1, "read", null).ok(1, 0L), Models.casRegister(0), JEPSEN));
  }

  @Test
  void nilReadsAreUnknownOnlyWithKnossosConvention() {
    HistoryBuilder b = History.builder().invoke(1, "write", 3).ok(1).invoke(2, "read", null).ok(2, null);
    assertEquals(NOT_LINEARIZABLE, check(b, Models.casRegister(0), JEPSEN));
    assertEquals(LINEARIZABLE, check(b, Models.casRegister(0, NilReads.UNKNOWN), JEPSEN));
  }

  @Test
  void concurrentWritesMayLandInEitherOrder() {
    for (long read : new long[] {1, 2}) {
      HistoryBuilder b = History.builder().invoke(1, "write", 1).invoke(2, "write", 2).ok(1).ok(2)
          .invoke(3, "read", null).ok(3, read);
      assertEquals(LINEARIZABLE, register(b), "read " + read);
    }
    HistoryBuilder sequential = History.builder().invoke(1, "write", 1).ok(1).invoke(2, "write", 2).ok(2)
        .invoke(3, "read", null).ok(3, 1L);
    assertEquals(NOT_LINEARIZABLE, register(sequential));
  }

  @Test
  void readConcurrentWithWriteSeesOldOrNew() {
    HistoryBuilder oldValue = History.builder().invoke(1, "write", 1).ok(1)
        .invoke(1, "write", 2).invoke(2, "read", null).ok(2, 1L).ok(1);
    assertEquals(LINEARIZABLE, register(oldValue));
    HistoryBuilder stale = History.builder().invoke(1, "write", 1).ok(1).invoke(1, "write", 2)
        .invoke(2, "read", null).ok(2, 2L).invoke(3, "read", null).ok(3, 1L).ok(1);
    assertEquals(NOT_LINEARIZABLE, register(stale), "a read after a read of the new value sees the old one");
  }

  @Test
  void failedOperationDidNotHappenByDefault() {
    HistoryBuilder b = History.builder().invoke(1, "write", 0).ok(1).invoke(1, "cas", List.of(0, 1)).fail(1);
    assertEquals(LINEARIZABLE, register(b.invoke(2, "read", null).ok(2, 0L)));
    HistoryBuilder c = History.builder().invoke(1, "write", 0).ok(1).invoke(1, "cas", List.of(0, 1)).fail(1);
    assertEquals(NOT_LINEARIZABLE, register(c.invoke(2, "read", null).ok(2, 1L)));
    HistoryBuilder w = History.builder().invoke(1, "write", 5).fail(1).invoke(2, "read", null).ok(2, 5L);
    assertEquals(NOT_LINEARIZABLE, check(w, Models.casRegister(null), ETCD), "a failed write never happened");
  }

  @Test
  void failedCasHappenedAndFoundAnotherValueWithEtcdSemantics() {
    HistoryBuilder mismatch = History.builder().invoke(1, "write", 1).ok(1).invoke(1, "cas", List.of(0, 2)).fail(1);
    assertEquals(LINEARIZABLE, check(mismatch, Models.casRegister(null), ETCD));
    HistoryBuilder shouldHaveWorked = History.builder().invoke(1, "write", 0).ok(1).invoke(1, "cas", List.of(0, 2)).fail(1);
    assertEquals(NOT_LINEARIZABLE, check(shouldHaveWorked, Models.casRegister(null), ETCD));
    assertEquals(LINEARIZABLE, check(shouldHaveWorked, Models.casRegister(null), JEPSEN));
  }

  @Test
  void casWithNilExpectedRequiresAbsence() {
    HistoryBuilder malformed = History.builder().invoke(1, "cas", "k", List.of()).ok(1);
    assertThrows(IllegalArgumentException.class, () -> check(malformed, Models.casRegisterPerKey(null), ETCD));
    HistoryBuilder ok = History.builder().invoke(1, "cas", "k", java.util.Arrays.asList(null, 5)).ok(1)
        .invoke(2, "read", "k", null).ok(2, 5L);
    assertEquals(LINEARIZABLE, check(ok, Models.casRegisterPerKey(null), ETCD));
    HistoryBuilder present = History.builder().invoke(1, "write", "k", 3).ok(1)
        .invoke(1, "cas", "k", java.util.Arrays.asList(null, 5)).ok(1);
    assertEquals(NOT_LINEARIZABLE, check(present, Models.casRegisterPerKey(null), ETCD));
  }

  @Test
  void infoWriteMayTakeEffectLate() {
    HistoryBuilder late = History.builder().invoke(1, "write", 1).info(1)
        .invoke(2, "read", null).ok(2, null).invoke(2, "read", null).ok(2, 1L);
    assertEquals(LINEARIZABLE, register(late));
    HistoryBuilder backwards = History.builder().invoke(1, "write", 1).info(1)
        .invoke(2, "read", null).ok(2, 1L).invoke(2, "read", null).ok(2, null);
    assertEquals(NOT_LINEARIZABLE, register(backwards), "an effect cannot be undone");
  }

  @Test
  void infoWriteMayNeverTakeEffect() {
    HistoryBuilder never = History.builder().invoke(1, "write", 1).info(1)
        .invoke(2, "read", null).ok(2, null).invoke(2, "write", 2).ok(2).invoke(2, "read", null).ok(2, 2L);
    assertEquals(LINEARIZABLE, register(never));
    HistoryBuilder pending = History.builder().invoke(1, "write", 1)
        .invoke(2, "read", null).ok(2, null).invoke(2, "read", null).ok(2, 1L).invoke(2, "read", null).ok(2, 1L);
    assertEquals(LINEARIZABLE, register(pending), "an invocation without completion is indeterminate");
  }

  @Test
  void indeterminateOperationCannotTakeEffectBeforeItsInvocation() {
    HistoryBuilder b = History.builder().invoke(2, "read", null).ok(2, 1L).invoke(1, "write", 1).info(1);
    assertEquals(NOT_LINEARIZABLE, register(b));
  }

  @Test
  void infoCasTakesEffectOnlyIfItMatches() {
    HistoryBuilder matches = History.builder().invoke(1, "write", 0).ok(1).invoke(1, "cas", List.of(0, 1)).info(1)
        .invoke(2, "read", null).ok(2, 1L);
    assertEquals(LINEARIZABLE, register(matches));
    HistoryBuilder mismatch = History.builder().invoke(1, "write", 2).ok(1).invoke(1, "cas", List.of(0, 1)).info(1)
        .invoke(2, "read", null).ok(2, 1L);
    assertEquals(NOT_LINEARIZABLE, register(mismatch));
  }

  @Test
  void infoReadConstrainsNothing() {
    HistoryBuilder b = History.builder().invoke(1, "read", null).info(1).invoke(2, "write", 3).ok(2);
    assertEquals(LINEARIZABLE, register(b));
  }

  @Test
  void deleteAndAppend() {
    HistoryBuilder deleted = History.builder().invoke(1, "write", "k", 3).ok(1).invoke(1, "delete", "k", null).ok(1);
    assertEquals(LINEARIZABLE, check(deleted.invoke(2, "read", "k", null).ok(2, null), Models.casRegisterPerKey(null), ETCD));
    HistoryBuilder stale = History.builder().invoke(1, "write", "k", 3).ok(1).invoke(1, "delete", "k", null).ok(1)
        .invoke(2, "read", "k", null).ok(2, 3L);
    assertEquals(NOT_LINEARIZABLE, check(stale, Models.casRegisterPerKey(null), ETCD));
    HistoryBuilder ab = History.builder().invoke(1, "append", "x", "a").ok(1).invoke(1, "append", "x", "b").ok(1);
    assertEquals(LINEARIZABLE, check(ab.invoke(2, "get", "x", null).ok(2, "ab"), Models.kv(""), JEPSEN));
    HistoryBuilder ba = History.builder().invoke(1, "append", "x", "a").ok(1).invoke(1, "append", "x", "b").ok(1)
        .invoke(2, "get", "x", null).ok(2, "ba");
    assertEquals(NOT_LINEARIZABLE, check(ba, Models.kv(""), JEPSEN));
  }

  @Test
  void keysAreCheckedIndependently() {
    HistoryBuilder b = History.builder()
        .invoke(1, "write", "y", 2).ok(1).invoke(1, "write", "x", 1).ok(1)
        .invoke(2, "read", "y", null).ok(2, 2L).invoke(2, "read", "x", null).ok(2, 2L);
    CheckResult r = Checker.check(b.build(), Models.casRegisterPerKey(null), JEPSEN.withParallelism(1));
    assertEquals(NOT_LINEARIZABLE, r.verdict());
    assertEquals(2, r.partitions().size());
    assertEquals("x", r.counterexample().orElseThrow().key());
    assertEquals(LINEARIZABLE, r.partitions().get(0).verdict(), "y comes first and is decided first");
    assertEquals(NOT_LINEARIZABLE, r.partitions().get(1).verdict());
    assertEquals(List.of("x"), r.illegalKeys());
    assertEquals(List.of("y"), r.legalKeys());
  }

  /** P-compositionality: one illegal key decides the history, and the keys after it are left undecided. */
  @Test
  void theFirstIllegalKeyStopsTheCheck() {
    HistoryBuilder b = History.builder()
        .invoke(1, "write", "x", 1).ok(1).invoke(1, "write", "y", 2).ok(1)
        .invoke(2, "read", "y", null).ok(2, 2L).invoke(2, "read", "x", null).ok(2, 2L);
    CheckResult r = Checker.check(b.build(), Models.casRegisterPerKey(null), JEPSEN.withParallelism(1));
    assertEquals(NOT_LINEARIZABLE, r.verdict());
    assertEquals(List.of("x"), r.illegalKeys());
    assertEquals(List.of("y"), r.undecidedKeys());
    PartitionResult y = r.partitions().get(1);
    assertFalse(y.decided());
    assertTrue(y.reason().startsWith(PartitionResult.UNDECIDED_PREFIX) && y.reason().contains("key \"x\""), y.reason());
    assertTrue(r.summary().contains("1 not linearizable, 0 linearizable, 1 undecided"), r.summary());
  }

  /**
   * A timed-out write that no operation read still counts: it alone explains a failed cas of the
   * initial value (etcd semantics: the cas happened and found another value). Values nobody reads
   * are merged inside the checker; this is the case where merging them away would be wrong.
   */
  @Test
  void anUnreadTimedOutWriteCanExplainAFailedCas() {
    HistoryBuilder after = History.builder().invoke(1, "write", 5L).info(1)
        .invoke(2, "cas", List.of(0L, 7L)).fail(2);
    assertEquals(LINEARIZABLE, check(after, Models.casRegister(0L), ETCD));
    HistoryBuilder before = History.builder().invoke(2, "cas", List.of(0L, 7L)).fail(2)
        .invoke(1, "write", 5L).info(1);
    assertEquals(NOT_LINEARIZABLE, check(before, Models.casRegister(0L), ETCD), "the write came too late");
    HistoryBuilder twoUnread = History.builder().invoke(1, "write", 5L).info(1).invoke(3, "write", 6L).info(3)
        .invoke(2, "cas", List.of(0L, 7L)).fail(2).invoke(2, "write", 0L).ok(2)
        .invoke(2, "cas", List.of(0L, 7L)).fail(2);
    assertEquals(LINEARIZABLE, check(twoUnread, Models.casRegister(0L), ETCD), "one unread write per failed cas");
    HistoryBuilder oneTooFew = History.builder().invoke(1, "write", 5L).info(1)
        .invoke(2, "cas", List.of(0L, 7L)).fail(2).invoke(2, "write", 0L).ok(2)
        .invoke(2, "cas", List.of(0L, 7L)).fail(2);
    assertEquals(NOT_LINEARIZABLE, check(oneTooFew, Models.casRegister(0L), ETCD), "a write takes effect once");
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertEquals(LINEARIZABLE, register(History.builder()));
  }

  @Test
  void unsupportedOperationsAreBadInputNotViolations() {
    HistoryBuilder append = History.builder().invoke(1, "append", "x").ok(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> check(append, Models.casRegister(null), JEPSEN));
    assertTrue(e.getMessage().contains("does not support :f :append"), e.getMessage());
    HistoryBuilder badCas = History.builder().invoke(1, "cas", 3).ok(1);
    assertThrows(IllegalArgumentException.class, () -> check(badCas, Models.casRegister(null), JEPSEN));
  }

  @Test
  void budgetExhaustionIsUnknownWithAReason() {
    HistoryBuilder b = History.builder().invoke(1, "write", 1).ok(1).invoke(2, "read", null).ok(2, 1L);
    CheckResult r = Checker.check(b.build(), Models.casRegister(null), JEPSEN.withMemoryLimitBytes(1));
    assertEquals(Verdict.UNKNOWN, r.verdict());
    assertTrue(r.reason().contains("memory budget exhausted"), r.reason());
  }
}
