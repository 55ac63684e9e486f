package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shared history gets the verdict Knossos and Porcupine give it. */
class SharedHistoriesTest {

  static Stream<Object> cases() {
    List<Object> cases = new ArrayList<>(SharedHistories.cases());
    if (cases.isEmpty()) {
      cases.add("shared histories directory absent");
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verdictMatchesTheOtherCheckers(Object c) throws Exception {
    assumeTrue(c instanceof SharedHistories.Case, "no shared histories: set -Draftbed.histories=DIR");
    SharedHistories.Case hc = (SharedHistories.Case) c;
    History history = Histories.read(hc.file(), hc.format());
    CheckOptions options = CheckOptions.defaults().withFailSemantics(hc.failSemantics())
        .withTimeLimit(Duration.ofSeconds(30)).withShrinkTimeLimit(Duration.ofSeconds(2));
    CheckResult result = Checker.check(history, hc.model(), options);
    assertEquals(hc.expected(), result.verdict(), () -> hc.name() + ": " + result.summary());
    if (hc.expected() == Verdict.NOT_LINEARIZABLE) {
      Counterexample ce = result.counterexample().orElseThrow();
      assertFalse(ce.window().isEmpty(), "a violation has a non-empty window");
      assertTrue(ce.window().stream().allMatch(Operation::isDeterminate), "the window holds determinate ops");
    }
  }
}
