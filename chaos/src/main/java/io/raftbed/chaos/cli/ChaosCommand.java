package io.raftbed.chaos.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code raftbed chaos}: scenario scripts, not built yet; says so instead of pretending. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = "Runs a chaos scenario script against a local cluster (not available yet).")
final class ChaosCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "A scenario YAML file.")
  String scenario;

  @Override
  public Integer call() {
    System.err.println("raftbed chaos: scenario scripts are not implemented yet; use 'raftbed cluster' with"
        + " kill/start to inject faults by hand.");
    return 2;
  }
}
