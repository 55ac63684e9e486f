package io.raftbed.linearizability;

import java.util.Objects;

/**
 * An EDN keyword value such as {@code :timed-out}, kept distinct from strings so that histories
 * round-trip through EDN. Immutable.
 *
 * @param name the keyword without its leading colon, e.g. {@code "timed-out"}
 */
public record Keyword(String name) {
  public Keyword {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return ":" + name;
  }
}
