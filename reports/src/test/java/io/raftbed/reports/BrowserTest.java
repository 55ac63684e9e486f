package io.raftbed.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kind of report as a person sees it: opened in headless Chromium, every chart must render with
 * no script error, no console message and no blocked fetch, the expected elements must be there, and
 * a screenshot is saved under {@code target/screenshots/}. Without Chromium the tests are skipped
 * with the reason (CI installs it and fails without it).
 */
class BrowserTest {
  static final Path OUT = Path.of("target", "browser");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static Chromium chromium;

  @BeforeAll
  static void findBrowser() {
    chromium = Chromium.find();
    if (chromium == null && "true".equals(System.getenv("CI"))) {
      fail("CI must have chromium for the browser tests (.ci/run installs it with apt-get install chromium)");
    }
    Assumptions.assumeTrue(chromium != null,
        "SKIPPED: chromium is not installed (apt-get install chromium, or set RAFTBED_CHROMIUM); reports were not "
            + "opened in a browser");
  }

  @Test
  void fuzzCampaignReport() throws Exception {
    Path dir = Fixtures.campaign(OUT.resolve("inputs/campaign"), 400, 4, 37);
    Path html = write("fuzz", List.of(dir), null);
    String dom = check(html, 3, 2000);
    assertTrue(dom.contains("class=\"fingerprint\""));
    assertTrue(dom.contains("failure-seed-37/timeline.html"));
    assertEquals(2, count(dom, "data-rendered=\"bars\""), "outcomes and attribution");
    assertEquals(1, count(dom, "data-rendered=\"lines\""), "pace");
  }

  @Test
  void chaosRunReport() throws Exception {
    Path dir = Fixtures.chaosRun(OUT.resolve("inputs/chaos-run"), "fail");
    Path html = write("chaos", List.of(dir), null);
    String dom = check(html, 2, 1700);
    assertEquals(1, count(dom, "data-rendered=\"scatter\""));
    assertEquals(1, count(dom, "data-rendered=\"lines\""));
    assertTrue(dom.contains("VIOLATION"));
    assertTrue(dom.contains("href=\"inputs/chaos-run/timeline.html\""));
  }

  @Test
  void jmhReport() throws Exception {
    Path cur = Fixtures.jmh(OUT.resolve("inputs/jmh.json"), 0.8, 0.99, 0.01);
    Path base = Fixtures.jmh(OUT.resolve("inputs/jmh-baseline.json"), 1, 1, 0.01);
    Path html = write("jmh", List.of(cur), base);
    String dom = check(html, 4, 1500);
    assertTrue(dom.contains(">regression<"));
    assertTrue(dom.contains(">within error<"));
  }

  @Test
  void benchReportSideBySide() throws Exception {
    Path a = Fixtures.bench(OUT.resolve("inputs/raftbed.jsonl"), 1, "raftbed");
    Path b = Fixtures.bench(OUT.resolve("inputs/etcd.jsonl"), 0.6, "etcd");
    Path html = write("bench", List.of(a, b), null);
    String dom = check(html, 3, 1400);
    assertTrue(dom.contains("ops/s vs raftbed"));
  }

  private static Path write(String kind, List<Path> inputs, Path baseline) throws Exception {
    Path html = OUT.resolve(kind + ".html").toAbsolutePath();
    ReportMain.write(inputs, html, new Report.Options("raftbed " + kind + " report (test fixture)", baseline));
    return html;
  }

  /** Loads {@code html}, checks it rendered {@code charts} charts cleanly, saves a screenshot; returns the DOM. */
  private static String check(Path html, int charts, int heightPx) throws Exception {
    String name = html.getFileName().toString().replace(".html", "");
    Path profiles = Files.createDirectories(OUT.resolve("profiles"));
    Chromium.Page page = chromium.load(html, Files.createTempDirectory(profiles, name));
    String body = bodyTag(page.dom());
    assertEquals("1", attr(body, "data-report-ready"), "the page's script did not finish: " + body);
    assertEquals("0", attr(body, "data-errors"), () -> "errors on the page: " + errorsText(page.dom()));
    assertEquals(Integer.toString(charts), attr(body, "data-charts-expected"), body);
    assertEquals(Integer.toString(charts), attr(body, "data-charts-rendered"), body);
    assertEquals(charts, count(page.dom(), "data-rendered=\""), "chart divs marked rendered");
    Matcher chartDivs = Pattern.compile("<div class=\"chart\" id=\"(chart-\\d+)\"(.*?)</div></div>", Pattern.DOTALL)
        .matcher(page.dom());
    int withCanvas = 0;
    while (chartDivs.find()) {
      assertTrue(chartDivs.group(2).contains("<canvas"), chartDivs.group(1) + " has no canvas");
      withCanvas++;
    }
    assertEquals(charts, withCanvas, "chart containers with a canvas");
    assertTrue(page.consoleLines().isEmpty(), () -> "browser console: " + page.consoleLines());
    Path png = SCREENSHOTS.resolve(name + ".png");
    chromium.screenshot(html, png, 1400, heightPx, Files.createTempDirectory(profiles, name));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1400, img.getWidth());
    assertTrue(colours(img) > 40, "the screenshot is nearly blank: " + png);
    return page.dom();
  }

  private static String bodyTag(String dom) {
    Matcher m = Pattern.compile("<body[^>]*>").matcher(dom);
    assertTrue(m.find(), "no <body> in the DOM");
    return m.group();
  }

  private static String attr(String tag, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(tag);
    return m.find() ? m.group(1) : null;
  }

  private static String errorsText(String dom) {
    Matcher m = Pattern.compile("<div id=\"report-errors\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(dom);
    return m.find() ? m.group(1) : "(none listed)";
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static int colours(BufferedImage img) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
