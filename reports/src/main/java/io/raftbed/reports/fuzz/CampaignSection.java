package io.raftbed.reports.fuzz;

import static io.raftbed.reports.html.Html.num;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftbed.reports.JsonFiles;
import io.raftbed.reports.html.Html;
import io.raftbed.reports.html.Links;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fuzz campaign part of a report: key figures, outcomes by violation kind, pace over time,
 * swarm attribution, per-shard figures and every failure with its minimized schedule and folder.
 * Stateless; thread-safe.
 */
public final class CampaignSection {
  /** Features drawn in the attribution chart (all are in its table). */
  static final int ATTRIBUTION_CHART_MAX = 30;
  /** Failures marked on the pace chart. */
  static final int FAILURE_MARKS_MAX = 25;
  static final String CLEAN_COLOR = "#59a14f";
  static final String FAIL_COLOR = "#e15759";

  private CampaignSection() {}

  public static void render(Campaign c, Html html, Links links, String id) {
    CampaignStats.Pace pace = CampaignStats.pace(List.copyOf(c.seeds().values()));
    List<SeedLine> failing = c.failing();
    html.section(id, "Fuzz campaign: " + c.seeds().size() + " seeds"
        + (c.seeds().isEmpty() ? "" : " (" + c.seeds().firstKey() + ".." + c.seeds().lastKey() + ")"));
    List<String[]> tiles = new ArrayList<>();
    tiles.add(new String[] {"seeds", num(c.seeds().size(), 0), null});
    tiles.add(new String[] {"failing seeds", num(failing.size(), 0), failing.isEmpty() ? "ok" : "bad"});
    tiles.add(new String[] {"seeds per minute", pace.stamped() ? num(pace.seedsPerMinute(), 0) : "–", null});
    tiles.add(new String[] {"time to first failure", failing.isEmpty() ? "none"
        : pace.stamped() ? num(pace.secondsToFirstFailure(), 0) + " s (" + pace.seedsBeforeFirstFailure() + " seeds)"
            : "seed " + pace.firstFailure().seed(), failing.isEmpty() ? "ok" : "bad"});
    tiles.add(new String[] {"wall time", pace.stamped() ? num(pace.minutes(), 1) + " min" : "–", null});
    tiles.add(new String[] {"shards", num(CampaignStats.paceByShard(c).size(), 0), null});
    html.tiles(tiles);
    warnings(c, pace, html);
    html.raw("<p>Campaign fingerprint (SHA-256 over every seed's outcome, verdict and trace digest, in seed order; "
        + "equal for equal runs however they were sharded): <code class=\"fingerprint\">" + c.fingerprint()
        + "</code></p>\n");
    outcomes(c, html);
    paceChart(c, pace, html);
    shards(c, html);
    attribution(c, html);
    failures(c, html, links);
    html.endSection();
  }

  private static void warnings(Campaign c, CampaignStats.Pace pace, Html html) {
    if (!c.shardsMissing().isEmpty()) {
      html.warn("Shards missing from the inputs: " + String.join(", ", c.shardsMissing())
          + ". The figures cover the shards given only.");
    }
    if (c.duplicates() > 0) {
      html.warn(c.duplicates() + " results lines repeated a seed already read (the same run twice); each seed counts once.");
    }
    if (!pace.stamped()) {
      html.warn("These results carry no wall-clock stamps (finishedAtMs; written by raftbed fuzz since reports exist): "
          + "no seeds per minute, no time to first failure, no pace chart.");
    }
  }

  private static void outcomes(Campaign c, Html html) {
    html.h3("Outcomes");
    Map<String, Long> outcomes = CampaignStats.outcomes(c);
    ObjectNode spec = bars("Seeds by outcome (clean, or the violation kind)", "seeds", true);
    ArrayNode cats = spec.putArray("categories");
    ArrayNode values = JsonFiles.array();
    outcomes.forEach((k, v) -> {
      cats.add(k);
      values.addObject().put("value", v).putObject("itemStyle").put("color", k.equals("clean") ? CLEAN_COLOR : FAIL_COLOR);
    });
    spec.putArray("series").addObject().put("name", "seeds").set("values", values);
    if (outcomes.size() > 1) {
      spec.put("logY", true).put("yMin", 1); // a few failures next to thousands of clean seeds
    }
    spec.put("labels", true);
    html.chart(spec, 70 + 34 * outcomes.size());
    List<List<String>> rows = new ArrayList<>();
    CampaignStats.verdicts(c).forEach((k, v) -> rows.add(List.of(k, num(v, 0))));
    html.p("The checker's verdict on each history (not-checked: the run stopped at an earlier violation):");
    html.table("num", List.of("linearizability", "seeds"), rows);
  }

  private static void paceChart(Campaign c, CampaignStats.Pace pace, Html html) {
    List<double[]> perMinute = CampaignStats.seedsPerMinuteSeries(c, pace);
    if (perMinute.isEmpty()) {
      return;
    }
    html.h3("Pace");
    html.p("Started " + Instant.ofEpochMilli(pace.startMs()) + ", last seed finished " + Instant.ofEpochMilli(pace.endMs())
        + ". Seeds finished in each minute; dashed lines mark when failing seeds finished.");
    ObjectNode spec = JsonFiles.object().put("kind", "lines").put("xName", "minutes since the campaign started")
        .put("yName", "seeds finished per minute").put("xMin", 0).put("overlayName", "failures");
    ArrayNode points = JsonFiles.array();
    perMinute.forEach(p -> points.addArray().add(Math.round(p[0] * 100) / 100.0).add(Math.round(p[1])));
    spec.putArray("series").addObject().put("name", "seeds per minute").put("area", true).put("color", "#4e79a7")
        .set("points", points);
    ArrayNode marks = spec.putArray("marks");
    c.failing().stream().sorted(java.util.Comparator.comparingLong(SeedLine::finishedAtMs)).limit(FAILURE_MARKS_MAX)
        .forEach(l -> marks.addObject().put("x", (l.finishedAtMs() - pace.startMs()) / 60_000.0)
            .put("label", "seed " + l.seed() + " " + l.violation()));
    html.chart(spec, 300);
  }

