package io.raftbed.jmh;

import io.raftbed.linearizability.cli.Exits;
import io.raftbed.reports.BadInputException;
import io.raftbed.reports.Report;
import io.raftbed.reports.ReportMain;
import io.raftbed.reports.jmh.JmhComparison;
import io.raftbed.reports.jmh.JmhResults;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftbed jmh}: runs the JMH suites (all, or those matching a regex), writes the results as
 * JSON and an HTML report against the committed baseline, and prints each figure. JMH forks one JVM
 * per benchmark; this process only drives them.
 */
@Command(name = "raftbed jmh", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs the JMH benchmarks and writes DIR/jmh.json (JMH's -rf json) and DIR/report.html (the"
            + " figures against the committed baseline jmh/baseline.json, flagged only beyond both error bars).",
        "",
        "Suites: RaftCore (3 nodes in memory, with and without batching), Wal (append and group-commit"
            + " fsync, 1/16/64 writers), PeerCodec (per message type), HttpParsing, KvApply, Simulator and"
            + " Checker (the shared histories: -Draftbed.histories, RAFTBED_HISTORIES or"
            + " ../shared/data/histories). All of them take about 13 minutes on 2 cores.",
        ""},
    footerHeading = "%nExamples:%n",
    footer = {
        "  raftbed jmh                          every suite",
        "  raftbed jmh 'RaftCore|Wal' --out runs/jmh-raft",
        "  raftbed jmh --list",
        "  cp runs/jmh/jmh.json jmh/baseline.json   make a run the new baseline",
        "",
        "Exit status: 0 every benchmark ran; 1 a regression beyond the error bars (with",
        "--fail-on-regression); 2 bad usage; 3 a benchmark failed (its error is printed)."})
public final class JmhMain implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "REGEX", description = "Benchmarks whose name matches (default: all).")
  String regex;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/jmh",
      description = "Where jmh.json, report.html and the WAL benchmark's files go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--baseline", paramLabel = "FILE", description = "Results to compare with (default: the "
      + "repository's jmh/baseline.json).")
  Path baseline;

  @Option(names = "--list", description = "List the benchmarks that match and exit.")
  boolean list;

  @Option(names = "--fail-on-regression", description = "Exit 1 when a figure is worse than the baseline beyond "
      + "both error bars.")
  boolean failOnRegression;

  @Override
  public Integer call() throws Exception {
    String include = regex == null ? "io\\.raftbed\\.jmh\\..*" : regex;
    Files.createDirectories(out);
    Path json = out.resolve("jmh.json").toAbsolutePath();
    ChainedOptionsBuilder opts = new OptionsBuilder().include(include).shouldFailOnError(true)
        .resultFormat(ResultFormatType.JSON).result(json.toString());
    List<String> jvmArgs = new ArrayList<>(List.of("-Draftbed.jmh.dir=" + out.resolve("wal").toAbsolutePath()));
    Path histories = histories();
    if (histories != null) {
      jvmArgs.add("-Draftbed.histories=" + histories);
    } else {
      opts.exclude("CheckerBenchmark");
      System.out.println("jmh: CheckerBenchmark left out: no shared histories found (set RAFTBED_HISTORIES)");
    }
    opts.jvmArgsAppend(jvmArgs.toArray(String[]::new));
    if (list) {
      new Runner(opts.build()).list();
      return 0;
    }
    try {
      new Runner(opts.build()).run();
    } catch (RunnerException e) {
      System.err.println("raftbed jmh: a benchmark failed: " + e.getMessage()
          + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      return 3;
    }
    return report(json);
  }

  private int report(Path json) throws IOException {
    Path base = baseline != null ? baseline : defaultBaseline();
    if (base != null && !Files.isRegularFile(base)) {
      System.out.println("jmh: no baseline at " + base + "; the report shows scores only");
      base = null;
    }
    Path html = out.resolve("report.html").toAbsolutePath();
    try {
      Report.Built built = ReportMain.write(List.of(json), html,
          new Report.Options("raftbed JMH results" + (regex == null ? "" : " (" + regex + ")"), base));
      JmhComparison cmp = JmhComparison.of(JmhResults.load(List.of(json)),
          base == null ? null : JmhResults.load(List.of(base)));
      print(cmp);
      System.out.println("results: " + json);
      System.out.println("report:  " + html);
      return failOnRegression && built.regressions() > 0 ? 1 : 0;
    } catch (BadInputException e) {
      System.err.println("raftbed jmh: cannot read the results: " + e.getMessage());
      return 3;
    }
  }

  private static void print(JmhComparison cmp) {
    System.out.println();
    System.out.printf(Locale.ROOT, "%-58s %26s %14s  %s%n", "benchmark", "score ± error", "vs baseline", "verdict");
    for (JmhComparison.Row r : cmp.rows()) {
      JmhResults.Figure f = r.current();
      String name = f.shortName() + (f.params().isEmpty() ? "" : " " + f.params())
          + (f.metric().equals("score") ? "" : " · " + f.metric());
      String score = String.format(Locale.ROOT, "%,.2f ± %,.2f %s", f.score(), f.error(), f.unit());
      String vs = Double.isNaN(r.speedupPercent()) ? "–" : String.format(Locale.ROOT, "%+.1f%%", r.speedupPercent());
      System.out.printf(Locale.ROOT, "%-58s %26s %14s  %s%n", name, score, vs,
          r.status().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
  }

  /** The repository's jmh/baseline.json, found from where this class was loaded (jmh/target/...). */
  private static Path defaultBaseline() {
    try {
      Path loadedFrom = Path.of(JmhMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path module = loadedFrom.getParent() == null ? null : loadedFrom.getParent().getParent();
      return module == null ? null : module.resolve("baseline.json");
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }

  private static Path histories() {
    List<String> candidates = new ArrayList<>();
    for (String s : new String[] {System.getProperty("raftbed.histories"), System.getenv("RAFTBED_HISTORIES")}) {
      if (s != null && !s.isBlank()) {
        candidates.add(s);
      }
    }
    candidates.addAll(List.of("../shared/data/histories", "/work/shared/data/histories"));
    for (String c : candidates) {
      Path p = Path.of(c).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new JmhMain());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("raftbed jmh: internal error: " + e);
      e.printStackTrace(cmd.getErr());
      return 70;
    });
    Exits.exitWith("raftbed jmh", () -> cl.execute(args));
  }
}
