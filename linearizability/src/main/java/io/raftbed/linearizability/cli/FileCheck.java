package io.raftbed.linearizability.cli;

import io.raftbed.linearizability.CheckOptions;
import io.raftbed.linearizability.CheckResult;
import io.raftbed.linearizability.Checker;
import io.raftbed.linearizability.Histories;
import io.raftbed.linearizability.History;
import io.raftbed.linearizability.HistoryFormat;
import io.raftbed.linearizability.HistoryFormatException;
import io.raftbed.linearizability.Knossos;
import io.raftbed.linearizability.PartitionResult;
import io.raftbed.linearizability.TimelineHtml;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks one file for {@link CheckCommand}. {@link #checkQuietly} may run on several threads at
 * once (files in parallel); {@link #checkOne} prints and is for the main thread.
 */
final class FileCheck {
  /** A file's outcome: the result, or the bad-input message; notes and a one-line report. */
  record Outcome(Path file, CheckResult result, String error, List<String> notes, String line) {
    int exitCode() {
      return result == null ? CheckCommand.EXIT_BAD_INPUT : result.verdict().exitCode();
    }
  }

  private record Loaded(History history, Settings settings) {}

  private final CheckCommand cmd;
  private final CheckOptions options;
  private final boolean htmlIsDirectory;

  FileCheck(CheckCommand cmd, Duration shrink, boolean htmlIsDirectory) {
    this.cmd = cmd;
    this.htmlIsDirectory = htmlIsDirectory;
    this.options = CheckOptions.defaults().withTimeLimit(cmd.timeLimit).withShrinkTimeLimit(shrink)
        .withParallelism(cmd.threads).withMemoryLimitBytes(cmd.memoryLimitMib << 20);
  }

  /** True if the file's content looks like one of the history formats. */
  static boolean looksLikeHistory(Path file) {
    try {
      return HistoryFormat.detect(Files.readString(file, StandardCharsets.UTF_8)) != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Checks and prints everything: settings, verdict, counterexample, HTML, Knossos. */
  Outcome checkOne(Path file, PrintWriter out) {
    Outcome o = check(file);
    if (o.result() == null) {
      out.println(file + ": BAD INPUT: " + o.error());
      return o;
    }
    CheckResult r = o.result();
    out.println(file + ": " + r.summary());
    o.notes().forEach(n -> out.println("  " + n));
    if (!cmd.quiet) {
      r.counterexample().ifPresent(c -> out.print(c.describe()));
      for (PartitionResult p : r.partitions()) {
        if (p.reason() != null && r.partitions().size() > 1) {
          out.println("  key " + p.key() + ": " + p.verdict() + ": " + p.reason());
        }
      }
    }
    return o;
  }

  /** Checks; the outcome's {@code line} is one line (plus notes) for the file. Thread-safe. */
  Outcome checkQuietly(Path file) {
    long start = System.nanoTime();
    Outcome o = check(file);
    long ms = (System.nanoTime() - start) / 1_000_000;
    StringBuilder line = new StringBuilder();
    if (o.result() == null) {
      line.append(String.format(Locale.ROOT, "%-60s %-17s %6d ms  %s%n", file, "BAD INPUT", ms, o.error()));
    } else {
      CheckResult r = o.result();
      int ops = r.partitions().stream().mapToInt(PartitionResult::operations).sum();
      line.append(String.format(Locale.ROOT, "%-60s %-17s %6d ms  %s, %d ops%s%n", file, r.verdict(), ms, r.model(),
          ops, r.reason() == null ? "" : ": " + r.reason()));
      o.notes().stream().filter(n -> !n.startsWith("format ")).forEach(n -> line.append("  ").append(n).append('\n'));
    }
    return new Outcome(o.file(), o.result(), o.error(), o.notes(), line.toString());
  }

  private Outcome check(Path file) {
    Loaded loaded;
    try {
      loaded = load(file);
    } catch (IOException e) {
      return new Outcome(file, null, e instanceof HistoryFormatException ? e.getMessage()
          : "cannot read: " + Converters.describe(e), List.of(), "");
    }
    CheckResult result;
    try {
      result = Checker.check(loaded.history(), loaded.settings().model(),
          options.withFailSemantics(loaded.settings().failSemantics()));
    } catch (IllegalArgumentException e) {
      return new Outcome(file, null, file + ": " + e.getMessage(), List.of(), "");
    }
    List<String> notes = new ArrayList<>();
    notes.add(loaded.settings().describe());
    writeHtml(file, loaded.history(), result, notes);
    if (cmd.knossos) {
      notes.add(compareWithKnossos(loaded, result));
    }
    return new Outcome(file, result, null, notes, "");
  }

  private Loaded load(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    HistoryFormat format = cmd.format.equals("auto") ? HistoryFormat.detect(text) : HistoryFormat.parse(cmd.format);
    if (format == null) {
      throw new HistoryFormatException(file.toString(), 1,
          "unrecognized format: expected Jepsen EDN, JSON lines or Jepsen log lines (or give --format)");
    }
    History history = Histories.parse(text, format, file.toString());
    return new Loaded(history, Settings.resolve(cmd, format, history, Histories.recordedFailSemantics(text)));
  }

  private void writeHtml(Path file, History history, CheckResult result, List<String> notes) {
    if (cmd.html == null || (htmlIsDirectory && result.isLinearizable())) {
      return;
    }
    Path target = cmd.html;
    try {
      if (htmlIsDirectory) {
        Files.createDirectories(cmd.html);
        target = cmd.html.resolve(file.getFileName() + ".html");
      }
      TimelineHtml.write(history, result, file.getFileName().toString(), target);
      notes.add("timeline: " + target);
    } catch (IOException e) {
      notes.add("timeline: cannot write " + target + ": " + e.getMessage());
    }
  }

  private String compareWithKnossos(Loaded loaded, CheckResult result) {
    Knossos.Result k = Knossos.check(loaded.history(), loaded.settings().model(),
        loaded.settings().failSemantics(), cmd.timeLimit);
    return switch (k.verdict()) {
      case UNKNOWN -> "knossos: skipped: " + k.detail();
      case LINEARIZABLE, NOT_LINEARIZABLE -> "knossos: " + k.verdict()
          + (k.verdict() == result.verdict() ? " (agrees)" : " (DISAGREES)");
    };
  }
}
