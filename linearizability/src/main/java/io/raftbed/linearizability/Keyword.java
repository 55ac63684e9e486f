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

  // Written out rather than generated: a record's generated equals and hashCode are linked at
  // their first call, which costs a check of a small file measurable start-up time.
  @Override
  public boolean equals(Object o) {
    return o instanceof Keyword k && k.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + 7;
  }
}
