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
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a command: cluster, bench, chaos or proxy");
  }
}
