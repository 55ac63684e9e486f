package io.raftbed.sim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code raftbed sim|fuzz|replay}: the simulator's command line. */
@Command(name = "raftbed", mixinStandardHelpOptions = true, version = "raftbed 0.1",
    description = "Deterministic simulation of a Raft key-value cluster.",
    subcommands = {SimCommand.class})
public final class Main {
  public static void main(String[] args) {
    int code = new CommandLine(new Main()).registerConverter(Canary.class, Canary::parse)
        .setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    System.exit(code);
  }
}
