package io.raftbed.linearizability.cli;

import io.raftbed.linearizability.Models;
import io.raftbed.linearizability.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code raftbed check}: checks history files for linearizability and prints one verdict per file.
 * Several files are checked in parallel, their lines printed in order; the partitions of one file
 * are checked in parallel by the checker. The options are parsed by hand ({@link CheckArgs}), not
 * by an annotation-driven library, because a single-file check is mostly JVM start-up.
 *
 * <p>Threading: {@link #run} is called from one thread; it uses a pool for several files.
 */
public final class CheckCommand {
  static final int EXIT_BAD_INPUT = 3;
  /** An unexpected error inside the checker (a bug): never a verdict. */
  static final int EXIT_INTERNAL_ERROR = 4;

  static final String HELP = """
      Usage: raftbed check [OPTIONS] FILE...
      Checks Jepsen histories for linearizability (Wing-Gong/Lowe search with memoization, keys
      checked independently; the first key found not linearizable decides and stops the rest).
      A violation comes with a small window of operations that cannot be linearized and, with
      --out or --html, a timeline page that opens on the conflict.

      Formats: Jepsen EDN (a vector of op maps or one map per line, keys as :key or [key value]
      tuples), JSON lines, and Jepsen log lines (INFO jepsen.util - 3 :invoke :cas [1 4]).
      Models (Knossos' forms): register, cas-register (read, write, cas [from to]); multi-register
      (:txn [[:read :x nil] [:write :y 2]] over registers with --initial '{:x 0 :y 0}'; for per-key
      read/write/cas/delete, one cas register per key); kv (get, put, append, delete, cas per key);
      mutex (acquire, release); set (add, read #{...}); unordered-queue and fifo-queue (enqueue,
      dequeue). Defaults follow the file: the model from the operation names (a queue must be
      named), initial "" for kv, else nil; a :fail :cas in a Jepsen log happened and returned false
      (etcd); a nil read means 'unknown' in unkeyed EDN registers and in transactions (Knossos).
      Explicit options win. Directories are searched for .edn, .jsonl, .json, .log and .txt files.

      Options:
            --model MODEL        register, cas-register, multi-register, kv, mutex, set,
                                 unordered-queue or fifo-queue. Default: from the file.
            --initial VALUE      Initial value as EDN: 0, nil, '""', [1 2], '{:x 0}', '#{}'; a bare
                                 word is a string. Default: "" for kv, else nil (empty).
            --format FORMAT      auto, edn, jsonl or jepsen-log. Default: auto.
            --fail-semantics S   not-happened (a :fail did not happen), cas-fail-happened (a failed
                                 cas happened and returned false), or auto. Default: auto.
            --nil-reads MEANING  absent (a nil read saw no value), unknown (constrains nothing), or
                                 auto. Default: auto.
            --out DIR            Write a timeline page DIR/<file>.html for every history that is
                                 not linearizable (it opens scrolled to the conflict).
            --html OUT.html      Write a timeline whatever the verdict; with several files OUT is a
                                 directory that gets one page per file that is not linearizable.
            --time-limit D       Search budget per file (60s, 500ms, 2m); when it runs out the
                                 verdict is UNKNOWN. Default: 60s.
            --shrink-time D      Budget to shrink a violation to a small window. Default: 5s for one
                                 file or with --out/--html, else 0 (no window).
            --memory-limit MIB   Memory budget of the search in MiB; 0 = half of the free heap (the
                                 heap is the JVM's: RAFTBED_JAVA_OPTS=-Xmx4g). Default: 0.
            --threads N          Files, and the keys of a file, checked in parallel. Default: cores.
            --knossos            Also run Knossos (needs the Clojure CLI and Clojars) and compare.
        -q, --quiet              Only the verdict lines, no counterexample.
        -h, --help               Show this help and exit.
        -V, --version            Print the version and exit.

      Examples:
        raftbed check ../shared/data/histories/porcupine-etcd
        raftbed check --initial 0 ../shared/data/histories/knossos-cas-register
        raftbed check run.edn --model multi-register --fail-semantics cas-fail-happened --out pages
        raftbed check txn.edn --initial '{:x 0 :y 0}'
        raftbed check queue.edn --model fifo-queue

      Exit status: 0 linearizable, 1 not linearizable, 2 unknown (a time or memory budget ran out;
      the reason is printed), 3 bad input or usage (the message names the file and line), 4 an
      internal error in the checker (a bug; never a verdict). With several files: 4 if any check
      failed internally, else 3 if any input is bad, else 1 if any is not linearizable, else 2 if
      any is unknown, else 0.
      """;

  final CheckArgs args;
  PrintWriter out = new PrintWriter(System.out, true);

  CheckCommand(CheckArgs args) {
    this.args = args;
  }

  public static void main(String[] args) {
    int exit;
    try {
      exit = run(args);
    } catch (Throwable t) { // nothing may escape as the JVM's exit status 1, which reads "not linearizable"
      System.err.println("raftbed check: internal error (a bug in the checker): " + t);
      t.printStackTrace();
      exit = EXIT_INTERNAL_ERROR;
    }
    System.out.flush();
    System.err.flush();
    // halt, not exit: there are no shutdown hooks to run, and since JDK 21 System.exit starts the
    // platform's logging to record the call, which costs a check of a small file about 100 ms.
    Runtime.getRuntime().halt(exit);
  }

  /** Runs the command (a leading {@code check} word is ignored) and returns the exit status. */
  public static int run(String... argv) {
    CheckArgs parsed;
    try {
      parsed = CheckArgs.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("raftbed check: " + e.getMessage());
      System.err.println("Try 'raftbed check --help'.");
      return EXIT_BAD_INPUT;
    }
    if (parsed.help) {
      System.out.print(HELP);
      System.out.flush();
      return 0;
    }
    if (parsed.version) {
      System.out.println("raftbed check 0.2 (models: " + String.join(", ", Models.NAMES) + ")");
      return 0;
    }
    try {
      return new CheckCommand(parsed).call();
    } catch (IOException e) {
      System.err.println("raftbed check: " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
  }

  int call() throws IOException {
    List<Path> expanded = new ArrayList<>();
    int skipped = 0;
    for (Path p : args.files) {
      if (Files.isDirectory(p)) {
        skipped += expand(p, expanded);
      } else {
        expanded.add(p);
      }
    }
    boolean single = expanded.size() == 1 && !Files.isDirectory(args.files.get(0));
    boolean pages = args.html != null || args.out != null;
    Duration shrink = args.shrinkTime != null ? args.shrinkTime : single || pages ? Duration.ofSeconds(5) : Duration.ZERO;
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

  /** Checks files on up to {@code --threads} threads, printing each line in file order as soon as it can. */
  private List<FileCheck.Outcome> checkInParallel(FileCheck checker, List<Path> expanded) {
    List<FileCheck.Outcome> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(args.threads, expanded.size())), r -> {
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
    int[] counts = new int[5];
    for (FileCheck.Outcome o : outcomes) {
      counts[o.exitCode()]++;
    }
    out.printf(Locale.ROOT, "total: %d files in %.2f s: %d linearizable, %d not linearizable, %d unknown, %d bad input%s%s%n",
        outcomes.size(), elapsed.toNanos() / 1e9, counts[0], counts[1], counts[2], counts[3],
        counts[EXIT_INTERNAL_ERROR] > 0 ? ", " + counts[EXIT_INTERNAL_ERROR] + " INTERNAL ERRORS" : "",
        skipped > 0 ? " (" + skipped + " other files skipped)" : "");
  }

  static int exitCode(List<FileCheck.Outcome> outcomes) {
    boolean bad = false;
    boolean notLinearizable = false;
    boolean unknown = false;
    for (FileCheck.Outcome o : outcomes) {
      switch (o.exitCode()) {
        case EXIT_INTERNAL_ERROR -> {
          return EXIT_INTERNAL_ERROR;
        }
        case EXIT_BAD_INPUT -> bad = true;
        case 1 -> notLinearizable = true;
        case 2 -> unknown = true;
        default -> { }
      }
    }
    return bad ? EXIT_BAD_INPUT : notLinearizable ? Verdict.NOT_LINEARIZABLE.exitCode()
        : unknown ? Verdict.UNKNOWN.exitCode() : 0;
  }
}
