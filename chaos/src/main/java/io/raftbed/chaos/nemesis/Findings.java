package io.raftbed.chaos.nemesis;

import java.util.ArrayList;
import java.util.List;

/**
 * What the harness saw go wrong outside the history. A violation ({@link #add}): a node that exited
 * while no fault was on it, a node that started on a log corrupted in its middle. An environment
 * problem ({@link #addEnvironment}): something outside the cluster under test got in the way, such
 * as another program taking a stopped node's port, so that the checks that need every node up
 * cannot be trusted. Thread-safe.
 */
public final class Findings {
  /** One finding: its kind ({@code node-exit}, {@code port-taken}, ...), what happened, and which sort it is. */
  public record Finding(String kind, String detail, long atMs, boolean environment) {}

  private final List<Finding> found = new ArrayList<>();

  public synchronized void add(String kind, String detail) {
    found.add(new Finding(kind, detail, System.currentTimeMillis(), false));
  }

  public synchronized void addEnvironment(String kind, String detail) {
    found.add(new Finding(kind, detail, System.currentTimeMillis(), true));
  }

  public synchronized List<Finding> all() {
    return List.copyOf(found);
  }
}
