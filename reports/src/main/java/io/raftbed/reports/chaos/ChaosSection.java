package io.raftbed.reports.chaos;

import static io.raftbed.reports.html.Html.num;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftbed.linearizability.OpType;
import io.raftbed.reports.JsonFiles;
import io.raftbed.reports.html.Html;
import io.raftbed.reports.html.Links;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A chaos run's part of a report: the verdict and each check, the latency of every operation over
 * time (a scatter coloured by how it ended and shaped by what it was, as Jepsen draws it) and
 * throughput over time, both with the fault windows shaded, then the faults and latency
 * percentiles as tables. Stateless; thread-safe.
 */
public final class ChaosSection {
  /** Points drawn at most; a longer history is thinned evenly (the tables use every point). */
  static final int POINTS_MAX = 300_000;
  static final Map<OpType, String> TYPE_COLORS = Map.of(OpType.OK, "#59a14f", OpType.FAIL, "#e15759",
      OpType.INFO, "#f28e2b");
  static final String[] SYMBOLS = {"circle", "triangle", "diamond", "rect", "pin", "arrow"};
  static final String[] FAULT_COLORS = {"rgba(78,121,167,0.16)", "rgba(225,87,89,0.16)", "rgba(176,122,161,0.18)",
      "rgba(242,142,43,0.16)", "rgba(118,183,178,0.2)", "rgba(156,117,95,0.18)", "rgba(237,201,72,0.22)"};

  private ChaosSection() {}

  public static void render(ChaosRun run, Html html, Links links, String id) {
    JsonNode s = run.summary();
    html.section(id, "Chaos run: " + JsonFiles.text(s, "scenario", "?") + " (seed " + JsonFiles.text(s, "seed", "?") + ")");
    JsonNode ops = s.path("ops");
    List<String[]> tiles = new ArrayList<>();
    tiles.add(new String[] {"verdict", run.verdictWord(), run.verdictClass()});
    tiles.add(new String[] {"ops ok / fail / info", ops.path("ok").asLong() + " / " + ops.path("fail").asLong() + " / "
        + ops.path("info").asLong(), null});
    tiles.add(new String[] {"faults", num(run.faults().size(), 0), null});
    tiles.add(new String[] {"nodes", JsonFiles.text(s, "nodes", "?"), null});
    tiles.add(new String[] {"wall time", num(JsonFiles.doubleOr(s, "wallSeconds"), 1) + " s", null});
    if (JsonFiles.text(s, "canary", null) != null) {
      tiles.add(new String[] {"canary (unsafe on purpose)", JsonFiles.text(s, "canary", null), "warn"});
    }
    html.tiles(tiles);
    verdict(run, html, links);
    if (!run.missing().isEmpty()) {
      html.warn("Missing from " + run.folder() + ": " + String.join(", ", run.missing()) + ".");
    }
    if (run.history() != null) {
      charts(run, html);
    }
    faults(run, html);
    html.endSection();
  }

