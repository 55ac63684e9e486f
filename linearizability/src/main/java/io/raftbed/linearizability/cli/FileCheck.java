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
import io.raftbed.linearizability.Values;
import io.raftbed.linearizability.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks one file for {@link CheckCommand}. {@link #checkQuietly} may run on several threads at
 * once (files in parallel); {@link #checkOne} prints and is for the main thread.
 *
 * <p>Every way a check can end maps to one exit code: a verdict (0, 1, 2), bad input (3), or an
 * internal error (4, a bug, with the stack trace on stderr). Running out of heap is UNKNOWN (2)
 * with the reason, never a verdict.
 */
final class FileCheck {
  /**
   * A file's outcome: the result (null unless there is a verdict), or the message; notes, and a
   * one-line report for several files.
   */
  record Outcome(Path file, CheckResult result, int exitCode, String error, List<String> notes, String line) {
    static Outcome failed(Path file, int exitCode, String error) {
      return new Outcome(file, null, exitCode, error, List.of(), "");
    }

    Outcome withLine(String text) {
      return new Outcome(file, result, exitCode, error, notes, text);
    }

    String label() {
      return result != null ? result.verdict().name()
          : switch (exitCode) {
            case 2 -> "UNKNOWN";
            case CheckCommand.EXIT_BAD_INPUT -> "BAD INPUT";
            default -> "INTERNAL ERROR";
          };
    }
  }

  private record Loaded(History history, Settings settings) {}

  private final CheckArgs cmd;
  private final CheckOptions options;
  private final boolean severalFiles;

  FileCheck(CheckCommand command, Duration shrink, boolean severalFiles) {
    this.cmd = command.args;
    this.severalFiles = severalFiles;
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

  /** Checks and prints everything: settings, verdict, keys, counterexample, pages, Knossos. */
  Outcome checkOne(Path file, PrintWriter out) {
    Outcome o = check(file);
    if (o.result() == null) {
      out.println(file + ": " + o.label() + ": " + o.error());
      return o;
    }
    CheckResult r = o.result();
    out.println(file + ": " + r.summary());
    o.notes().forEach(n -> out.println("  " + n));
    if (r.partitions().size() > 1 && r.verdict() != Verdict.LINEARIZABLE) {
      out.println("  keys not linearizable: " + keys(r.illegalKeys()) + "; linearizable: " + keys(r.legalKeys())
          + "; undecided: " + keys(r.undecidedKeys()));
    }
    if (!cmd.quiet) {
      r.counterexample().ifPresent(c -> out.print(c.describe()));
      for (PartitionResult p : r.partitions()) {
        if (p.reason() != null && p.decided() && r.partitions().size() > 1) {
          out.println("  key " + Values.toEdn(p.key()) + ": " + p.verdict() + ": " + p.reason());
        }
      }
    }
    return o;
  }

  /** Up to 20 keys as EDN, then how many more. */
  private static String keys(List<Object> keys) {
    String shown = keys.stream().limit(20).map(Values::toEdn).collect(Collectors.joining(" "));
    return keys.isEmpty() ? "none" : keys.size() > 20 ? shown + " (" + (keys.size() - 20) + " more)" : shown;
  }

  /** Checks; the outcome's {@code line} is one line (plus notes) for the file. Thread-safe. */
  Outcome checkQuietly(Path file) {
    long start = System.nanoTime();
    Outcome o = check(file);
    long ms = (System.nanoTime() - start) / 1_000_000;
    StringBuilder line = new StringBuilder();
    if (o.result() == null) {
      line.append(String.format(Locale.ROOT, "%-60s %-17s %6d ms  %s%n", file, o.label(), ms, o.error()));
    } else {
      CheckResult r = o.result();
      int ops = r.partitions().stream().mapToInt(PartitionResult::operations).sum();
      line.append(String.format(Locale.ROOT, "%-60s %-17s %6d ms  %s, %d ops%s%n", file, r.verdict(), ms, r.model(),
          ops, r.reason() == null ? "" : ": " + r.reason()));
      o.notes().stream().filter(n -> !n.startsWith("format ")).forEach(n -> line.append("  ").append(n).append('\n'));
    }
    return o.withLine(line.toString());
  }

  private Outcome check(Path file) {
    try {
      return checkOrThrow(file);
    } catch (OutOfMemoryError e) {
      return Outcome.failed(file, Verdict.UNKNOWN.exitCode(), "the heap ran out ("
          + (Runtime.getRuntime().maxMemory() >> 20) + " MiB) reading or checking this file;"
          + " give the JVM more heap, e.g. RAFTBED_JAVA_OPTS=-Xmx8g");
    } catch (RuntimeException | StackOverflowError e) {
      System.err.println("raftbed check: internal error on " + file + " (a bug in the checker): " + e);
      e.printStackTrace();
      return Outcome.failed(file, CheckCommand.EXIT_INTERNAL_ERROR, "internal error (a bug in the checker): " + e);
    }
  }

  private Outcome checkOrThrow(Path file) {
    Loaded loaded;
    try {
      loaded = load(file);
    } catch (IOException e) {
      return Outcome.failed(file, CheckCommand.EXIT_BAD_INPUT,
          e instanceof HistoryFormatException ? e.getMessage() : "cannot read: " + describe(e));
    } catch (IllegalArgumentException e) {
      return Outcome.failed(file, CheckCommand.EXIT_BAD_INPUT, file + ": " + e.getMessage());
    }
    CheckResult result;
    try {
      result = Checker.check(loaded.history(), loaded.settings().model(),
          options.withFailSemantics(loaded.settings().failSemantics()));
    } catch (IllegalArgumentException e) {
      return Outcome.failed(file, CheckCommand.EXIT_BAD_INPUT, file + ": " + e.getMessage());
    }
    List<String> notes = new ArrayList<>();
    notes.add(loaded.settings().describe());
    writePages(file, loaded.history(), result, notes);
    if (cmd.knossos) {
      notes.add(compareWithKnossos(loaded, result));
    }
    return new Outcome(file, result, result.verdict().exitCode(), null, notes, "");
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

  /**
   * {@code --out DIR}: a page for every history that is not linearizable; {@code --html}: a page
   * whatever the verdict (with several files, a directory of pages for the violations).
   */
  private void writePages(Path file, History history, CheckResult result, List<String> notes) {
    if (cmd.out != null && result.verdict() == Verdict.NOT_LINEARIZABLE) {
      writePage(file, history, result, cmd.out.resolve(file.getFileName() + ".html"), notes);
    }
    if (cmd.html != null && !(severalFiles && result.isLinearizable())) {
      writePage(file, history, result, severalFiles ? cmd.html.resolve(file.getFileName() + ".html") : cmd.html, notes);
    }
  }

  private static void writePage(Path file, History history, CheckResult result, Path target, List<String> notes) {
    try {
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
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

  /** An I/O failure in words, without Java class names where the message says enough. */
  static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException n) {
      return "no such file or directory: " + n.getFile();
    }
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text";
    }
    if (e instanceof java.nio.file.FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be read");
    }
    return e.getMessage() != null ? e.getMessage() : "an I/O error";
  }
}
