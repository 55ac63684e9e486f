package io.raftbed.sim.fuzz;

import io.raftbed.linearizability.CheckOptions;
import io.raftbed.linearizability.CheckResult;
import io.raftbed.linearizability.Checker;
import io.raftbed.linearizability.FailSemantics;
import io.raftbed.linearizability.Histories;
import io.raftbed.linearizability.Models;
import io.raftbed.linearizability.TimelineHtml;
import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.fault.FaultSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The folder a failing seed leaves, {@code DIR/failure-seed-<seed>/}: everything a person needs to
 * understand the failure and one command to replay it.
 *
 * <pre>
 * README.txt              what failed and the replay command
 * config.json             the seed, its swarm profile, the original and the minimized configuration
 * schedule.txt            the minimized schedule, one event per line (what replay runs)
 * schedule-minimized.txt  the same on one line
 * schedule-original.txt   the schedule the campaign ran, on one line
 * violation.txt           the violations' messages in full
 * trace.txt               the minimized run's last events before the violation (trace-original.txt: the original's)
 * history.edn             the minimized run's client history, Jepsen EDN
 * timeline.html           that history drawn, with the checker's counterexample when there is one
 * result.json             verdicts, digests and counts of both runs, and the minimizer's work
 * </pre>
 *
 * Writing and reading are plain file I/O on the calling thread.
 */
public final class FailureFolder {
  /** Time the checker gets to draw a timeline for a run that stopped before its own check. */
  static final Duration TIMELINE_CHECK_TIME_LIMIT = Duration.ofSeconds(10);
  static final int README_MESSAGE_CHARS_MAX = 1_500;

  private FailureFolder() {}

  /** config.json. */
  public record SavedConfig(long seed, SwarmProfile swarm, SimConfig config, SimConfig minimizedConfig) {}

  /** result.json. */
  public record SavedResult(long seed, String kind, String digest, String summary, SeedOutcome.ViolationLine violation,
      SimResult.Counts counts, int scheduleEvents, Original original, Minimization minimization) {}

  /** The original run, in result.json. */
  public record Original(String digest, String summary, SeedOutcome.ViolationLine violation, int scheduleEvents,
      long virtualMillis) {}

  /** The minimizer's work, in result.json. */
  public record Minimization(boolean skipped, int runs, boolean oneMinimal, long wallMs) {}

  /** What replay needs from a folder. */
  public record Saved(Path folder, long seed, SimConfig config, FaultSchedule schedule, SimConfig originalConfig,
      FaultSchedule originalSchedule, SavedResult result) {
    /** The minimized reproduction as a trial. */
    public Trial trial() {
      return new Trial(seed, null, config, schedule);
    }

    /** The original failing run as a trial. */
    public Trial originalTrial() {
      return new Trial(seed, null, originalConfig, originalSchedule);
    }
  }

  public static Path folderFor(Path campaignDir, long seed) {
    return campaignDir.resolve("failure-seed-" + seed);
  }

  /** Writes the folder of {@code m} under {@code campaignDir}; returns it. */
  public static Path write(Path campaignDir, Minimized m, long minimizeWallMs) throws IOException {
    Path dir = folderFor(campaignDir, m.seed());
    Files.createDirectories(dir);
    SimResult min = m.minimizedResult();
    SimResult orig = m.originalResult();
    Json.write(dir.resolve("config.json"),
        new SavedConfig(m.seed(), m.original().profile(), m.original().config(), m.minimized().config()));
    m.minimized().schedule().write(dir.resolve("schedule.txt"), "minimized fault schedule of seed " + m.seed()
        + " (" + m.minimized().schedule().size() + " of " + m.original().schedule().size()
        + " events); replay with: bin/raftbed replay " + dir);
    writeText(dir.resolve("schedule-minimized.txt"), m.minimized().schedule().print() + "\n");
    writeText(dir.resolve("schedule-original.txt"), m.original().schedule().print() + "\n");
    writeText(dir.resolve("violation.txt"), "minimized run: " + min.violation() + "\n\noriginal run: "
        + orig.violation() + "\n");
    writeText(dir.resolve("trace.txt"), min.trace() == null ? "" : min.trace());
    writeText(dir.resolve("trace-original.txt"), orig.trace() == null ? "" : orig.trace());
    Histories.writeEdn(min.history(), dir.resolve("history.edn"));
    TimelineHtml.write(min.history(), checkFor(min), "seed " + m.seed() + " (minimized)", dir.resolve("timeline.html"));
    Json.write(dir.resolve("result.json"), savedResult(m, minimizeWallMs));
    writeText(dir.resolve("README.txt"), readme(dir, m));
    return dir;
  }

