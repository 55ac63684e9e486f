package io.raftbed.sim.cli;

import io.raftbed.linearizability.cli.Exits;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code raftbed sim|fuzz|replay}: the simulator's command line. */
@Command(name = "raftbed", mixinStandardHelpOptions = true, version = "raftbed 0.1",
    description = "Deterministic simulation of a Raft key-value cluster.",
    subcommands = {SimCommand.class, FuzzCommand.class, ReplayCommand.class})
public final class Main {
  public static void main(String[] args) {
    Exits.exitWith("raftbed", () -> run(args));
  }

  /** Runs {@code sim}, {@code fuzz} or {@code replay} with {@code args} and returns the exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with its converters, for {@link #main} and tests. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).registerConverter(Canary.class, Main::canary)
        .setCaseInsensitiveEnumValuesAllowed(true).setParameterExceptionHandler(Main::badUsage)
        .setExecutionExceptionHandler(Main::crashed);
  }

  /**
   * Anything that escapes a command is a crash, not a verdict: one line and exit 70 (exit 1 means a
   * violation). {@code RAFTBED_DEBUG} set prints the stack trace too.
   */
  private static int crashed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String what = e.getMessage() != null ? e.getMessage() : "an internal error (" + e.getClass().getSimpleName() + ")";
    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": failed: " + what
        + (System.getenv("RAFTBED_DEBUG") == null ? " (RAFTBED_DEBUG=1 prints the stack trace)" : ""));
    if (System.getenv("RAFTBED_DEBUG") != null) {
      e.printStackTrace(new java.io.PrintWriter(cmd.getErr(), true));
    }
    cmd.getErr().flush();
    return 70;
  }

  /** A canary by name; an unknown one is a conversion error (its message, without the exception's class). */
  private static Canary canary(String name) {
    try {
      return Canary.parse(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** Says what is wrong and where help is, without burying the message under the whole usage text. */
  private static int badUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println(cmd.getColorScheme().errorText(e.getMessage()));
    cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