  private static void shards(Campaign c, Html html) {
    Map<String, CampaignStats.Pace> byShard = CampaignStats.paceByShard(c);
    if (byShard.size() < 2) {
      return;
    }
    html.h3("Shards");
    List<List<String>> rows = new ArrayList<>();
    Map<String, Long> failures = new java.util.TreeMap<>();
    c.failing().forEach(l -> failures.merge(l.shard(), 1L, Long::sum));
    byShard.forEach((shard, p) -> rows.add(List.of(shard, num(p.seeds(), 0),
        num(failures.getOrDefault(shard, 0L), 0), p.stamped() ? num(p.minutes(), 1) : "–",
        p.stamped() ? num(p.seedsPerMinute(), 0) : "–",
        p.firstFailure() == null ? "–" : "seed " + p.firstFailure().seed() + (p.stamped()
            ? " after " + num(p.secondsToFirstFailure(), 0) + " s" : ""))));
    html.table("num", List.of("shard", "seeds", "failures", "minutes", "seeds/min", "first failure"), rows);
  }

  private static void attribution(Campaign c, Html html) {
    html.h3("Swarm attribution");
    List<CampaignStats.Attribution> all = CampaignStats.attribution(c);
    long failures = c.failing().size();
    if (failures == 0) {
      html.p("No seed failed: nothing to attribute. How often the swarm turned each fault type and option on:");
    } else {
      html.p("Each fault type and option value the swarm drew: its share among all seeds against its share among the "
          + failures + " failing seeds. A feature far more common among failing seeds than among all points at what the "
          + "failures need (with few failures, read it as a hint, not a finding).");
      ObjectNode spec = bars("Share of seeds with the feature on (top " + Math.min(ATTRIBUTION_CHART_MAX, all.size())
          + " by lift)", "% of seeds", true);
      spec.put("percent", true);
      ArrayNode cats = spec.putArray("categories");
      ArrayNode allShare = JsonFiles.array();
      ArrayNode failShare = JsonFiles.array();
      all.stream().limit(ATTRIBUTION_CHART_MAX).forEach(a -> {
        cats.add(a.feature());
        allShare.add(round1(a.shareOfSeedsPercent()));
        failShare.add(round1(a.shareOfFailuresPercent()));
      });
      ArrayNode series = spec.putArray("series");
      series.addObject().put("name", "all seeds").put("color", "#9e9e9e").set("values", allShare);
      series.addObject().put("name", "failing seeds").put("color", FAIL_COLOR).set("values", failShare);
      html.chart(spec, 80 + 30 * Math.min(ATTRIBUTION_CHART_MAX, all.size()));
    }
    List<List<String>> rows = new ArrayList<>();
    for (CampaignStats.Attribution a : all) {
      rows.add(List.of(a.feature(), num(a.seedsWith(), 0), num(a.shareOfSeedsPercent(), 1) + "%",
          num(a.failuresWith(), 0), failures == 0 ? "–" : num(a.shareOfFailuresPercent(), 1) + "%",
          failures == 0 ? "–" : num(a.failureRateWithPercent(), 2) + "%",
          failures == 0 ? "–" : num(a.failureRateWithoutPercent(), 2) + "%"));
    }
    html.raw("<details><summary>Every feature (" + all.size() + ")</summary>\n");
    html.table("num", List.of("feature", "seeds with it", "of all seeds", "failing seeds with it", "of failing seeds",
        "failure rate with", "failure rate without"), rows);
    html.raw("</details>\n");
  }

  private static void failures(Campaign c, Html html, Links links) {
    List<SeedLine> failing = c.failing();
    if (failing.isEmpty()) {
      return;
    }
    html.h3("Failures (" + failing.size() + ")");
    List<List<String>> rows = new ArrayList<>();
    for (SeedLine l : failing) {
      java.nio.file.Path folder = c.failureFolders().get(l.seed());
      FailureInfo info = folder == null ? null : FailureInfo.read(folder);
      String schedule = info == null ? "(no failure folder among the inputs)"
          : info.minimizedSchedule() == null ? "(" + info.problem() + ")" : info.minimizedSchedule();
      String events = info == null || info.minimizedEvents() < 0 ? "–"
          : info.minimizedEvents() + " of " + info.originalEvents();
      String where = folder == null ? "–" : Html.MARKUP + Html.link(links.to(folder), "folder").substring(1)
          + (info.hasTimeline() ? " · " + Html.link(links.to(folder.resolve("timeline.html")), "timeline").substring(1) : "")
          + "<br><code>bin/raftbed replay " + Html.esc(folder.toString()) + "</code>";
      rows.add(List.of(Long.toString(l.seed()), Html.badge("bad", l.violation()),
          l.message() == null ? "" : io.raftbed.reports.Text.shorten(l.message(), 300), Html.code(schedule), events,
          info == null ? "" : info.minimization(), where));
    }
    html.table("failures", List.of("seed", "kind", "violation", "minimized schedule", "fault events",
        "minimization", "reproduce"), rows);
  }

  static ObjectNode bars(String title, String yName, boolean horizontal) {
    return JsonFiles.object().put("kind", "bars").put("title", title).put("yName", yName).put("horizontal", horizontal);
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
