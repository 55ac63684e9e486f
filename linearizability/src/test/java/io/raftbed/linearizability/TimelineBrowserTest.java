package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The counterexample page in headless Chromium (Debian's {@code chromium}): it loads without a
 * console message, and the conflict, drawn thousands of pixels right of the history's start, is
 * in the first screen: the page's own report of what was in view, and independently the
 * screenshot's pixels (the conflict's red fill inside the timeline's box). The page and the
 * screenshot stay in {@code target/timeline-browser/}. Skipped, with the reason, when no Chromium
 * is installed ({@code .ci/run} installs it).
 */
class TimelineBrowserTest {
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 800;
  private static final Path DIR = Path.of("target", "timeline-browser");
  private static String chromium;

  @BeforeAll
  static void findChromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, name))) {
          chromium = Path.of(dir, name).toString();
          return;
        }
      }
    }
    String reason = "SKIPPED: no chromium on the PATH (Debian: apt-get install chromium); the counterexample page"
        + " is not tested in a browser";
    System.err.println("TimelineBrowserTest " + reason);
    Assumptions.abort(reason);
  }

  @Test
  void opensOnTheConflictWithoutConsoleMessages() throws Exception {
    History h = RandomHistories.withReadChanged(RandomHistories.linearizable(7, 600, 6, 5, 1, 0.02), 0.85, 99L);
    CheckResult r = Checker.check(h, Models.casRegister(null),
        CheckOptions.defaults().withShrinkTimeLimit(Duration.ofSeconds(5)));
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.summary());
    Files.createDirectories(DIR);
    Path page = DIR.resolve("conflict.html").toAbsolutePath();
    TimelineHtml.write(h, r, "a stale read late in 600 operations", page);
    String html = Files.readString(page);
    Matcher cut = Pattern.compile("data-cut=\"(\\d+)\"").matcher(html);
    assertTrue(cut.find() && Integer.parseInt(cut.group(1)) > 3 * WIDTH,
        "the conflict must start far off the first screen for this test to mean anything");

    Path png = DIR.resolve("conflict.png").toAbsolutePath();
    Files.deleteIfExists(png);
    Run shot = chromium("--screenshot=" + png, page.toUri().toString());
    assertTrue(Files.exists(png), "no screenshot\n" + shot.stderr());
    assertEquals(List.of(), console(shot.stderr()), "console messages while loading the page");
    Run dom = chromium("--dump-dom", page.toUri().toString());
    assertEquals(List.of(), console(dom.stderr()), "console messages while loading the page");

    int culprits = r.counterexample().orElseThrow().window().size();
    assertEquals(culprits, intAttribute(dom.stdout(), "data-conflict-ops"), dom.stdout().length() + " chars of DOM");
    int inView = intAttribute(dom.stdout(), "data-conflict-ops-in-view");
    assertTrue(inView >= 1, "no conflicting operation in the first screen");
    int[] box = box(attribute(dom.stdout(), "data-timeline-box"));
    assertTrue(box[1] < HEIGHT - 100, "the timeline starts in the first screen: " + box[1]);
    long red = conflictPixels(ImageIO.read(png.toFile()), box);
    assertTrue(red > 300, "the screenshot shows the conflict's red fill inside the timeline: " + red + " pixels");
    System.out.println("TimelineBrowserTest: " + inView + " of " + culprits + " conflicting operations in view, "
        + red + " red pixels; screenshot " + png);
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static Run chromium(String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(DIR, "profile");
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(), "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
        "--window-size=" + WIDTH + "," + HEIGHT, "--virtual-time-budget=3000"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(DIR, "out", ".txt");
    Path err = Files.createTempFile(DIR, "err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 180 s: " + String.join(" ", cmd));
    }
    Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  /** The lines Chromium logs for console messages and uncaught errors of the page. */
  private static List<String> console(String stderr) {
    return stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
  }

  private static String attribute(String dom, String name) {
    Matcher m = Pattern.compile("<body[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(dom);
    assertTrue(m.find(), "<body " + name + "> missing: did the page's script run?");
    return m.group(1);
  }

  private static int intAttribute(String dom, String name) {
    return Integer.parseInt(attribute(dom, name));
  }

  private static int[] box(String csv) {
    String[] parts = csv.split(",");
    int[] out = new int[4];
    for (int i = 0; i < 4; i++) {
      out[i] = Integer.parseInt(parts[i].trim());
    }
    return out;
  }

  /** Pixels of the conflict's fill (#ffcdd2) inside the box, within the first screen. */
  private static long conflictPixels(BufferedImage image, int[] box) {
    long n = 0;
    for (int y = Math.max(0, box[1]); y < Math.min(image.getHeight(), box[3]); y++) {
      for (int x = Math.max(0, box[0]); x < Math.min(image.getWidth(), box[2]); x++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        int dr = Math.abs((rgb >> 16) - 0xFF);
        int dg = Math.abs(((rgb >> 8) & 0xFF) - 0xCD);
        int db = Math.abs((rgb & 0xFF) - 0xD2);
        if (dr + dg + db < 24) {
          n++;
        }
      }
    }
    return n;
  }
}
