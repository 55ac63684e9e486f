package io.raftbed.chaos.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/raftbed cluster|bench|chaos|proxy}: the launcher passes the subcommand's
 * name as the first argument.
 */
@Command(name = "raftbed", mixinStandardHelpOptions = true,
    description = "Real clusters of raftbed node processes on this machine.",
    subcommands = {ClusterCommand.class, BenchCommand.class, ChaosCommand.class, ProxyCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new Main());
    // An exception that escapes a command is a harness failure, never a verdict's exit code.
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      System.err.println("raftbed " + c.getCommandName() + ": internal error: " + e);
      e.printStackTrace(System.err);
      return ChaosCommand.EXIT_INTERNAL;
    });
    System.exit(cl.execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a command: cluster, bench, chaos or proxy");
  }
}
