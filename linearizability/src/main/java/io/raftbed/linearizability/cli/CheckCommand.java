package io.raftbed.linearizability.cli;

import io.raftbed.linearizability.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftbed check}: checks history files for linearizability and prints one verdict per file.
 * Several files are checked in parallel, their lines printed in order; the partitions of one file
 * are checked in parallel by the checker.
 */
@Command(name = "raftbed check", mixinStandardHelpOptions = true, sortOptions = false,
    version = "raftbed check 0.1",
    description = {
      "Checks Jepsen histories for linearizability (Wing-Gong/Lowe search with memoization,",
      "keys checked independently and in parallel). A violation comes with a small window of",
      "operations that cannot be linearized and, with --html, a timeline to open in a browser.",
      "",
      "Formats: Jepsen EDN (a vector of op maps or one map per line, keys as :key or [key value]",
      "tuples), JSON lines, and Jepsen log lines (INFO jepsen.util - 3 :invoke :cas [1 4]).",
      "Defaults follow the file: kv for get/put/append (initial \"\"), multi-register for other",
      "keyed histories, else cas-register (initial nil); a :fail :cas in a Jepsen log happened",
      "and returned false (etcd); in unkeyed EDN a nil read means 'unknown' (Knossos). Explicit",
      "options win. Directories are searched for .edn, .jsonl, .json, .log and .txt histories.",
      ""},
    footerHeading = "%nExamples:%n",
    footer = {
      "  raftbed check ../shared/data/histories/porcupine-etcd",
      "  raftbed check --initial 0 ../shared/data/histories/knossos-cas-register",
      "  raftbed check run.edn --model multi-register --fail-semantics cas-fail-happened --html run.html",
      "",
      "Exit status: 0 linearizable, 1 not linearizable, 2 unknown (a budget ran out), 3 bad input,",
      "70 the checker itself failed.",
      "With several files: 3 if any input is bad, else 1 if any is not linearizable, else 2 if any",
      "is unknown, else 0."})
