package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The timeline page is standalone, marks the conflict, and carries what the browser needs to open on it. */
class TimelineHtmlTest {
  private static final History STALE = History.builder()
      .invoke(1, "write", 1).ok(1).invoke(2, "write", 2).ok(2)
      .invoke(3, "read", null).ok(3, 1L).invoke(4, "write", 3).info(4).build();

  private static int count(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void standaloneWithTheCulpritsMarkedAndAJumpControl() {
    CheckResult r = Checker.check(STALE, Models.casRegister(null));
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    String html = TimelineHtml.render(STALE, r, "stale <read>");
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("stale &lt;read&gt;"), "titles are escaped");
    assertFalse(Pattern.compile("(src|href)=|@import|url\\(").matcher(html).find(), "no external resources");
    for (String p : new String[] {"p1", "p2", "p3", "p4"}) {
      assertTrue(html.contains(p), p);
    }
    assertEquals(r.counterexample().orElseThrow().window().size(), count(html, "class=\"op ok culprit\""));
    assertTrue(html.contains("id=\"jump\"") && html.contains("Jump to the conflict"));
    assertTrue(Pattern.compile("data-cut=\"\\d+\"").matcher(html).find(), "the script needs the conflict's x");
  }

  @Test
  void infoOperationsAreOpenEndedAndHoverTextIsComplete() {
    CheckResult r = Checker.check(STALE, Models.casRegister(null));
    String html = TimelineHtml.render(STALE, r, "t");
    assertEquals(1, count(html, "class=\"op info\""), "the timed-out write");
    assertEquals(1, count(html, "class=\"tail\""), "it trails a tail");
    assertTrue(html.contains("outcome unknown: it may have taken effect at any time after its invocation, or never"));
    assertTrue(html.contains("p4: write 3\n:info 3"), "hover text names process, operation and completion");
  }

  @Test
  void linearizedOperationsShowTheStateAfterThem() {
    History h = History.builder().invoke(1, "write", 1).ok(1).invoke(1, "cas", java.util.List.of(1, 2)).ok(1)
        .invoke(3, "read", null).ok(3, 2L).invoke(2, "read", null).ok(2, 1L).build();
    CheckResult r = Checker.check(h, Models.casRegister(null));
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    String html = TimelineHtml.render(h, r, "t");
    assertTrue(html.contains("linearized #1 of the longest linearizable prefix; state after: 1"), html);
    assertTrue(html.contains("linearized #2 of the longest linearizable prefix; state after: 2"), html);
    assertTrue(html.contains("linearized #3 of the longest linearizable prefix; state after: 2"), html);
    assertTrue(html.contains("<span class=\"n\">3</span>"), "the order is drawn on the bar");
  }

  /** Three clients at first, two later: the third's lane has nothing near the conflict and is folded. */
  @Test
  void lanesWithNothingNearTheConflictAreFolded() {
    HistoryBuilder b = History.builder().invoke(7, "write", 0).invoke(8, "write", 0).invoke(9, "write", 0)
        .ok(7).ok(8).ok(9);
    for (int i = 0; i < 300; i++) {
      b.invoke(1, "write", 5).invoke(2, "read", null).ok(1).ok(2, 5L);
    }
    b.invoke(1, "write", 6).ok(1).invoke(2, "read", null).ok(2, 5L);
    History h = b.build();
    CheckResult r = Checker.check(h, Models.casRegister(null));
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    String html = TimelineHtml.render(h, r, "t");
    assertEquals(1, count(html, "class=\"lane quiet\""), "p9's lane");
    assertEquals(2, count(html, "class=\"lane\""), "p7 then p1, p8 then p2");
    assertTrue(html.contains("Unfold 1 quiet lane"));
    assertTrue(html.contains("processes, one after another: p7, p1"), "a client's processes share a lane");
  }

  @Test
  void linearizableHistoryHasNoConflict() {
    History h = History.builder().invoke(1, "write", 1).ok(1).invoke(2, "read", null).ok(2, 1L).build();
    String html = TimelineHtml.render(h, Checker.check(h, Models.casRegister(null)), "ok");
    assertFalse(html.contains("culprit\""));
    assertFalse(html.contains("id=\"jump\""));
    assertTrue(html.contains("LINEARIZABLE"));
  }
}
