package io.raftbed.jmh;

import io.raftbed.linearizability.CheckOptions;
import io.raftbed.linearizability.CheckResult;
import io.raftbed.linearizability.Checker;
import io.raftbed.linearizability.FailSemantics;
import io.raftbed.linearizability.Histories;
import io.raftbed.linearizability.History;
import io.raftbed.linearizability.HistoryFormat;
import io.raftbed.linearizability.Model;
import io.raftbed.linearizability.Models;
import io.raftbed.linearizability.NilReads;
import io.raftbed.linearizability.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The linearizability checker on every shared history with a known verdict (the data sets of
 * Porcupine and Knossos), one benchmark per data set; a score is the time to check the whole set
 * (files parsed beforehand). Porcupine (Go) checks its 102 etcd histories in about 0.4 s and its
 * slowest one in 0.12 s. Each check also asserts the expected verdict, so a wrong answer fails
 * the run rather than producing a fast score.
 *
 * <p>{@code counterexample=false} measures the verdict alone (as Porcupine's benchmark does);
 * {@code true} adds shrinking each violation to a small window.
 *
 * <p>Run from the repository root: {@code java -jar jmh/target/benchmarks.jar CheckerBenchmark};
 * the histories are found at {@code -Draftbed.histories=DIR} (pass it to the forks with
 * {@code -jvmArgsAppend}), else at {@code ../shared/data/histories}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CheckerBenchmark {
  @Param({"false", "true"})
  public boolean counterexample;

  /** A history, how to check it, and what Knossos and Porcupine say. */
  private record Case(String name, History history, Model<?> model, CheckOptions options, Verdict expected) {}

  private List<Case> etcd;
  private List<Case> porcupineKv;
  private List<Case> knossos;

  @Setup
  public void load() throws IOException {
    Path dir = Path.of(System.getProperty("raftbed.histories", "../shared/data/histories"));
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no histories at " + dir.toAbsolutePath() + "; set -Draftbed.histories=DIR");
    }
    CheckOptions base = CheckOptions.defaults().withTimeLimit(Duration.ofSeconds(60))
        .withShrinkTimeLimit(counterexample ? Duration.ofSeconds(5) : Duration.ZERO);
    etcd = etcd(dir.resolve("porcupine-etcd"), base.withFailSemantics(FailSemantics.CAS_FAIL_HAPPENED));
    porcupineKv = new ArrayList<>();
    for (Path f : files(dir.resolve("porcupine-kv"), ".txt")) {
      Verdict expected = f.getFileName().toString().contains("-bad") ? Verdict.NOT_LINEARIZABLE : Verdict.LINEARIZABLE;
      porcupineKv.add(new Case(f.toString(), Histories.read(f, HistoryFormat.EDN), Models.kv(""), base, expected));
    }
    knossos = new ArrayList<>();
    for (String verdict : List.of("good", "bad")) {
      for (Path f : files(dir.resolve("knossos-cas-register").resolve(verdict), ".edn")) {
        Verdict expected = verdict.equals("good") ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
        knossos.add(new Case(f.toString(), Histories.readEdn(f), Models.casRegister(0L, NilReads.UNKNOWN), base, expected));
      }
    }
  }

  private static List<Case> etcd(Path dir, CheckOptions options) throws IOException {
    List<String> verdicts = Files.readAllLines(dir.resolve("verdicts.txt"));
    List<Case> out = new ArrayList<>();
    for (String line : verdicts) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2) {
        Verdict expected = parts[1].equals("linearizable") ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
        Path f = dir.resolve(parts[0]);
        out.add(new Case(f.toString(), Histories.readJepsenLog(f), Models.casRegister(null), options, expected));
      }
    }
    return out;
  }

  private static List<Path> files(Path dir, String suffix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int checkAll(List<Case> cases) {
    int violations = 0;
    for (Case c : cases) {
      CheckResult r = Checker.check(c.history(), c.model(), c.options());
      if (r.verdict() != c.expected()) {
        throw new AssertionError(c.name() + ": expected " + c.expected() + ", got " + r.summary());
      }
      violations += r.verdict() == Verdict.NOT_LINEARIZABLE ? 1 : 0;
    }
    return violations;
  }

  /** Porcupine's etcd histories (Jepsen logs, a cas register, a failed cas happened). */
  @Benchmark
  public int etcd() {
    return checkAll(etcd);
  }

  /** Porcupine's key-value histories (get/put/append, checked key by key). */
  @Benchmark
  public int porcupineKv() {
    return checkAll(porcupineKv);
  }

  /** Knossos' cas-register histories (initial 0, nil reads unknown). */
  @Benchmark
  public int knossos() {
    return checkAll(knossos);
  }
}
