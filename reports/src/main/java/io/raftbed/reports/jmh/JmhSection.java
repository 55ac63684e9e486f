package io.raftbed.reports.jmh;

import static io.raftbed.reports.html.Html.num;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftbed.reports.JsonFiles;
import io.raftbed.reports.html.Html;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JMH part of a report: how each figure moved against the baseline (flagged only beyond both
 * error bars), a chart of scores per benchmark class and unit with error bars, and the full table.
 * Stateless; thread-safe.
 */
public final class JmhSection {
  static final String CURRENT_COLOR = "#4e79a7";
  static final String BASELINE_COLOR = "#bab0ac";

  private JmhSection() {}

  public static void render(JmhComparison cmp, Path baselineFile, Html html, String id) {
    html.section(id, "JMH: " + cmp.rows().size() + " figures");
    List<String[]> tiles = new ArrayList<>();
    tiles.add(new String[] {"figures", num(cmp.rows().size(), 0), null});
    if (cmp.hasBaseline()) {
      tiles.add(new String[] {"regressions beyond error bars", num(cmp.regressions(), 0),
          cmp.regressions() > 0 ? "bad" : "ok"});
      tiles.add(new String[] {"improvements beyond error bars", num(cmp.improvements(), 0), null});
      tiles.add(new String[] {"within error bars", num(count(cmp, JmhComparison.Status.WITHIN_ERROR), 0), null});
    }
    html.tiles(tiles);
    if (cmp.hasBaseline()) {
      html.p("Baseline: " + baselineFile + ". A figure is flagged only when its 99.9% confidence interval and the "
          + "baseline's do not overlap; on a busy machine the intervals are wide and small changes stay unflagged.");
      if (!cmp.baselineOnly().isEmpty()) {
        html.p(cmp.baselineOnly().size() + " baseline figures were not run this time (a narrower regex, or removed).");
      }
      overview(cmp, html);
    } else {
      html.p("No baseline given (--baseline FILE): scores only.");
    }
    groups(cmp, html);
    table(cmp, html);
    html.endSection();
  }

  private static long count(JmhComparison cmp, JmhComparison.Status s) {
    return cmp.rows().stream().filter(r -> r.status() == s).count();
  }

  private static void overview(JmhComparison cmp, Html html) {
    List<JmhComparison.Row> rows = cmp.rows().stream().filter(r -> !Double.isNaN(r.speedupPercent())).toList();
    if (rows.isEmpty()) {
      return;
    }
    html.h3("Against the baseline");
    ObjectNode spec = JsonFiles.object().put("kind", "bars").put("horizontal", true).put("percent", true)
        .put("title", "Speed against the baseline (positive is faster; whiskers: combined error)")
        .put("yName", "% faster than the baseline");
    ArrayNode cats = spec.putArray("categories");
    ArrayNode values = JsonFiles.array();
    ArrayNode errors = JsonFiles.array();
    for (JmhComparison.Row r : rows) {
      cats.add(r.current().shortName().replaceFirst("Benchmark\\.", ".") + label(r.current()));
      String color = switch (r.status()) {
        case REGRESSION -> "#e15759";
        case IMPROVEMENT -> "#59a14f";
        default -> "#9e9e9e";
      };
      double v = round(r.speedupPercent());
      values.addObject().put("value", v).putObject("itemStyle").put("color", color);
      double e = r.speedupErrorPercent();
      errors.addArray().add(Double.isNaN(e) ? v : round(v - e)).add(Double.isNaN(e) ? v : round(v + e));
    }
    ObjectNode s = spec.putArray("series").addObject().put("name", "speed-up");
    s.set("values", values);
    s.set("errors", errors);
    html.chart(spec, 80 + 26 * rows.size());
  }

  private static String label(JmhResults.Figure f) {
    return (f.params().isEmpty() ? "" : " (" + f.params() + ")") + (f.metric().equals("score") ? "" : " · " + f.metric());
  }

