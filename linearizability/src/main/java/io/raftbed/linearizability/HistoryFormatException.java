package io.raftbed.linearizability;

import java.io.IOException;

/**
 * A history file that cannot be read: names the file, the line (1-based; 0 if unknown) and what
 * was expected. Immutable.
 */
public final class HistoryFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;

  public HistoryFormatException(String source, int line, String message) {
    super(source + (line > 0 ? ":" + line : "") + ": " + message);
    this.source = source;
    this.line = line;
  }

  /** The file (or other source) name. */
  public String source() {
    return source;
  }

  /** 1-based line, or 0 if unknown. */
  public int line() {
    return line;
  }
}
