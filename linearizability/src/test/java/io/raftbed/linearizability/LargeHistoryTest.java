package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * 100,000-operation histories within the module's 1 GiB test heap: a verdict or UNKNOWN with a
 * reason, never a wrong verdict.
 */
class LargeHistoryTest {
  private static final int OPS = 100_000;
  private static final CheckOptions OPTIONS = CheckOptions.defaults()
      .withTimeLimit(Duration.ofSeconds(20)).withShrinkTimeLimit(Duration.ofSeconds(2));

  private static void assertVerdictOrReasonedUnknown(CheckResult r, Verdict expected) {
    if (r.verdict() == Verdict.UNKNOWN) {
      assertNotNull(r.reason(), "UNKNOWN needs a reason");
    } else {
      assertEquals(expected, r.verdict(), r.summary());
    }
  }

  @Test
  void singleRegisterWithConcurrencyAndCrashes() {
    History h = RandomHistories.linearizable(42, OPS, 8, 5, 1, 0.01);
    CheckResult r = Checker.check(h, Models.casRegister(null), OPTIONS);
    assertVerdictOrReasonedUnknown(r, Verdict.LINEARIZABLE);
  }

  @Test
  void lateViolationInASingleRegisterIsFound() {
    History h = RandomHistories.withReadChanged(RandomHistories.linearizable(43, OPS, 8, 5, 1, 0), 0.75, 99L);
    CheckResult r = Checker.check(h, Models.casRegister(null), OPTIONS);
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.summary());
    Counterexample ce = r.counterexample().orElseThrow();
    assertTrue(ce.window().stream().anyMatch(o -> Long.valueOf(99).equals(o.output())), ce.describe());
  }

  @Test
  void lateViolationAmongCrashesIsNeverLinearizable() {
    History h = RandomHistories.withReadChanged(RandomHistories.linearizable(43, OPS, 8, 5, 1, 0.01), 0.75, 99L);
    CheckResult r = Checker.check(h, Models.casRegister(null), OPTIONS.withTimeLimit(Duration.ofSeconds(5)));
    assertNotEquals(Verdict.LINEARIZABLE, r.verdict(), r.summary());
    assertVerdictOrReasonedUnknown(r, Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void keyedHistoryWithEtcdSemantics() {
    History h = RandomHistories.linearizable(44, OPS, 16, 5, 50, 0.01);
    CheckOptions etcd = OPTIONS.withFailSemantics(FailSemantics.CAS_FAIL_HAPPENED);
    assertVerdictOrReasonedUnknown(Checker.check(h, Models.casRegisterPerKey(null), etcd), Verdict.LINEARIZABLE);
    History bad = RandomHistories.withReadChanged(h, 0.5, 99L);
    CheckResult r = Checker.check(bad, Models.casRegisterPerKey(null), etcd);
    assertNotEquals(Verdict.LINEARIZABLE, r.verdict(), r.summary());
    assertVerdictOrReasonedUnknown(r, Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void timeLimitGivesUnknownWithAReason() {
    History h = RandomHistories.linearizable(45, OPS, 8, 5, 1, 0.05);
    CheckResult r = Checker.check(h, Models.casRegister(null), OPTIONS.withTimeLimit(Duration.ofMillis(1)));
    assertEquals(Verdict.UNKNOWN, r.verdict());
    assertTrue(r.reason().contains("time limit"), r.reason());
  }

  @Test
  void tinyMemoryBudgetGivesUnknownWithAReason() {
    History h = RandomHistories.linearizable(46, OPS, 8, 5, 1, 0.05);
    CheckResult r = Checker.check(h, Models.casRegister(null), OPTIONS.withMemoryLimitBytes(1 << 20));
    assertEquals(Verdict.UNKNOWN, r.verdict());
    assertTrue(r.reason().contains("memory budget exhausted"), r.reason());
  }
}
