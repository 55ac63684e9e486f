package io.raftbed.reports;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) driven from the command line: the DOM after the
 * page's scripts ran, with the browser's console log, and screenshots. Each call runs one browser
 * process with a profile of its own, bounded in time; on a timeout it and its children are ended.
 */
final class Chromium {
  static final long TIMEOUT_SECONDS = 90;

  private final String binary;

  private Chromium(String binary) {
    this.binary = binary;
  }

  /** The browser on this machine ({@code RAFTBED_CHROMIUM}, else chromium on the PATH), or null. */
  static Chromium find() {
    String env = System.getenv("RAFTBED_CHROMIUM");
    if (env != null && !env.isBlank()) {
      return new Chromium(env);
    }
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return new Chromium(p.toString());
        }
      }
    }
    return null;
  }

  /**
   * What the browser saw.
   *
   * @param dom the document after its scripts ran
   * @param consoleLines the browser's log lines that report console messages or page errors
   */
  record Page(String dom, List<String> consoleLines) {}

  Page load(Path html, Path profile) throws IOException, InterruptedException {
    Path log = Files.createTempFile(profile.getParent(), "chromium-", ".log");
    List<String> args = base(profile);
    args.addAll(List.of("--enable-logging=stderr", "--v=0", "--dump-dom", html.toUri().toString()));
    String dom = run(args, log);
    List<String> console = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.contains(":CONSOLE(") || line.contains("Uncaught")) {
        console.add(line);
      }
    }
    return new Page(dom, console);
  }

  void screenshot(Path html, Path png, int width, int height, Path profile) throws IOException, InterruptedException {
    Files.createDirectories(png.getParent());
    Files.deleteIfExists(png);
    List<String> args = base(profile);
    args.addAll(List.of("--hide-scrollbars", "--window-size=" + width + "," + height,
        "--screenshot=" + png.toAbsolutePath(), html.toUri().toString()));
    run(args, Files.createTempFile(profile.getParent(), "chromium-", ".log"));
  }

  private List<String> base(Path profile) {
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    return new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath()));
  }

  private static String run(List<String> args, Path stderr) throws IOException, InterruptedException {
    Path stdout = Files.createTempFile(stderr.getParent(), "chromium-", ".out");
    Process p = new ProcessBuilder(args).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", args));
    }
    if (p.exitValue() != 0) {
      throw new IOException("chromium exited " + p.exitValue() + ": " + Files.readString(stderr));
    }
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }
}
