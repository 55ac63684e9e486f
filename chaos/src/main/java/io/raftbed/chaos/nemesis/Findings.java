package io.raftbed.chaos.nemesis;

import java.util.ArrayList;
import java.util.List;

/**
 * What the harness saw go wrong outside the history: a node that exited while no fault was on it, a
 * node that started on a log corrupted in its middle. Each is a violation of its own kind. Thread-safe.
 */
public final class Findings {
  /** One violation: its kind ({@code node-exit}, {@code wal-corruption-accepted}, ...) and what happened. */
  public record Finding(String kind, String detail, long atMs) {}

  private final List<Finding> found = new ArrayList<>();

  public synchronized void add(String kind, String detail) {
    found.add(new Finding(kind, detail, System.currentTimeMillis()));
  }

  public synchronized List<Finding> all() {
    return List.copyOf(found);
  }
}
