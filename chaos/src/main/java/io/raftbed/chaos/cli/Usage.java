package io.raftbed.chaos.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * How the commands of this module fail: bad input is one line naming what is wrong and exit
 * {@value #EXIT_USAGE}; anything else that escapes a command is one line and exit
 * {@value #EXIT_CRASH}, so a crash never reads as a command's own result. The stack trace is printed
 * only when {@code RAFTBED_DEBUG} is set.
 *
 * <p>Stateless.
 */
final class Usage {
  static final int EXIT_USAGE = 2;
  static final int EXIT_CRASH = 70;

  private Usage() {}

  /** Prints {@code raftbed COMMAND: MESSAGE} and returns the usage exit code. */
  static int fail(String command, String message) {
    System.err.println("raftbed " + command + ": " + message);
    return EXIT_USAGE;
  }

  /** Picocli's hook for options that do not parse: the message and where help is, no usage dump. */
  static int badOption(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage() + " (see '"
        + cmd.getCommandSpec().qualifiedName() + " --help')");
    cmd.getErr().flush();
    return EXIT_USAGE;
  }

  /** Picocli's hook for exceptions from a command: validation failures are usage errors, the rest crashes. */
  static int escaped(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String name = cmd.getCommandSpec().qualifiedName();
    boolean usage = e instanceof IllegalArgumentException;
    cmd.getErr().println(name + ": " + (usage ? e.getMessage() : "failed: " + describe(e)));
    if (System.getenv("RAFTBED_DEBUG") != null) {
      e.printStackTrace(new java.io.PrintWriter(cmd.getErr(), true));
    }
    cmd.getErr().flush();
    return usage ? EXIT_USAGE : EXIT_CRASH;
  }

  /** What went wrong, in words rather than exception class names. */
  static String describe(Throwable e) {
    Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
    return switch (t) {
      case NoSuchFileException n -> "no such file or directory: " + n.getFile();
      case AccessDeniedException a -> "permission denied: " + a.getFile();
      case FileSystemException f -> f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be used");
      case IOException io -> io.getMessage() != null ? io.getMessage() : "an I/O error";
      default -> t.getMessage() != null ? t.getMessage() : "an internal error (" + t.getClass().getSimpleName()
          + "); RAFTBED_DEBUG=1 prints the stack trace";
    };
  }
}
