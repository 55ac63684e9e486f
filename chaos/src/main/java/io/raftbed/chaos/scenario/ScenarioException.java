package io.raftbed.chaos.scenario;

/** A scenario that cannot run: the message names the field and what is wrong with it. */
public final class ScenarioException extends RuntimeException {
  public ScenarioException(String message) {
    super(message);
  }
}
