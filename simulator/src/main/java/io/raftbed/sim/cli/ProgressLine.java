package io.raftbed.sim.cli;

import java.io.PrintWriter;

/**
 * One live progress line on standard error: redrawn in place on a terminal, and written as a plain
 * line at most every {@link #PLAIN_INTERVAL_NANOS} when standard error is a file or a pipe (CI logs
 * then stay readable, without escape codes). Not thread-safe: one reporting thread.
 */
final class ProgressLine {
  private static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private long lastPlainNanos;

  /** @param terminal whether {@code out} is a terminal that understands {@code \r} and erase-line */
  ProgressLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** A progress line on {@code out}, redrawn in place when the process runs on a terminal. */
  static ProgressLine on(PrintWriter out) {
    return new ProgressLine(out, System.console() != null);
  }

  void update(String text) {
    if (terminal) {
      out.print("\r\033[K" + text);
      out.flush();
      return;
    }
    long now = System.nanoTime();
    if (lastPlainNanos == 0 || now - lastPlainNanos >= PLAIN_INTERVAL_NANOS) {
      lastPlainNanos = now;
      out.println(text);
    }
  }

  /** Removes the line (on a terminal) before other output. */
  void clear() {
    if (terminal) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
