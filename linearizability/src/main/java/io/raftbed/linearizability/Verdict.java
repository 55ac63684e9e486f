package io.raftbed.linearizability;

/** The checker's answer. {@link #UNKNOWN} is given when a budget runs out, never a guess. */
public enum Verdict {
  LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN;

  /** The CLI exit code: 0 linearizable, 1 not linearizable, 2 unknown. */
  public int exitCode() {
    return switch (this) {
      case LINEARIZABLE -> 0;
      case NOT_LINEARIZABLE -> 1;
      case UNKNOWN -> 2;
    };
  }
}
