package io.raftbed.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMainTest {
  @TempDir
  Path tmp;

  @Test
  void oneFileHoldsEverySectionAndFetchesNothing() throws Exception {
    Path out = tmp.resolve("out/all.html");
    Report.Built b = ReportMain.write(List.of(Fixtures.campaign(tmp.resolve("fuzz"), 50, 2, 10),
        Fixtures.chaosRun(tmp.resolve("chaos"), "fail"), Fixtures.jmh(tmp.resolve("jmh.json"), 0.8, 1, 0.01),
        Fixtures.bench(tmp.resolve("a.jsonl"), 1, null), Fixtures.bench(tmp.resolve("b.jsonl"), 1.2, null)), out,
        new Report.Options(null, Fixtures.jmh(tmp.resolve("base.json"), 1, 1, 0.01)));
    String html = Files.readString(out);
    for (String id : List.of("id=\"fuzz\"", "id=\"chaos-1\"", "id=\"jmh\"", "id=\"bench\"")) {
      assertTrue(html.contains(id), id);
    }
    assertTrue(html.contains("Content-Security-Policy"));
    // No element loads anything from elsewhere: every script is inline, no src= or href= to a URL.
    Matcher m = Pattern.compile("(src|href)\\s*=\\s*\"(https?:|//)").matcher(html);
    assertFalse(m.find(), () -> "external reference at " + m.start());
    assertFalse(html.contains("<script src"));
    // Relative links from the report's folder to the failure folders and the chaos timeline.
    assertTrue(html.contains("href=\"../fuzz/failure-seed-10/timeline.html\""));
    assertTrue(html.contains("href=\"../chaos/timeline.html\""));
    // Text from the inputs is escaped.
    assertTrue(html.contains("stale value &lt;b&gt;"));
    assertEquals(2, b.regressions()); // the fixture's commit throughput fell 20% with 1% error bars
  }

  @Test
  void badInputWritesNothingAndExitsTwo() throws Exception {
    Path junk = tmp.resolve("junk.txt");
    Files.writeString(junk, "hello\n");
    Path out = tmp.resolve("r.html");
    BadInputException e = assertThrows(BadInputException.class,
        () -> ReportMain.write(List.of(junk), out, new Report.Options(null, null)));
    assertTrue(e.getMessage().startsWith(junk + ": not a report input"), e.getMessage());
    assertFalse(Files.exists(out));
    ReportMain main = new ReportMain();
    main.inputs = List.of(tmp.resolve("missing"));
    main.out = out;
    assertEquals(2, main.call());
    assertFalse(Files.exists(out));
  }

  @Test
  void failOnRegressionExitsOneAfterWritingTheReport() throws Exception {
    ReportMain main = new ReportMain();
    main.inputs = List.of(Fixtures.jmh(tmp.resolve("cur.json"), 0.5, 1, 0.01));
    main.baseline = Fixtures.jmh(tmp.resolve("base.json"), 1, 1, 0.01);
    main.out = tmp.resolve("jmh.html");
    main.failOnRegression = true;
    assertEquals(1, main.call());
    assertTrue(Files.size(main.out) > 100_000);
    main.inputs = List.of(main.baseline);
    assertEquals(0, main.call());
  }
}
