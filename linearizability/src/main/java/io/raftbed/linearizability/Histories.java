package io.raftbed.linearizability;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading and writing history files. Read errors are {@link HistoryFormatException}s that name
 * the file, the line and what was expected. Stateless; thread-safe.
 *
 * <p>Semantics that come with a format are the caller's to apply: a Jepsen log (etcd) should be
 * checked with {@link FailSemantics#CAS_FAIL_HAPPENED}; EDN written for Knossos' register models
 * with {@link NilReads#UNKNOWN}.
 */
public final class Histories {
  private Histories() {}

  /** Reads a file whose format is detected from its content ({@link HistoryFormat#detect}). */
  public static History read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    HistoryFormat format = HistoryFormat.detect(text);
    if (format == null) {
      throw new HistoryFormatException(file.toString(), 1,
          "not a history: expected Jepsen EDN ([{:process 0, :type :invoke, ...}] or one map per line),"
              + " JSON lines ({\"process\": 0, \"type\": \"invoke\", ...}) or Jepsen log lines"
              + " (INFO jepsen.util - 0 :invoke :read nil)");
    }
    return parse(text, format, file.toString());
  }

  public static History read(Path file, HistoryFormat format) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), format, file.toString());
  }

  public static History readEdn(Path file) throws IOException {
    return read(file, HistoryFormat.EDN);
  }

  public static History readJsonl(Path file) throws IOException {
    return read(file, HistoryFormat.JSONL);
  }

  public static History readJepsenLog(Path file) throws IOException {
    return read(file, HistoryFormat.JEPSEN_LOG);
  }

  /** Parses text in the given format; {@code source} names it in errors. */
  public static History parse(String text, HistoryFormat format, String source) throws HistoryFormatException {
    return switch (format) {
      case EDN -> EdnHistories.read(text, source);
      case JSONL -> JsonlHistories.read(text, source);
      case JEPSEN_LOG -> JepsenLogHistories.read(text, source);
    };
  }

  /** Writes Jepsen EDN (a vector, one operation per line); keyed values as {@code [key value]} tuples. */
  public static void writeEdn(History history, Writer out) throws IOException {
    EdnHistories.write(history, out);
  }

  public static void writeEdn(History history, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeEdn(history, out);
    }
  }

  /** The comment that {@link #writeEdn(History, FailSemantics, Path)} puts first. */
  public static final String FAIL_SEMANTICS_COMMENT = "; raftbed fail-semantics: ";

  /**
   * Writes EDN after a comment line that records the fail semantics the history was recorded
   * with (e.g. {@code ; raftbed fail-semantics: cas-fail-happened}), so that {@code raftbed check}
   * applies them without being told; EDN readers, Knossos included, skip the comment.
   */
  public static void writeEdn(History history, FailSemantics failSemantics, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(FAIL_SEMANTICS_COMMENT + failSemantics.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "\n");
      writeEdn(history, out);
    }
  }

  /** The fail semantics recorded by {@link #writeEdn(History, FailSemantics, Path)} in {@code text}, or null. */
  public static FailSemantics recordedFailSemantics(String text) {
    if (!text.startsWith(FAIL_SEMANTICS_COMMENT)) {
      return null;
    }
    int end = text.indexOf('\n');
    String name = text.substring(FAIL_SEMANTICS_COMMENT.length(), end < 0 ? text.length() : end).strip();
    for (FailSemantics f : FailSemantics.values()) {
      if (f.name().equalsIgnoreCase(name.replace('-', '_'))) {
        return f;
      }
    }
    return null;
  }

  /** Writes JSON lines, keys in a {@code "key"} field. */
  public static void writeJsonl(History history, Writer out) throws IOException {
    JsonlHistories.write(history, out);
  }

  public static void writeJsonl(History history, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeJsonl(history, out);
    }
  }

  /** The history as an EDN string. */
  public static String toEdn(History history) {
    StringWriter out = new StringWriter();
    try {
      writeEdn(history, out);
    } catch (IOException e) {
      throw new AssertionError("StringWriter does not throw", e);
    }
    return out.toString();
  }
}
