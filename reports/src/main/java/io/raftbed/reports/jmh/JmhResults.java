package io.raftbed.reports.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftbed.reports.BadInputException;
import io.raftbed.reports.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JMH results as written by {@code -rf json}: one {@link Figure} per benchmark, parameter set and
 * metric (the primary score and each auxiliary counter). Several files merge; a figure given twice
 * keeps the last. Immutable.
 *
 * @param figures by {@link Figure#key}, in file order
 */
public record JmhResults(Map<String, Figure> figures) {

  /**
   * One measured figure.
   *
   * @param benchmark the benchmark method, fully qualified
   * @param params its parameters, {@code name=value} sorted by name, comma-separated ("" for none)
   * @param metric {@code score} for the primary metric, else the secondary metric's name
   * @param mode thrpt, avgt, sample, ss
   * @param score the mean
   * @param error half the 99.9% confidence interval (NaN when JMH could not compute one)
   * @param unit e.g. {@code ops/s}, {@code ms/op}
   * @param threads benchmark threads
   */
  public record Figure(String benchmark, String params, String metric, String mode, double score, double error,
      String unit, int threads) {
    public String key() {
      return benchmark + "|" + params + "|" + metric;
    }

    /** {@code Class.method}, without the package. */
    public String shortName() {
      int dot = benchmark.lastIndexOf('.');
      int classDot = dot < 0 ? -1 : benchmark.lastIndexOf('.', dot - 1);
      return benchmark.substring(classDot + 1);
    }

    public String className() {
      String s = shortName();
      int dot = s.indexOf('.');
      return dot < 0 ? s : s.substring(0, dot);
    }

    public String label() {
      String method = shortName().substring(shortName().indexOf('.') + 1);
      return method + (params.isEmpty() ? "" : " (" + params + ")") + (metric.equals("score") ? "" : " · " + metric);
    }

    /** Whether a higher score is better: rates are, times per operation are not. */
    public boolean higherIsBetter() {
      return unit.endsWith("/s") || unit.endsWith("/ms") || unit.endsWith("/us") || unit.endsWith("/ns")
          || unit.endsWith("/min");
    }

    public double low() {
      return score - (Double.isNaN(error) ? 0 : error);
    }

    public double high() {
      return score + (Double.isNaN(error) ? 0 : error);
    }
  }

  public static JmhResults load(List<Path> files) throws BadInputException {
    Map<String, Figure> figures = new LinkedHashMap<>();
    for (Path f : files) {
      JsonNode root = JsonFiles.read(f);
      if (!root.isArray()) {
        throw new BadInputException(f + ": JMH results (-rf json) are a JSON array");
      }
      int i = 0;
      for (JsonNode b : root) {
        i++;
        for (Figure fig : figures(b, f + " entry " + i)) {
          figures.put(fig.key(), fig);
        }
      }
    }
    return new JmhResults(java.util.Collections.unmodifiableMap(figures));
  }

  private static List<Figure> figures(JsonNode b, String where) throws BadInputException {
    String benchmark = JsonFiles.text(b, "benchmark", null);
    JsonNode primary = b.get("primaryMetric");
    if (benchmark == null || primary == null || !primary.isObject()) {
      throw new BadInputException(where + ": a JMH result needs \"benchmark\" and \"primaryMetric\"");
    }
    Map<String, String> params = new TreeMap<>();
    JsonNode p = b.get("params");
    if (p != null && p.isObject()) {
      p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    }
    String paramText = String.join(", ", params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    String mode = JsonFiles.text(b, "mode", "?");
    int threads = (int) JsonFiles.longOr(b, "threads", 1);
    List<Figure> out = new ArrayList<>();
    out.add(metric(benchmark, paramText, "score", mode, threads, primary));
    JsonNode secondary = b.get("secondaryMetrics");
    if (secondary != null && secondary.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = secondary.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().startsWith("·")) { // profilers' figures (·gc...) are not the benchmark's
          out.add(metric(benchmark, paramText, e.getKey(), mode, threads, e.getValue()));
        }
      }
    }
    return out;
  }

  private static Figure metric(String benchmark, String params, String name, String mode, int threads, JsonNode m) {
    return new Figure(benchmark, params, name, mode, JsonFiles.doubleOr(m, "score"), JsonFiles.doubleOr(m, "scoreError"),
        JsonFiles.text(m, "scoreUnit", ""), threads);
  }
}
