package io.raftbed.reports;

import io.raftbed.linearizability.cli.Exits;
import io.raftbed.reports.html.Page;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftbed report}: one self-contained HTML file from result files. Runs on the calling thread.
 */
@Command(name = "raftbed report", mixinStandardHelpOptions = true, sortOptions = false,
    version = "raftbed report 0.1",
    description = {
        "Writes one self-contained HTML report (charts and data inlined; opens without a network)",
        "from any mix of:",
        "  fuzz campaign folders or results-shard-K-of-N.jsonl files: all merged into one campaign,",
        "      each seed once, so shards run anywhere report as one (the fingerprint tells equal runs);",
        "  chaos run folders (summary.json, faults.jsonl, history.edn): latency of every operation",
        "      and throughput over time with fault windows shaded, the verdict, the checker's timeline;",
        "  JMH results (-rf json): a table and charts per benchmark, against --baseline, with",
        "      regressions beyond both error bars flagged;",
        "  bench --json files: ops/s and latency percentiles, one column per file, side by side.",
        ""},
    footerHeading = "%nExamples:%n",
    footer = {
        "  raftbed report runs/fuzz --out fuzz.html",
        "  raftbed report runs/shard-1 runs/shard-2 runs/shard-3 runs/shard-4 --out campaign.html",
        "  raftbed report runs/chaos/partition-1 --out chaos.html",
        "  raftbed report jmh-out/jmh.json --baseline jmh/baseline.json --out jmh.html",
        "  raftbed report before.jsonl after.jsonl --out bench.html",
        "",
        "Exit status: 0 report written; 1 report written and --fail-on-regression found a JMH",
        "regression; 2 bad usage or bad input (nothing written); 70 internal error."})
public final class ReportMain implements Callable<Integer> {
  static final int EXIT_REGRESSION = 1;
  static final int EXIT_BAD_INPUT = 2;
  static final int EXIT_INTERNAL = 70;

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Result folders and files (see above).")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "The report to write.")
  Path out;

  @Option(names = "--baseline", paramLabel = "FILE", description = "JMH results (-rf json) to compare JMH inputs against.")
  Path baseline;

  @Option(names = "--title", paramLabel = "TEXT", description = "The report's title.")
  String title;

  @Option(names = "--fail-on-regression", description = "Exit 1 when a JMH figure is worse than the baseline beyond "
      + "both error bars.")
  boolean failOnRegression;

  @Override
  public Integer call() {
    PrintWriter stdout = new PrintWriter(System.out, true);
    PrintWriter stderr = new PrintWriter(System.err, true);
    try {
      Report.Built built = write(inputs, out, new Report.Options(title, baseline));
      built.lines().forEach(stdout::println);
      stdout.println("report: " + out.toAbsolutePath());
      return failOnRegression && built.regressions() > 0 ? EXIT_REGRESSION : 0;
    } catch (BadInputException e) {
      stderr.println("raftbed report: " + e.getMessage());
      return EXIT_BAD_INPUT;
    } catch (IOException e) {
      stderr.println("raftbed report: cannot write " + out + ": " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
  }

  /** Reads {@code inputs} and writes the report to {@code out}; nothing is written on bad input. */
  public static Report.Built write(List<Path> inputs, Path out, Report.Options options)
      throws BadInputException, IOException {
    if (options.baseline() != null && !java.nio.file.Files.isRegularFile(options.baseline())) {
      throw new BadInputException(options.baseline() + ": no such baseline file");
    }
    Inputs sorted = Inputs.sort(inputs);
    Report.Built built = Report.build(sorted, options, out);
    Page.write(out, built.document());
    return built;
  }

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new ReportMain());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("raftbed report: internal error (a bug, not a verdict on the inputs): " + e);
      e.printStackTrace(cmd.getErr());
      return EXIT_INTERNAL;
    });
    Exits.exitWith("raftbed report", () -> cl.execute(args));
  }
}
