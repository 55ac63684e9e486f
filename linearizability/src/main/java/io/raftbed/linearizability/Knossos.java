package io.raftbed.linearizability;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Knossos as a second opinion, run through the Clojure CLI ({@code clojure}) when it is on the
 * PATH and the {@code knossos} artifact resolves from Clojars; otherwise every call answers
 * UNKNOWN with the reason, so callers can say "skipped". Thread-safe (the availability probe runs
 * once).
 *
 * <p>The history is written as Knossos EDN, one file per partition (key), and checked with
 * Knossos' competition analysis against a Clojure model that mirrors {@link RegisterModel}
 * (register, cas, delete, append; nil reads per {@link NilReads}); a cas that failed under
 * {@link FailSemantics#CAS_FAIL_HAPPENED} is written as an {@code :ok :cas-failed} operation.
 * The Knossos version is {@code -Draftbed.knossos.version} (default {@value #DEFAULT_VERSION}).
 */
public final class Knossos {
  static final String DEFAULT_VERSION = "0.3.12";
  private static final Duration STARTUP_ALLOWANCE = Duration.ofMinutes(5);
  private static volatile String unavailable;
  private static volatile boolean probed;

  private Knossos() {}

  /** Knossos' verdict; UNKNOWN with the reason when Knossos could not give one. */
  public record Result(Verdict verdict, String detail) {}

  /** Why Knossos cannot run here, or null if it can. Probes once (may download Knossos). */
  public static synchronized String unavailableReason() {
    if (!probed) {
      unavailable = probe();
      probed = true;
    }
    return unavailable;
  }

  private static String probe() {
    if (findOnPath("clojure") == null) {
      return "the Clojure CLI (clojure) is not on the PATH";
    }
    try {
      Path script = Files.createTempFile("knossos-probe", ".clj");
      Files.writeString(script, "(require 'knossos.competition) (println :knossos-ok)");
      Run r = run(List.of(script.toString()), Duration.ofMinutes(5));
      Files.deleteIfExists(script);
      return r.exit == 0 && r.output.contains(":knossos-ok") ? null
          : "knossos " + version() + " does not resolve through the Clojure CLI: " + tail(r.output);
    } catch (IOException e) {
      return "cannot run clojure: " + e.getMessage();
    }
  }

  /** Checks with Knossos; UNKNOWN if it is unavailable, the model has no Knossos twin, or it times out. */
  public static Result check(History history, Model<?> model, FailSemantics failSemantics, Duration timeLimit) {
    if (!(model instanceof RegisterModel register)) {
      return new Result(Verdict.UNKNOWN, "no Knossos model for " + model.name());
    }
    String reason = unavailableReason();
    if (reason != null) {
      return new Result(Verdict.UNKNOWN, reason);
    }
    List<Path> temp = new ArrayList<>();
    try {
      Path dir = Files.createTempDirectory("knossos");
      temp.add(dir);
      Path script = dir.resolve("check.clj");
      Files.writeString(script, script(register));
      temp.add(script);
      List<String> args = new ArrayList<>(List.of(script.toString()));
      List<List<Operation>> partitions = model.partition(history.operations(failSemantics));
      for (int i = 0; i < partitions.size(); i++) {
        Path f = dir.resolve("p" + i + ".edn");
        Files.writeString(f, knossosEdn(partitions.get(i)), StandardCharsets.UTF_8);
        temp.add(f);
        args.add(f.toString());
      }
      Run r = run(args, timeLimit.plus(STARTUP_ALLOWANCE));
      return verdict(r);
    } catch (IOException e) {
      return new Result(Verdict.UNKNOWN, "cannot run Knossos: " + e.getMessage());
    } finally {
      temp.sort(Comparator.reverseOrder());
      for (Path p : temp) {
        p.toFile().delete();
      }
    }
  }

  private static Result verdict(Run r) {
    if (r.exit != 0) {
      return new Result(Verdict.UNKNOWN, "knossos failed: " + tail(r.output));
    }
    boolean unknown = false;
    for (String line : r.output.split("\n")) {
      switch (line.trim()) {
        case "false" -> {
          return new Result(Verdict.NOT_LINEARIZABLE, "knossos: not linearizable");
        }
        case "true" -> { }
        case ":unknown" -> unknown = true;
        default -> { }
      }
    }
    return unknown ? new Result(Verdict.UNKNOWN, "knossos: unknown") : new Result(Verdict.LINEARIZABLE, "knossos: linearizable");
  }

  /** One partition as a Knossos history: canonical :f names, failed-but-happened cas as :cas-failed. */
  static String knossosEdn(List<Operation> ops) {
    List<Map.Entry<Integer, String>> events = new ArrayList<>();
    for (Operation op : ops) {
      Functions fn = Functions.parse(op.f());
      String f = fn == Functions.CAS && op.status() == Operation.Status.FAILED ? "cas-failed"
          : fn == null ? op.f() : fn.name().toLowerCase(java.util.Locale.ROOT);
      String common = "{:process " + op.process() + ", :f :" + f + ", :value ";
      events.add(Map.entry(op.invokePos(), common + Values.toEdn(op.input()) + ", :type :invoke}"));
      if (op.completion() != null) {
        boolean known = op.status() != Operation.Status.UNKNOWN;
        Object value = fn == Functions.READ ? op.output() : op.input();
        events.add(Map.entry(op.completePos(), common + Values.toEdn(known ? value : op.input())
            + ", :type " + (known ? ":ok" : ":info") + "}"));
      }
    }
    events.sort(Map.Entry.comparingByKey());
    StringBuilder sb = new StringBuilder("[");
    for (Map.Entry<Integer, String> e : events) {
      sb.append(e.getValue()).append('\n');
    }
    return sb.append("]\n").toString();
  }

  private static String script(RegisterModel model) {
    return """
        (require '[knossos.model :as m] '[knossos.competition :as c] '[clojure.edn :as edn])
        (defrecord Reg [value nil-unknown]
         knossos.model.Model
         (step [r op]
          (let [v (:value op)]
           (case (:f op)
            :read (if (or (= value v) (and nil-unknown (nil? v))) r
                (m/inconsistent (str "read " (pr-str v) " from " (pr-str value))))
            :write (assoc r :value v)
            :delete (assoc r :value nil)
            :append (assoc r :value (str value v))
            :cas (if (= value (first v)) (assoc r :value (second v))
                (m/inconsistent (str "cas " (pr-str v) " on " (pr-str value))))
            :cas-failed (if (= value (first v)) (m/inconsistent "cas should have succeeded") r)))))
        (doseq [f *command-line-args*]
         (println (pr-str (:valid? (c/analysis (Reg. %s %s) (edn/read-string (slurp f)))))))
        (shutdown-agents)
        """.formatted(Values.toEdn(model.initial()), model.nilReads() == NilReads.UNKNOWN);
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> scriptAndArgs, Duration timeout) throws IOException {
    String deps = "{:deps {knossos/knossos {:mvn/version \"" + version() + "\"}}}";
    List<String> command = new ArrayList<>(List.of("clojure", "-Sdeps", deps, "-M"));
    command.addAll(scriptAndArgs);
    Path output = Files.createTempFile("knossos", ".out");
    try {
      // Output goes to a file so that a chatty JVM cannot block on a full pipe.
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Run(-1, "timed out after " + timeout.toSeconds() + " s");
      }
      return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, "interrupted");
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String version() {
    return System.getProperty("raftbed.knossos.version", DEFAULT_VERSION);
  }

  private static Path findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String tail(String output) {
    String t = output.strip();
    return t.length() > 400 ? "..." + t.substring(t.length() - 400) : t;
  }
}
