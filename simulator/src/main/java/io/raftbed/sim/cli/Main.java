package io.raftbed.sim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code raftbed sim|fuzz|replay}: the simulator's command line. */
@Command(name = "raftbed", mixinStandardHelpOptions = true, version = "raftbed 0.1",
    description = "Deterministic simulation of a Raft key-value cluster.",
    subcommands = {SimCommand.class, FuzzCommand.class, ReplayCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its converters, for {@link #main} and tests. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).registerConverter(Canary.class, Canary::parse)
        .setCaseInsensitiveEnumValuesAllowed(true).setParameterExceptionHandler(Main::badUsage);
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