  /** Reads what {@link #write} wrote; says which file is missing or malformed. */
  public static Saved read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no failure folder at " + dir + " (expected a folder written by raftbed fuzz)");
    }
    for (String name : new String[] {"config.json", "schedule.txt", "schedule-original.txt", "result.json"}) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        throw new IOException(dir + " is not a complete failure folder: " + name + " is missing");
      }
    }
    SavedConfig config = Json.read(dir.resolve("config.json"), SavedConfig.class);
    SavedResult result = Json.read(dir.resolve("result.json"), SavedResult.class);
    if (config.minimizedConfig() == null || config.config() == null || result.digest() == null) {
      throw new IOException(dir + ": config.json or result.json lacks the configuration or the digest");
    }
    return new Saved(dir, config.seed(), config.minimizedConfig(), FaultSchedule.read(dir.resolve("schedule.txt")),
        config.config(), FaultSchedule.read(dir.resolve("schedule-original.txt")), result);
  }

  private static SavedResult savedResult(Minimized m, long minimizeWallMs) {
    SimResult min = m.minimizedResult();
    SimResult orig = m.originalResult();
    return new SavedResult(m.seed(), m.kind(), min.digestHex(), min.summary(), line(min),
        min.counts(), m.minimized().schedule().size(),
        new Original(orig.digestHex(), orig.summary(), line(orig), m.original().schedule().size(),
            m.original().config().virtualMillis()),
        new Minimization(m.skipped(), m.runs(), m.oneMinimal(), minimizeWallMs));
  }

  private static SeedOutcome.ViolationLine line(SimResult r) {
    return new SeedOutcome.ViolationLine(r.violation().kind(), SeedOutcome.shorten(r.violation().message(), 4_000),
        r.violation().atMicros() / 1000);
  }

  /** The run's own verdict, or (for a run stopped early) a check of the history it has, for the timeline. */
  private static CheckResult checkFor(SimResult r) {
    if (r.check() != null) {
      return r.check();
    }
    return Checker.check(r.history(), Models.casRegisterPerKey(null), CheckOptions.defaults().withParallelism(1)
        .withTimeLimit(TIMELINE_CHECK_TIME_LIMIT).withFailSemantics(FailSemantics.CAS_FAIL_HAPPENED));
  }

  private static String readme(Path dir, Minimized m) {
    SimResult min = m.minimizedResult();
    String how = m.skipped() ? "not minimized (beyond the campaign's --minimize limit)"
        : m.runs() + " runs" + (m.oneMinimal() ? ", 1-minimal: removing any one event makes it pass"
            : ", budget spent before 1-minimality was shown");
    return "raftbed fuzz: seed " + m.seed() + " failed: " + m.kind() + "\n\n"
        + SeedOutcome.shorten(min.violation().toString(), README_MESSAGE_CHARS_MAX) + "\n\n"
        + "Replay the minimized reproduction (it checks the violation kind and the digest " + min.digestHex() + "):\n"
        + "  bin/raftbed replay " + dir + "\n"
        + "Replay the original run:\n"
        + "  bin/raftbed replay " + dir + " --original\n\n"
        + "Minimized schedule (" + m.minimized().schedule().size() + " of " + m.original().schedule().size()
        + " events, " + m.minimized().config().virtualMillis() + " of " + m.original().config().virtualMillis()
        + " virtual ms; " + how + "):\n  " + m.minimized().schedule().print() + "\n\n"
        + "Swarm profile: " + (m.original().profile() == null ? "none" : m.original().profile().describe()) + "\n"
        + "Files: config.json (seed and configurations), schedule.txt, schedule-original.txt, violation.txt,\n"
        + "trace.txt, history.edn (Jepsen EDN), timeline.html (open in a browser), result.json.\n";
  }

  private static void writeText(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
