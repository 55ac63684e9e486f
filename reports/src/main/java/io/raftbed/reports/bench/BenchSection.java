package io.raftbed.reports.bench;

import static io.raftbed.reports.html.Html.num;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftbed.reports.JsonFiles;
import io.raftbed.reports.html.Html;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The bench part of a report: each run set (one {@code bench --json} file) side by side, run by run:
 * throughput and latency percentiles as grouped bars and a table, with the ratio of every set to the
 * first. Stateless; thread-safe.
 */
public final class BenchSection {
  static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948"};

  private BenchSection() {}

  public static void render(List<BenchSet> sets, Html html, String id) {
    Set<String> keys = new LinkedHashSet<>();
    sets.forEach(s -> s.runs().forEach(r -> keys.add(r.key())));
    html.section(id, "Bench: " + String.join(" vs ", sets.stream().map(BenchSet::label).toList()));
    BenchSet.Run any = sets.get(0).runs().get(0);
    html.p("Closed-loop load (raftbed bench): each client keeps one request in flight. Keys of " + any.keyBytes()
        + " bytes, values of " + any.valueBytes() + " bytes, " + num(any.seconds(), 0) + " measured seconds per run. "
        + (sets.size() > 1 ? "Ratios are against " + sets.get(0).label() + "." : ""));
    long errors = sets.stream().flatMap(s -> s.runs().stream()).mapToLong(BenchSet.Run::errors).sum();
    if (errors > 0) {
      html.warn(errors + " requests failed during measured windows (see the errors column): those runs measured a "
          + "cluster that refused or timed out some work.");
    }
    html.chart(chart(sets, keys, "Throughput (operations per second, higher is better)", "ops/s",
        BenchSet.Run::opsPerSecond), 340);
    html.chart(chart(sets, keys, "Median latency (p50, ms, lower is better)", "ms", BenchSet.Run::p50Millis), 300);
    html.chart(chart(sets, keys, "Tail latency (p99, ms, lower is better)", "ms", BenchSet.Run::p99Millis), 300);
    table(sets, keys, html);
    html.endSection();
  }

  private static ObjectNode chart(List<BenchSet> sets, Set<String> keys, String title, String unit,
      ToDoubleFunction<BenchSet.Run> value) {
    ObjectNode spec = JsonFiles.object().put("kind", "bars").put("title", title).put("yName", unit)
        .put("labels", keys.size() * sets.size() <= 24);
    ArrayNode cats = spec.putArray("categories");
    keys.forEach(cats::add);
    ArrayNode series = spec.putArray("series");
    for (int i = 0; i < sets.size(); i++) {
      BenchSet s = sets.get(i);
      ArrayNode values = JsonFiles.array();
      for (String k : keys) {
        BenchSet.Run r = s.run(k);
        if (r == null || Double.isNaN(value.applyAsDouble(r))) {
          values.addNull();
        } else {
          values.add(Math.round(value.applyAsDouble(r) * 1000) / 1000.0);
        }
      }
      series.addObject().put("name", s.label()).put("color", COLORS[i % COLORS.length]).set("values", values);
    }
    return spec;
  }

  private static void table(List<BenchSet> sets, Set<String> keys, Html html) {
    List<String> header = new ArrayList<>(List.of("run"));
    for (int i = 0; i < sets.size(); i++) {
      String l = sets.get(i).label();
      header.addAll(List.of(l + " ops/s", "p50 ms", "p99 ms", "p99.9 ms", "errors"));
      if (i > 0) {
        header.add("ops/s vs " + sets.get(0).label());
      }
    }
    List<List<String>> rows = new ArrayList<>();
    for (String k : keys) {
      List<String> row = new ArrayList<>(List.of(k));
      BenchSet.Run first = sets.get(0).run(k);
      for (int i = 0; i < sets.size(); i++) {
        BenchSet.Run r = sets.get(i).run(k);
        if (r == null) {
          row.addAll(List.of("–", "–", "–", "–", "–"));
        } else {
          row.addAll(List.of(num(r.opsPerSecond(), 0), num(r.p50Millis(), 2), num(r.p99Millis(), 2),
              num(r.p999Millis(), 2), r.errors() == 0 ? "0" : Html.badge("bad", Long.toString(r.errors()))));
        }
        if (i > 0) {
          row.add(r == null || first == null || first.opsPerSecond() == 0 ? "–"
              : String.format("%.2f×", r.opsPerSecond() / first.opsPerSecond()));
        }
      }
      rows.add(row);
    }
    html.table("num", header, rows);
  }
}
