package io.raftbed.chaos.cli;

import io.raftbed.chaos.backend.ContainerImages;
import io.raftbed.chaos.run.Canary;
import io.raftbed.chaos.run.ChaosRun;
import io.raftbed.chaos.run.RunOptions;
import io.raftbed.chaos.run.RunSummary;
import io.raftbed.chaos.run.ShippedScenarios;
import io.raftbed.chaos.scenario.Durations;
import io.raftbed.chaos.scenario.Scenario;
import io.raftbed.chaos.scenario.ScenarioException;
import io.raftbed.chaos.scenario.ScenarioParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftbed chaos run|list}: scenario scripts against a real cluster behind fault proxies.
 * Exit codes (every one means one thing): 0 every run passed; 1 a run found a violation; 2 bad
 * usage, a bad scenario or an environment problem (a tool missing, a port taken, the proxy server
 * unreachable); 3 a run could not be judged (the checker's budget ran out, or the cluster never
 * elected a leader at the start); 70 the harness itself failed (a bug in raftbed, not a verdict).
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = "Chaos scenario scripts on real node processes behind Toxiproxy-API fault proxies.",
    subcommands = {ChaosCommand.Run.class, ChaosCommand.ListScenarios.class})
final class ChaosCommand {
  static final int EXIT_PASS = 0;
  static final int EXIT_VIOLATION = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_UNDECIDED = 3;
  static final int EXIT_INTERNAL = 70;

  static final String EXIT_CODES = "%nExit codes: 0 every run passed; 1 a violation (linearizability, liveness,"
      + " durability, or a node that crashed or started on a corrupted log); 2 bad usage, a bad scenario or an"
      + " environment problem (nothing was judged); 3 a run could not be judged (checker budget, or no leader at the"
      + " start); 70 an internal error of the harness.";

  private ChaosCommand() {}

