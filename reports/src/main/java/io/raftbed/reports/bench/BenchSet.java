package io.raftbed.reports.bench;

import static io.raftbed.reports.JsonFiles.doubleOr;
import static io.raftbed.reports.JsonFiles.longOr;
import static io.raftbed.reports.JsonFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftbed.reports.BadInputException;
import io.raftbed.reports.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One file of {@code raftbed bench --json} lines: a set of load runs (e.g. the standard suite) to
 * compare with other sets side by side. Named by its file (and the target system when the lines say
 * it). Immutable.
 *
 * @param label how the report names this set
 * @param file where it came from
 * @param runs the runs in file order
 */
public record BenchSet(String label, Path file, List<Run> runs) {

  /**
   * One load run.
   *
   * @param key the run's name within its set, e.g. {@code put x16} ({@code #2} when a file repeats it)
   * @param target the system measured ({@code raftbed} when the line does not say)
   * @param errors requests that failed during the measured window
   */
  public record Run(String key, String op, int clients, String target, int keyBytes, int valueBytes, double seconds,
      long ok, double opsPerSecond, double p50Millis, double p99Millis, double p999Millis, double maxMillis,
      long errors) {}

  public static BenchSet load(Path file) throws BadInputException {
    List<Run> runs = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (JsonFiles.Line line : JsonFiles.lines(file)) {
      JsonNode j = line.json();
      String op = text(j, "op", null);
      if (op == null || !j.has("opsPerSecond") || !j.has("clients")) {
        throw new BadInputException(file + ":" + line.number() + ": a bench line needs \"op\", \"clients\" and "
            + "\"opsPerSecond\" (raftbed bench --json)");
      }
      int clients = (int) longOr(j, "clients", 0);
      String base = op + " x" + clients;
      int n = seen.merge(base, 1, Integer::sum);
      runs.add(new Run(n == 1 ? base : base + " #" + n, op, clients, text(j, "target", "raftbed"),
          (int) longOr(j, "keyBytes", 0), (int) longOr(j, "valueBytes", 0), doubleOr(j, "seconds"), longOr(j, "ok", 0),
          doubleOr(j, "opsPerSecond"), doubleOr(j, "p50Millis"), doubleOr(j, "p99Millis"), doubleOr(j, "p999Millis"),
          doubleOr(j, "maxMillis"), longOr(j, "errors", 0)));
    }
    if (runs.isEmpty()) {
      throw new BadInputException(file + ": no bench lines");
    }
    String name = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
    List<String> targets = runs.stream().map(Run::target).distinct().toList();
    String label = targets.size() == 1 && !name.contains(targets.get(0)) ? name + " (" + targets.get(0) + ")" : name;
    return new BenchSet(label, file, List.copyOf(runs));
  }

  public Run run(String key) {
    return runs.stream().filter(r -> r.key().equals(key)).findFirst().orElse(null);
  }
}
