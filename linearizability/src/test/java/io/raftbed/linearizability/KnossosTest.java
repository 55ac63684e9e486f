package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Knossos as a second opinion: where the Clojure CLI and Knossos are available, our verdicts on
 * the shared Knossos histories and on random histories match Knossos'. Skipped (an assumption,
 * not a pass) elsewhere.
 */
class KnossosTest {
  private static void assumeKnossos() {
    String reason = Knossos.unavailableReason();
    assumeTrue(reason == null, () -> "Knossos unavailable: " + reason);
  }

  @Test
  void agreesOnTheSharedKnossosHistories() throws Exception {
    assumeKnossos();
    for (SharedHistories.Case c : SharedHistories.cases()) {
      if (!c.name().startsWith("knossos/")) {
        continue;
      }
      History h = Histories.read(c.file(), c.format());
      Knossos.Result k = Knossos.check(h, c.model(), c.failSemantics(), Duration.ofMinutes(2));
      assertEquals(c.expected(), k.verdict(), c.name() + ": " + k.detail());
    }
  }

  @Test
  void agreesOnRandomHistories() {
    assumeKnossos();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20; i++) {
      History h = RandomHistories.arbitrary(random, 8, 3);
      for (FailSemantics semantics : FailSemantics.values()) {
        Model<?> model = Models.casRegister(0);
        Verdict ours = Checker.check(h, model, CheckOptions.defaults().withFailSemantics(semantics)).verdict();
        Knossos.Result k = Knossos.check(h, model, semantics, Duration.ofMinutes(1));
        assertEquals(ours, k.verdict(), semantics + " " + k.detail() + "\n" + Histories.toEdn(h));
      }
    }
  }

  @Test
  void knossosHistoryEncodesFailedCasAsHappened() {
    History h = History.builder().invoke(1, "cas", java.util.List.of(0, 1)).fail(1).build();
    String edn = Knossos.knossosEdn(h.operations(FailSemantics.CAS_FAIL_HAPPENED));
    assertEquals("[{:process 1, :f :cas-failed, :value [0 1], :type :invoke}\n"
        + "{:process 1, :f :cas-failed, :value [0 1], :type :ok}\n]\n", edn);
  }
}
