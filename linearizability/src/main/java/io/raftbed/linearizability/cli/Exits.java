package io.raftbed.linearizability.cli;

import java.util.function.IntSupplier;

/**
 * The end of every {@code bin/raftbed} command's {@code main}: exits with the code the command
 * returns, and turns anything that escapes it (an Error such as out of memory, or a class missing
 * from a jar replaced underneath) into exit 70. Left alone, the JVM would exit 1, which means a
 * verdict (a violation, not linearizable) in this project. It lives in the checker's module because
 * every command-line module depends on it; {@code check} itself keeps its own contract (exit 4).
 */
public final class Exits {
  /** Exit status of a crash: never a verdict's code. */
  public static final int CRASH = 70;

  private Exits() {}

  /** Runs {@code command} and exits with its status ({@link System#exit}: shutdown hooks run). */
  public static void exitWith(String name, IntSupplier command) {
    int code;
    try {
      code = command.getAsInt();
    } catch (Throwable t) {
      try {
        System.err.println(name + ": internal error (a crash, not a verdict): " + t);
      } finally {
        Runtime.getRuntime().halt(CRASH);
      }
      return;
    }
    System.exit(code);
  }
}
