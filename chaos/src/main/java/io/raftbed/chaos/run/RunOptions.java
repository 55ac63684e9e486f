package io.raftbed.chaos.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a scenario is run, beyond the scenario itself.
 *
 * @param runDir the run's own folder (created; must not hold an earlier run)
 * @param scenarioText the script as the user wrote it, copied into the folder
 * @param rerunCommand the command line that runs this again, for the folder's README
 * @param canary the unsafe choice turned on, or null
 * @param toxiproxyUrl a Toxiproxy server to use instead of the embedded proxy, or null
 * @param javaOptions JVM options of every node, before the scenario's own
 * @param out where progress goes
 * @param checkBudget how long the linearizability checker may take before the verdict is unknown
 */
public record RunOptions(Path runDir, String scenarioText, String rerunCommand, String canary, String toxiproxyUrl,
    List<String> javaOptions, PrintStream out, Duration checkBudget) {

  /** JVM options for chaos nodes: small heaps and a quick start, since several share two cores with the harness. */
  public static final List<String> NODE_JAVA_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED");

  public RunOptions {
    javaOptions = List.copyOf(javaOptions);
  }
}
