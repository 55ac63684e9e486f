package io.raftbed.sim;

/**
 * A broken safety or liveness property, found online (after an event) or at the end of a run.
 *
 * @param kind a stable short name, e.g. {@code election-safety}, {@code linearizability}
 * @param message what was seen, with the node, term and index involved
 * @param atMicros virtual time when it was found
 */
public record Violation(String kind, String message, long atMicros) {
  @Override
  public String toString() {
    return kind + " at " + (atMicros / 1000) + "ms: " + message;
  }
}
