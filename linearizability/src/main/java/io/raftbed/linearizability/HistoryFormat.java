package io.raftbed.linearizability;

import java.util.Locale;

/** The history file formats, with detection from a file's content. */
public enum HistoryFormat {
  /** Jepsen EDN: a vector of operation maps, or one map per line. */
  EDN,
  /** JSON lines: one operation object per line. */
  JSONL,
  /** Jepsen log lines ({@code INFO jepsen.util - 3 :invoke :cas [1 4]}), as in Porcupine's etcd histories. */
  JEPSEN_LOG;

  /** Parses {@code edn}, {@code jsonl}, {@code jepsen-log} (case-insensitive); null if unknown. */
  public static HistoryFormat parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "edn" -> EDN;
      case "jsonl", "json" -> JSONL;
      case "jepsen-log", "log" -> JEPSEN_LOG;
      default -> null;
    };
  }

  /** The CLI name: {@code edn}, {@code jsonl}, {@code jepsen-log}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Guesses the format from the first lines of {@code text}: Jepsen log event lines, EDN
   * ({@code [}, {@code (}, or {@code {:}), or JSON ({@code {"}).
   *
   * @return the format, or null if the text looks like none of them
   */
  public static HistoryFormat detect(String text) {
    int first = skipBlankAndComments(text, 0);
    int firstLineEnd = text.indexOf('\n', first);
    String firstLine = text.substring(first, firstLineEnd < 0 ? text.length() : firstLineEnd);
    if (!firstLine.isEmpty() && "[({".indexOf(firstLine.charAt(0)) >= 0 && !firstLine.contains("jepsen.util")) {
      return structured(text, first); // EDN or JSON: skips compiling the Jepsen log pattern
    }
    int lines = 0;
    int start = 0;
    while (start < text.length() && lines < 100) {
      int end = text.indexOf('\n', start);
      String line = text.substring(start, end < 0 ? text.length() : end);
      if (JepsenLogHistories.EVENT.matcher(line).find()) {
        return JEPSEN_LOG;
      }
      lines++;
      start = end < 0 ? text.length() : end + 1;
    }
    int i = skipBlankAndComments(text, 0);
    return i >= text.length() ? null : structured(text, i);
  }

  /** EDN or JSON lines, by the first significant character at {@code i}; null if neither. */
  private static HistoryFormat structured(String text, int i) {
    char c = text.charAt(i);
    if (c == '[' || c == '(') {
      return EDN;
    }
    if (c == '{') {
      int j = skipBlankAndComments(text, i + 1);
      if (j < text.length()) {
        return text.charAt(j) == '"' ? JSONL : text.charAt(j) == ':' ? EDN : null;
      }
    }
    return null;
  }

  private static int skipBlankAndComments(String text, int from) {
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ';') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isWhitespace(c) || c == ',') {
        i++;
      } else {
        break;
      }
    }
    return i;
  }
}
