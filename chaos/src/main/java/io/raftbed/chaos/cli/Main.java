package io.raftbed.chaos.cli;

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
    int code;
    try {
      code = run(args);
    } catch (Throwable t) {
      // An Error (out of memory, a class missing from a jar replaced underneath) escapes picocli; left
      // alone, the JVM would exit 1, which means a verdict here. It is a crash: 70.
      try {
        System.err.println("raftbed: internal error (a crash, not a verdict): " + t);
      } finally {
        Runtime.getRuntime().halt(70);
      }
      return;
    }
    System.exit(code);
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