  private static void groups(JmhComparison cmp, Html html) {
    Map<String, List<JmhComparison.Row>> groups = new LinkedHashMap<>();
    for (JmhComparison.Row r : cmp.rows()) {
      JmhResults.Figure f = r.current();
      groups.computeIfAbsent(f.className() + "|" + f.metric() + "|" + f.unit(), k -> new ArrayList<>()).add(r);
    }
    html.h3("Scores");
    for (List<JmhComparison.Row> rows : groups.values()) {
      JmhResults.Figure first = rows.get(0).current();
      // Scores a hundred times apart (a heartbeat and a 64 KiB snapshot chunk) share a log axis, whose
      // whiskers stop at a tenth of the smallest score rather than at zero or below.
      double min = rows.stream().mapToDouble(r -> r.current().score()).filter(v -> v > 0).min().orElse(1);
      double max = rows.stream().mapToDouble(r -> r.current().score()).max().orElse(1);
      boolean log = max / min > 30;
      double floor = log ? min / 10 : 0;
      ObjectNode spec = JsonFiles.object().put("kind", "bars").put("horizontal", true).put("logY", log)
          .put("title", first.className() + (first.metric().equals("score") ? "" : " · " + first.metric()) + " ("
              + first.unit() + (first.higherIsBetter() ? ", higher is better" : ", lower is better")
              + (log ? ", log scale" : "") + ")")
          .put("yName", first.unit());
      ArrayNode cats = spec.putArray("categories");
      rows.forEach(r -> cats.add(r.current().label().replace(" · " + first.metric(), "")));
      ArrayNode series = spec.putArray("series");
      addSeries(series, "this run", CURRENT_COLOR, rows.stream().map(JmhComparison.Row::current).toList(), floor);
      if (rows.stream().anyMatch(r -> r.baseline() != null)) {
        addSeries(series, "baseline", BASELINE_COLOR, rows.stream().map(JmhComparison.Row::baseline).toList(), floor);
      }
      html.chart(spec, 90 + rows.size() * (rows.stream().anyMatch(r -> r.baseline() != null) ? 44 : 28));
    }
  }

  private static void addSeries(ArrayNode series, String name, String color, List<JmhResults.Figure> figures,
      double floor) {
    ArrayNode values = JsonFiles.array();
    ArrayNode errors = JsonFiles.array();
    for (JmhResults.Figure f : figures) {
      if (f == null) {
        values.addNull();
        errors.addArray().addNull().addNull();
      } else {
        values.add(f.score());
        errors.addArray().add(Math.max(floor, f.low())).add(f.high());
      }
    }
    ObjectNode s = series.addObject().put("name", name).put("color", color);
    s.set("values", values);
    s.set("errors", errors);
  }

  private static void table(JmhComparison cmp, Html html) {
    List<List<String>> rows = new ArrayList<>();
    for (JmhComparison.Row r : cmp.rows()) {
      JmhResults.Figure f = r.current();
      JmhResults.Figure b = r.baseline();
      rows.add(List.of(f.shortName(), f.params(), f.metric(), f.mode(), score(f), b == null ? "–" : score(b),
          Double.isNaN(r.speedupPercent()) ? "–" : String.format("%+.1f%%", r.speedupPercent()), badge(r.status())));
    }
    html.h3("Every figure");
    html.table("num", List.of("benchmark", "params", "metric", "mode", "score ± error", "baseline",
        "faster by", "verdict"), rows);
  }

  private static String score(JmhResults.Figure f) {
    int decimals = Math.abs(f.score()) >= 100 ? 0 : Math.abs(f.score()) >= 1 ? 2 : 4;
    return num(f.score(), decimals) + (Double.isNaN(f.error()) ? "" : " ± " + num(f.error(), decimals)) + " " + f.unit();
  }

  private static String badge(JmhComparison.Status s) {
    return switch (s) {
      case REGRESSION -> Html.badge("bad", "regression");
      case IMPROVEMENT -> Html.badge("ok", "improvement");
      case WITHIN_ERROR -> Html.badge("muted", "within error");
      case NO_ERROR_BARS -> Html.badge("warn", "no error bars");
      case NEW -> Html.badge("muted", "new");
      case NO_BASELINE -> "";
    };
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