  private static void verdict(ChaosRun run, Html html, Links links) {
    List<List<String>> rows = new ArrayList<>();
    JsonNode checks = run.verdict() == null ? null : run.verdict().get("checks");
    if (checks != null && checks.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = checks.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode c = e.getValue();
        String word = c.has("verdict") ? c.get("verdict").asText() : c.has("result") ? c.get("result").asText()
            : !c.path("ran").asBoolean(true) ? "skipped" : c.path("ok").asBoolean() ? "ok" : "FAILED";
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        String cls = lower.equals("ok") || lower.equals("linearizable") ? "ok" : lower.equals("skipped") ? "muted"
            : lower.contains("fail") || lower.contains("not") ? "bad" : "warn";
        rows.add(List.of(e.getKey(), Html.badge(cls, word), JsonFiles.text(c, "detail", "")));
      }
      html.table("checks", List.of("check", "result", "detail"), rows);
    }
    JsonNode violations = run.summary().get("violations");
    if (violations != null && violations.isArray() && !violations.isEmpty()) {
      html.raw("<ul class=\"violations\">");
      violations.forEach(v -> html.raw("<li><span class=\"badge bad\">VIOLATION</span> " + Html.esc(v.asText()) + "</li>"));
      html.raw("</ul>\n");
    }
    StringBuilder p = new StringBuilder("<p>");
    if (!run.missing().contains("timeline.html")) {
      p.append("<a href=\"").append(Html.esc(links.to(run.folder().resolve("timeline.html"))))
          .append("\">The checker's timeline of the history</a> · ");
    }
    p.append("<a href=\"").append(Html.esc(links.to(run.folder()))).append("\">run folder</a>");
    String rerun = JsonFiles.text(run.summary(), "rerun", null);
    if (rerun != null) {
      p.append(" · re-run: <code>").append(Html.esc(rerun)).append("</code>");
    }
    html.raw(p.append("</p>\n").toString());
  }

  private static void charts(ChaosRun run, Html html) {
    Latencies.Result lat = Latencies.of(run.history());
    List<Latencies.Point> points = lat.points();
    double length = Math.max(run.lengthSeconds(), points.stream().mapToDouble(Latencies.Point::completeSeconds)
        .max().orElse(0));
    html.h3("Latency of every operation");
    html.p("Each dot is one operation at the time it was invoked, as high as it took to complete (log scale): green ok, "
        + "red fail (a definite refusal), orange info (timed out or lost: it may or may not have taken effect). "
        + "Shaded bands are fault windows; hover one for the fault.");
    if (lat.pending() > 0 || lat.untimed() > 0) {
      html.warn(lat.pending() + " operations never completed before the history ended, " + lat.untimed()
          + " events had no :time; neither is drawn.");
    }
    ObjectNode scatter = JsonFiles.object().put("kind", "scatter").put("xName", "seconds since the run's time zero")
        .put("yName", "latency (ms)").put("logY", true).put("xMin", 0).put("xMax", Math.ceil(length))
        .put("xUnit", "s").put("yUnit", "ms");
    ArrayNode series = scatter.putArray("series");
    int stride = Math.max(1, (points.size() + POINTS_MAX - 1) / POINTS_MAX);
    List<String> fs = Latencies.fs(points);
    for (OpType t : List.of(OpType.OK, OpType.FAIL, OpType.INFO)) {
      for (int fi = 0; fi < fs.size(); fi++) {
        ArrayNode data = JsonFiles.array();
        int i = 0;
        for (Latencies.Point p : points) {
          if (p.type() == t && p.f().equals(fs.get(fi)) && i++ % stride == 0) {
            data.addArray().add(round(p.invokeSeconds(), 3)).add(Math.max(0.001, round(p.latencyMillis(), 3)));
          }
        }
        if (!data.isEmpty()) {
          series.addObject().put("name", fs.get(fi) + " " + t.keywordName()).put("color", TYPE_COLORS.get(t))
              .put("symbol", SYMBOLS[fi % SYMBOLS.length]).put("size", t == OpType.OK ? 3 : 5).set("points", data);
        }
      }
    }
    bands(run, scatter);
    html.chart(scatter, 420);
    throughput(run, points, length, html);
    percentiles(points, html);
  }

  private static void throughput(ChaosRun run, List<Latencies.Point> points, double length, Html html) {
    double bucket = Latencies.bucketSeconds(length);
    html.h3("Throughput");
    html.p("Operations completed per second (" + num(bucket, 0) + " s buckets), one line for each way they ended.");
    ObjectNode spec = JsonFiles.object().put("kind", "lines").put("xName", "seconds since the run's time zero")
        .put("yName", "operations per second").put("xMin", 0).put("xMax", Math.ceil(length));
    ArrayNode series = spec.putArray("series");
    Latencies.throughput(points, length, bucket).forEach((t, v) -> {
      ArrayNode data = JsonFiles.array();
      for (int i = 0; i < v.length; i++) {
        data.addArray().add(i * bucket).add(round(v[i], 2));
      }
      // A step holds bucket i's rate from its start to the next bucket's; the last one ends at the run's end.
      data.addArray().add(round(Math.min(length, v.length * bucket), 3)).add(round(v[v.length - 1], 2));
      // Lines, not a stack: ECharts stacks step series on a value axis out of line with their points.
      series.addObject().put("name", t.keywordName()).put("color", TYPE_COLORS.get(t)).put("step", "end")
          .set("points", data);
    });
    bands(run, spec);
    html.chart(spec, 300);
  }

  private static void bands(ChaosRun run, ObjectNode spec) {
    Map<String, String> colors = new TreeMap<>();
    ArrayNode bands = spec.putArray("bands");
    for (ChaosRun.Fault f : run.faults()) {
      String color = colors.computeIfAbsent(f.kind(), k -> FAULT_COLORS[colors.size() % FAULT_COLORS.length]);
      bands.addObject().put("from", round(f.startSeconds(), 3)).put("to", round(Math.max(f.endSeconds(),
          f.startSeconds() + 0.05), 3)).put("label", f.label()).put("color", color);
    }
  }

  private static void percentiles(List<Latencies.Point> points, Html html) {
    List<List<String>> rows = new ArrayList<>();
    for (String f : Latencies.fs(points)) {
      for (OpType t : List.of(OpType.OK, OpType.FAIL, OpType.INFO)) {
        long n = points.stream().filter(p -> p.f().equals(f) && p.type() == t).count();
        if (n > 0) {
          double[] q = Latencies.percentiles(points, f, t);
          rows.add(List.of(f + " " + t.keywordName(), num(n, 0), num(q[0], 2), num(q[1], 2), num(q[2], 2), num(q[3], 2)));
        }
      }
    }
    html.table("num", List.of("operation", "count", "p50 ms", "p95 ms", "p99 ms", "max ms"), rows);
  }

  private static void faults(ChaosRun run, Html html) {
    if (run.faults().isEmpty()) {
      return;
    }
    html.h3("Faults (" + run.faults().size() + ")");
    List<List<String>> rows = new ArrayList<>();
    for (ChaosRun.Fault f : run.faults()) {
      rows.add(List.of(Integer.toString(f.seq()), f.kind() + (f.shape() == null ? "" : " " + f.shape()), f.nodes(),
          f.detail(), num(f.startSeconds(), 2), num(f.endSeconds(), 2), num(f.endSeconds() - f.startSeconds(), 2),
          f.ok() ? "ok" : Html.badge("bad", "error: " + f.error())));
    }
    html.table("num", List.of("#", "kind", "nodes", "detail", "start s", "end s", "lasted s", "result"), rows);
  }

  static double round(double v, int decimals) {
    double m = Math.pow(10, decimals);
    return Math.round(v * m) / m;
  }
}
