package io.raftbed.reports;

import io.raftbed.reports.bench.BenchSection;
import io.raftbed.reports.bench.BenchSet;
import io.raftbed.reports.chaos.ChaosRun;
import io.raftbed.reports.chaos.ChaosSection;
import io.raftbed.reports.fuzz.Campaign;
import io.raftbed.reports.fuzz.CampaignSection;
import io.raftbed.reports.html.Html;
import io.raftbed.reports.html.Links;
import io.raftbed.reports.html.Page;
import io.raftbed.reports.jmh.JmhComparison;
import io.raftbed.reports.jmh.JmhResults;
import io.raftbed.reports.jmh.JmhSection;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one report from sorted inputs: a section per kind (every fuzz input merged into one
 * campaign, one section per chaos run, JMH results against a baseline, bench run sets side by side).
 * Reads every input before writing anything, so bad input leaves no half report. Stateless.
 */
public final class Report {
  private Report() {}

  /**
   * @param title the page title, or null for one made from the inputs
   * @param baseline JMH results to compare against, or null
   */
  public record Options(String title, Path baseline) {}

  /**
   * A built report.
   *
   * @param document the HTML
   * @param regressions JMH benchmarks worse than the baseline beyond both error bars
   * @param lines one line per section for the terminal
   */
  public record Built(String document, int regressions, List<String> lines) {}

  public static Built build(Inputs in, Options options, Path out) throws BadInputException {
    Html html = new Html();
    Links links = new Links(out.toAbsolutePath().getParent());
    List<String> lines = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    int regressions = 0;
    if (!in.fuzz().isEmpty()) {
      Campaign c = Campaign.load(in.fuzz());
      CampaignSection.render(c, html, links, "fuzz");
      lines.add("fuzz campaign: " + c.seeds().size() + " seeds, " + c.failing().size() + " failing, from "
          + c.files().size() + " results file(s); fingerprint " + c.fingerprint().substring(0, 16));
      kinds.add("fuzz campaign");
    }
    int n = 0;
    for (Path dir : in.chaos()) {
      ChaosRun run = ChaosRun.load(dir);
      ChaosSection.render(run, html, links, "chaos-" + (++n));
      lines.add("chaos run " + dir + ": " + run.describe());
      kinds.add("chaos run");
    }
    if (!in.jmh().isEmpty()) {
      JmhResults current = JmhResults.load(in.jmh());
      JmhResults base = options.baseline() == null ? null : JmhResults.load(List.of(options.baseline()));
      JmhComparison cmp = JmhComparison.of(current, base);
      JmhSection.render(cmp, options.baseline(), html, "jmh");
      regressions = cmp.regressions();
      lines.add("jmh: " + cmp.rows().size() + " figures" + (base == null ? " (no baseline)"
          : ", " + cmp.regressions() + " regression(s) and " + cmp.improvements() + " improvement(s) beyond error bars"));
      kinds.add("JMH");
    }
    if (!in.bench().isEmpty()) {
      List<BenchSet> sets = new ArrayList<>();
      for (Path f : in.bench()) {
        sets.add(BenchSet.load(f));
      }
      BenchSection.render(sets, html, "bench");
      lines.add("bench: " + sets.size() + " run set(s), " + sets.stream().mapToInt(s -> s.runs().size()).sum() + " runs");
      kinds.add("bench");
    }
    String title = options.title() != null ? options.title() : "raftbed report: " + String.join(", ", kinds);
    List<String> inputs = new ArrayList<>();
    for (List<Path> group : List.of(in.fuzz(), in.chaos(), in.jmh(), in.bench())) {
      group.forEach(p -> inputs.add(p.toString()));
    }
    String subtitle = "Generated " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " by bin/raftbed report";
    return new Built(Page.render(title, subtitle, inputs, html), regressions, lines);
  }
}