  @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Runs scenario scripts: a fresh cluster of node processes, every peer and client link through"
          + " its own fault proxy, a workload recording a Jepsen history, the scenario's fault timeline, the final"
          + " heal and quiet period, then the checks (linearizability, liveness after the heal, durability across"
          + " a whole-cluster kill -9). Each run writes a folder under --out: scenario, plan, fault log, history,"
          + " node logs, verdict, summary, the checker's timeline and a README with the command that re-runs it.",
          "",
          "Fault proxies: the embedded Toxiproxy-API proxy, or a real Toxiproxy server when TOXIPROXY_URL (or"
          + " --toxiproxy) names one."},
      footer = {EXIT_CODES})
  static final class Run implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Scenario YAML files (see 'raftbed chaos list').")
    List<Path> files = new ArrayList<>();

    @Option(names = "--all", description = "Run every shipped scenario (chaos/scenarios/*.yaml).")
    boolean all;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where run folders go (created).")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenarios' seeds (fault schedule and"
        + " workload choices).")
    Long seed;

    @Option(names = "--runs", defaultValue = "1", paramLabel = "N", description = "Run the scenarios N times over,"
        + " with seeds seed, seed+1, ...; stops at the first failing run unless --keep-going. Default:"
        + " ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--keep-going", description = "With --runs or several scenarios: go on after a failing run.")
    boolean keepGoing;

    @Option(names = "--canary", paramLabel = "NAME", description = "Turn an unsafe choice on, which the run must"
        + " catch (exit 1): ${COMPLETION-CANDIDATES}.", completionCandidates = Canary.Names.class)
    String canary;

    @Option(names = "--backend", paramLabel = "NAME", description = "Where nodes run, overriding the scenario:"
        + " processes or containers.")
    String backend;

    @Option(names = "--toxiproxy", paramLabel = "URL", description = "A Toxiproxy server to drive instead of the"
        + " embedded proxy. Default: $TOXIPROXY_URL when set.")
    String toxiproxy;

    @Option(names = "--time-scale", defaultValue = "1", paramLabel = "X", description = "Multiply every duration of"
        + " the scenario (timeline, fault lengths, quiet period) by X, e.g. 0.5 for a quicker run. Default:"
        + " ${DEFAULT-VALUE}.")
    double timeScale;

    @Option(names = "--check-seconds", defaultValue = "120", paramLabel = "S", description = "Budget of the"
        + " linearizability checker per run; beyond it the run is undecided (exit 3). Default: ${DEFAULT-VALUE}.")
    int checkSeconds;

    @Option(names = "--java-opt", paramLabel = "OPT", description = "A JVM option for every node, repeatable"
        + " (default: a small heap and a quick start, as several nodes share the machine).")
    List<String> javaOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintStream err = System.err;
      List<Path> scenarios;
      try {
        scenarios = scenarioFiles();
      } catch (CommandLine.ParameterException e) {
        err.println("raftbed chaos run: " + e.getMessage());
        return EXIT_USAGE;
      } catch (IOException e) {
        err.println("raftbed chaos run: " + e.getMessage());
        return EXIT_USAGE;
      }
      String problem = checkOptions();
      if (problem != null) {
        err.println("raftbed chaos run: " + problem);
        return EXIT_USAGE;
      }
      List<Scenario> parsed = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (Path f : scenarios) {
        try {
          Scenario s = ScenarioParser.parse(f);
          if (canary != null) {
            s = Canary.byName(canary).apply(s);
          }
          if (backend != null) {
            s = s.withBackend(backend);
          }
          if (timeScale != 1) {
            s = s.scaled(timeScale);
          }
          parsed.add(s);
          texts.add(Files.readString(f));
        } catch (ScenarioException | NoSuchFileException e) {
          err.println("raftbed chaos run: " + e.getMessage());
          return EXIT_USAGE;
        } catch (IOException e) {
          err.println("raftbed chaos run: cannot read " + f + ": " + e.getMessage());
          return EXIT_USAGE;
        }
      }
      return runAll(scenarios, parsed, texts);
    }

    private List<Path> scenarioFiles() throws IOException {
      if (all && !files.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give scenario files or --all, not both");
      }
      if (all) {
        return ShippedScenarios.files();
      }
      if (files.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a scenario file, or --all (the shipped"
            + " scenarios: raftbed chaos list)");
      }
      return files;
    }

    private String checkOptions() {
      if (runs < 1 || runs > 10_000) {
        return "--runs must be in 1..10000, got " + runs;
      }
      if (!(timeScale >= 0.05 && timeScale <= 100)) {
        return "--time-scale must be in 0.05..100, got " + timeScale;
      }
      if (checkSeconds < 1) {
        return "--check-seconds must be at least 1, got " + checkSeconds;
      }
      if (canary != null && Canary.byNameOrNull(canary) == null) {
        return "no canary '" + canary + "'; one of " + String.join(", ", Canary.names());
      }
      if (backend != null && !backend.equals("processes") && !backend.equals("containers")) {
        return "--backend must be processes or containers, got '" + backend + "'";
      }
      if (Files.exists(out) && !Files.isDirectory(out)) {
        return "--out " + out + " is a file, not a directory";
      }
      return null;
    }

    private int runAll(List<Path> files, List<Scenario> scenarios, List<String> texts) {
      PrintStream o = System.out;
      if (scenarios.stream().anyMatch(s -> s.backend().equals("containers"))) {
        String problem = buildImages(o);
        if (problem != null) {
          System.err.println("raftbed chaos run: " + problem);
          return EXIT_USAGE;
        }
      }
      List<RunSummary> done = new ArrayList<>();
      int worst = EXIT_PASS;
      String toxiproxyUrl = toxiproxy != null ? toxiproxy : System.getenv("TOXIPROXY_URL");
      outer:
      for (int r = 0; r < runs; r++) {
        for (int i = 0; i < scenarios.size(); i++) {
          Scenario s = scenarios.get(i);
          s = s.withSeed((seed != null ? seed : s.seed()) + r);
          Path dir;
          try {
            dir = runFolder(s);
          } catch (IOException e) {
            System.err.println("raftbed chaos run: cannot create a folder under " + out + ": " + e.getMessage());
            return EXIT_USAGE;
          }
          int total = runs * scenarios.size();
          if (total > 1) {
            o.printf("%n== run %d of %d: %s, seed %d%n", r * scenarios.size() + i + 1, total, s.name(), s.seed());
          }
          RunOptions options = new RunOptions(dir, texts.get(i), rerun(files.get(i), s), canary, toxiproxyUrl,
              javaOptions != null ? javaOptions : RunOptions.NODE_JAVA_OPTIONS, o, Duration.ofSeconds(checkSeconds));
          int code;
          try {
            RunSummary summary = new ChaosRun(s, options).run();
            o.print(summary.text());
            done.add(summary);
            code = summary.verdict().exitCode();
          } catch (ChaosRun.EnvironmentException e) {
            System.err.println("raftbed chaos run: " + s.name() + ": " + e.getMessage());
            code = EXIT_USAGE;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("raftbed chaos run: interrupted");
            return EXIT_INTERNAL;
          } catch (Exception | Error e) {
            System.err.println("raftbed chaos run: " + s.name() + ": internal error of the harness (not a verdict): "
                + e);
            e.printStackTrace(System.err);
            code = EXIT_INTERNAL;
          }
          worst = worse(worst, code);
          if (code != EXIT_PASS && !keepGoing) {
            break outer;
          }
        }
      }
      if (done.size() > 1) {
        o.print(table(done));
      }
      return worst;
    }

    /**
     * Builds or refreshes the node and proxy images from this checkout's jars (a few seconds when
     * nothing changed), so a container run never tests stale code; null when done, else why not.
     * Without a checkout ({@code raftbed.home} unset) the images must exist already.
     */
    private String buildImages(PrintStream o) {
      String home = System.getProperty("raftbed.home");
      if (home == null) {
        return null;
      }
      Path log = out.resolve("images-build.log");
      o.println("building the container images (bin/raftbed images; the first time takes minutes); log: " + log);
      try {
        Files.createDirectories(out);
        int code = ContainerImages.build(Path.of(home), log, Duration.ofMinutes(30));
        return code == 0 ? null : "the container images could not be built (exit " + code + "); see " + log;
      } catch (IOException e) {
        return "the container images could not be built: " + e.getMessage();
      }
    }

    /** A new folder for the run: {@code OUT/NAME-seed-N[-canary-C]}, with a suffix if one exists already. */
    private Path runFolder(Scenario s) throws IOException {
      String base = s.name() + "-seed-" + s.seed() + (canary == null ? "" : "-canary-" + canary);
      Path dir = out.resolve(base);
      for (int n = 2; Files.exists(dir); n++) {
        dir = out.resolve(base + "-" + n);
      }
      Files.createDirectories(dir);
      return dir;
    }

    private String rerun(Path file, Scenario s) {
      StringBuilder sb = new StringBuilder("bin/raftbed chaos run ").append(file.toAbsolutePath().normalize())
          .append(" --out ").append(out.toAbsolutePath().normalize()).append(" --seed ").append(s.seed());
      if (canary != null) {
        sb.append(" --canary ").append(canary);
      }
      if (backend != null) {
        sb.append(" --backend ").append(backend);
      }
      if (timeScale != 1) {
        sb.append(" --time-scale ").append(timeScale);
      }
      return sb.toString();
    }
  }

  /** The most telling exit code of several runs: a violation over an undecided run over the rest. */
  static int worse(int a, int b) {
    List<Integer> rank = List.of(EXIT_VIOLATION, EXIT_INTERNAL, EXIT_UNDECIDED, EXIT_USAGE, EXIT_PASS);
    return rank.indexOf(a) <= rank.indexOf(b) ? a : b;
  }

  static String table(List<RunSummary> runs) {
    StringBuilder sb = new StringBuilder(String.format("%n%-28s %6s %8s %8s %6s %6s %6s %s%n", "scenario", "seed",
        "verdict", "wall", "ok", "fail", "info", "faults"));
    for (RunSummary s : runs) {
      sb.append(String.format(Locale.ROOT, "%-28s %6d %8s %7.0fs %6d %6d %6d %d %s%n", s.scenario(), s.seed(),
          s.verdict().word(), s.wallSeconds(), s.ok(), s.fail(), s.info(), s.faults(), s.faultsByKind()));
    }
    return sb.toString();
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the shipped scenarios (chaos/scenarios) with what each does, and the canaries.")
  static final class ListScenarios implements Callable<Integer> {
    @Override
    public Integer call() {
      List<Path> files;
      try {
        files = ShippedScenarios.files();
      } catch (IOException e) {
        System.err.println("raftbed chaos list: " + e.getMessage());
        return EXIT_USAGE;
      }
      System.out.println("Scenarios in " + ShippedScenarios.directory() + ":");
      for (Path f : files) {
        try {
          Scenario s = ScenarioParser.parse(f);
          System.out.printf("  %-26s %2d nodes%s, %5s of faults, %2d rules  %s%n", s.name(), s.cluster().nodes(),
              s.cluster().spares() > 0 ? "+" + s.cluster().spares() : "  ", Durations.format(s.duration()),
              s.faults().size(), s.description());
        } catch (IOException | ScenarioException e) {
          System.out.printf("  %-26s INVALID: %s%n", f.getFileName(), e.getMessage());
        }
      }
      System.out.println();
      System.out.println("Canaries (--canary NAME; each unsafe choice must be caught, exit 1):");
      for (Canary c : Canary.values()) {
        System.out.printf("  %-26s %s%n", c.cliName(), c.description());
      }
      return EXIT_PASS;
    }
  }
}
