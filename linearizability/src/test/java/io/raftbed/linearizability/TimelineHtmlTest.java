package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The timeline is standalone and marks the culprits. */
class TimelineHtmlTest {
  private static final History STALE = History.builder()
      .invoke(1, "write", 1).ok(1).invoke(2, "write", 2).ok(2)
      .invoke(3, "read", null).ok(3, 1L).invoke(4, "write", 3).info(4).build();

  @Test
  void standaloneWithOneLanePerProcessAndCulpritsMarked() {
    CheckResult r = Checker.check(STALE, Models.casRegister(null));
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    String html = TimelineHtml.render(STALE, r, "stale <read>");
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("stale &lt;read&gt;"), "titles are escaped");
    assertFalse(Pattern.compile("(src|href)=|@import|url\\(").matcher(html).find(), "no external resources");
    for (String lane : new String[] {">p1<", ">p2<", ">p3<", ">p4<"}) {
      assertTrue(html.contains(lane), lane);
    }
    Matcher culprits = Pattern.compile("<g class=\"op ok culprit\">").matcher(html);
    int count = 0;
    while (culprits.find()) {
      count++;
    }
    assertEquals(r.counterexample().orElseThrow().window().size(), count);
    assertTrue(html.contains("op info"), "the indeterminate write is drawn as such");
  }

  @Test
  void linearizableHistoryHasNoCulprits() {
    History h = History.builder().invoke(1, "write", 1).ok(1).invoke(2, "read", null).ok(2, 1L).build();
    String html = TimelineHtml.render(h, Checker.check(h, Models.casRegister(null)), "ok");
    assertFalse(html.contains("culprit\">"));
    assertTrue(html.contains("LINEARIZABLE"));
  }
}