public final class CheckCommand implements Callable<Integer> {
  static final int EXIT_BAD_INPUT = 3;
  /** The checker itself failed (a bug, or out of memory): never read as a verdict. */
  static final int EXIT_CRASH = 70;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "History files or directories.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--model", paramLabel = "MODEL",
      description = "register, cas-register, multi-register (a cas register per key, with delete) or kv (get, put, append, delete, cas per key). Default: from the file.")
  String model;

  @Option(names = "--initial", paramLabel = "VALUE",
      description = "Initial value as EDN: 0, nil, '\"\"', [1 2]; a bare word is a string. Default: \"\" for kv, else nil.")
  String initial;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "auto, edn, jsonl or jepsen-log. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--fail-semantics", paramLabel = "SEMANTICS", defaultValue = "auto",
      description = "not-happened (Jepsen/Knossos: a :fail did not happen), cas-fail-happened (a failed cas happened and returned false), or auto (cas-fail-happened for Jepsen logs). Default: ${DEFAULT-VALUE}.")
  String failSemantics;

  @Option(names = "--nil-reads", paramLabel = "MEANING", defaultValue = "auto",
      description = "absent (a nil read saw no value), unknown (Knossos: constrains nothing), or auto (unknown for unkeyed EDN registers). Default: ${DEFAULT-VALUE}.")
  String nilReads;

  @Option(names = "--html", paramLabel = "OUT.html",
      description = "Write a standalone HTML timeline. With several files, a directory that gets one page per file that is not linearizable.")
  Path html;

  @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "60s",
      converter = Converters.DurationConverter.class,
      description = "Search budget per file (60s, 500ms, 2m); when it runs out the verdict is UNKNOWN. Default: ${DEFAULT-VALUE}.")
  Duration timeLimit;

  @Option(names = "--shrink-time", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "Budget to shrink a violation to a small window. Default: 5s for one file or with --html, else 0 (no window).")
  Duration shrinkTime;

  @Option(names = "--memory-limit", paramLabel = "MIB", defaultValue = "0",
      description = "Memo budget in MiB; 0 = half of the free heap. Default: ${DEFAULT-VALUE}.")
  long memoryLimitMib;

  @Option(names = "--threads", paramLabel = "N",
      description = "Files, and the keys of a file, checked in parallel. Default: the number of cores.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--knossos", description = "Also run Knossos (needs the Clojure CLI and Clojars) and compare.")
  boolean knossos;

  @Option(names = {"-q", "--quiet"}, description = "Only the verdict lines, no counterexample.")
  boolean quiet;

  PrintWriter out = new PrintWriter(System.out, true);

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command (a leading {@code check} word is ignored) and returns the exit status. */
  public static int run(String... args) {
    String[] rest = args.length > 0 && args[0].equals("check") ? Arrays.copyOfRange(args, 1, args.length) : args;
    CommandLine cl = new CommandLine(new CheckCommand());
    cl.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("raftbed check: " + e.getMessage());
      e.getCommandLine().getErr().println("Try 'raftbed check --help'.");
      return EXIT_BAD_INPUT;
    });
    cl.setExecutionExceptionHandler((e, c, p) -> {
      boolean input = e instanceof IOException || e instanceof IllegalArgumentException;
      c.getErr().println("raftbed check: " + (input ? "" : "failed: ") + Converters.describe(e));
      return input ? EXIT_BAD_INPUT : EXIT_CRASH;
    });
    return cl.execute(rest);
  }

  Object initialValue() {
    return new Converters.InitialConverter().convert(initial);
  }

  @Override
  public Integer call() throws IOException {
    validate();
    List<Path> expanded = new ArrayList<>();
    int skipped = 0;
    for (Path p : files) {
      if (Files.isDirectory(p)) {
        skipped += expand(p, expanded);
      } else {
        expanded.add(p);
      }
    }
    boolean single = expanded.size() == 1 && !Files.isDirectory(files.get(0));
    Duration shrink = shrinkTime != null ? shrinkTime : single || html != null ? Duration.ofSeconds(5) : Duration.ZERO;
    FileCheck checker = new FileCheck(this, shrink, !single);
    long start = System.nanoTime();
    List<FileCheck.Outcome> outcomes = new ArrayList<>();
    if (single) {
      outcomes.add(checker.checkOne(expanded.get(0), out));
    } else {
      outcomes = checkInParallel(checker, expanded);
      printTotal(outcomes, skipped, Duration.ofNanos(System.nanoTime() - start));
    }
    out.flush();
    return exitCode(outcomes);
  }

  /** Checks files on up to {@link #threads} threads, printing each line in file order as soon as it can. */
  private List<FileCheck.Outcome> checkInParallel(FileCheck checker, List<Path> expanded) {
    List<FileCheck.Outcome> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, expanded.size())), r -> {
      Thread t = new Thread(r, "check-file");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<FileCheck.Outcome>> futures = new ArrayList<>();
      for (Path file : expanded) {
        futures.add(pool.submit(() -> checker.checkQuietly(file)));
      }
      for (Future<FileCheck.Outcome> f : futures) {
        FileCheck.Outcome o = f.get();
        out.print(o.line());
        out.flush();
        outcomes.add(o);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return outcomes;
  }

  private void validate() {
    if (model != null) {
      model = Converters.oneOf("--model", model, List.of("register", "cas-register", "multi-register", "kv"));
    }
    format = Converters.oneOf("--format", format, List.of("auto", "edn", "jsonl", "jepsen-log"));
    failSemantics = Converters.oneOf("--fail-semantics", failSemantics, List.of("auto", "not-happened", "cas-fail-happened"));
    nilReads = Converters.oneOf("--nil-reads", nilReads, List.of("auto", "absent", "unknown"));
    if (threads < 1 || memoryLimitMib < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be >= 1 and --memory-limit >= 0");
    }
  }

  /** Adds the history files under {@code dir}; returns how many other files were skipped. */
  private static int expand(Path dir, List<Path> into) throws IOException {
    List<Path> found;
    try (Stream<Path> s = Files.walk(dir)) {
      found = s.filter(Files::isRegularFile).sorted().toList();
    }
    int skipped = 0;
    for (Path p : found) {
      String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
      boolean historyLike = name.matches(".*\\.(edn|jsonl|json|log|txt)") && !name.startsWith("readme")
          && !name.equals("verdicts.txt");
      if (historyLike && FileCheck.looksLikeHistory(p)) {
        into.add(p);
      } else {
        skipped++;
      }
    }
    return skipped;
  }

  private void printTotal(List<FileCheck.Outcome> outcomes, int skipped, Duration elapsed) {
    int[] counts = new int[4];
    for (FileCheck.Outcome o : outcomes) {
      counts[o.exitCode()]++;
    }
    out.printf(Locale.ROOT, "total: %d files in %.2f s: %d linearizable, %d not linearizable, %d unknown, %d bad input%s%n",
        outcomes.size(), elapsed.toNanos() / 1e9, counts[0], counts[1], counts[2], counts[3],
        skipped > 0 ? " (" + skipped + " other files skipped)" : "");
  }

  private static int exitCode(List<FileCheck.Outcome> outcomes) {
    boolean notLinearizable = false;
    boolean unknown = false;
    for (FileCheck.Outcome o : outcomes) {
      switch (o.exitCode()) {
        case EXIT_BAD_INPUT -> {
          return EXIT_BAD_INPUT;
        }
        case 1 -> notLinearizable = true;
        case 2 -> unknown = true;
        default -> { }
      }
    }
    return notLinearizable ? Verdict.NOT_LINEARIZABLE.exitCode() : unknown ? Verdict.UNKNOWN.exitCode() : 0;
  }
}
