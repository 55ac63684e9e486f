package io.raftbed.chaos.cli;

import io.raftbed.linearizability.cli.Exits;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/raftbed cluster|bench|chaos|proxy|certs}: the launcher passes the
 * subcommand's name as the first argument.
 */
@Command(name = "raftbed", mixinStandardHelpOptions = true,
    description = "Real clusters of raftbed node processes on this machine.",
    subcommands = {ClusterCommand.class, BenchCommand.class, ChaosCommand.class, ProxyCommand.class,
        CertsCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Exits.exitWith("raftbed", () -> run(args));
  }

  /** Runs a command and returns its exit code: bad input is one line and 2, never a stack trace. */
  public static int run(String... args) {
    return new CommandLine(new Main()).setParameterExceptionHandler(Usage::badOption)
        .setExecutionExceptionHandler(Usage::escaped).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a command: cluster, bench, chaos or proxy");
  }
}
