package io.raftbed.reports.fuzz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The figures a campaign report shows, computed from the merged seed lines: outcomes, wall-clock
 * pace (seeds per minute, time to first failure) and swarm attribution (which fault types and
 * options the failing seeds had, against all seeds). Pure functions of a {@link Campaign}; stateless.
 */
public final class CampaignStats {
  /** Options with more distinct values than this (timings derived from others) are left out of attribution. */
  static final int OPTION_VALUES_MAX = 8;

  private CampaignStats() {}

  /** Seeds by outcome word: {@code clean} or the violation kind; clean first, then by count. */
  public static Map<String, Long> outcomes(Campaign c) {
    Map<String, Long> counts = new TreeMap<>();
    for (SeedLine l : c.seeds().values()) {
      counts.merge(l.clean() ? "clean" : l.violation(), 1L, Long::sum);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    if (counts.containsKey("clean")) {
      out.put("clean", counts.remove("clean"));
    }
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Seeds by the checker's verdict word. */
  public static SortedMap<String, Long> verdicts(Campaign c) {
    SortedMap<String, Long> out = new TreeMap<>();
    c.seeds().values().forEach(l -> out.merge(l.linearizability(), 1L, Long::sum));
    return out;
  }

  /**
   * Wall-clock pace of a set of seeds.
   *
   * @param seeds how many
   * @param startMs when the first started (epoch ms; 0 when the lines carry no wall-clock stamps)
   * @param endMs when the last finished
   * @param firstFailure the failing seed that finished first, or null
   * @param seedsBeforeFirstFailure seeds finished before it (it included)
   */
  public record Pace(long seeds, long startMs, long endMs, SeedLine firstFailure, long seedsBeforeFirstFailure) {
    public boolean stamped() {
      return startMs > 0;
    }

    public double minutes() {
      return (endMs - startMs) / 60_000.0;
    }

    public double seedsPerMinute() {
      return minutes() > 0 ? seeds / minutes() : Double.NaN;
    }

    /** Seconds from the start to the first failure's end, or NaN. */
    public double secondsToFirstFailure() {
      return firstFailure == null || !stamped() ? Double.NaN : (firstFailure.finishedAtMs() - startMs) / 1000.0;
    }
  }

  public static Pace pace(List<SeedLine> lines) {
    List<SeedLine> stamped = lines.stream().filter(l -> l.finishedAtMs() > 0)
        .sorted(Comparator.comparingLong(SeedLine::finishedAtMs).thenComparingLong(SeedLine::seed)).toList();
    if (stamped.size() < lines.size() || lines.isEmpty()) {
      SeedLine first = lines.stream().filter(l -> !l.clean()).min(Comparator.comparingLong(SeedLine::seed)).orElse(null);
      return new Pace(lines.size(), 0, 0, first, 0);
    }
    long start = stamped.stream().mapToLong(SeedLine::startedAtMs).min().orElse(0);
    long end = stamped.get(stamped.size() - 1).finishedAtMs();
    for (int i = 0; i < stamped.size(); i++) {
      if (!stamped.get(i).clean()) {
        return new Pace(lines.size(), start, end, stamped.get(i), i + 1);
      }
    }
    return new Pace(lines.size(), start, end, null, 0);
  }

  /** Pace per shard, by shard label. */
  public static SortedMap<String, Pace> paceByShard(Campaign c) {
    SortedMap<String, List<SeedLine>> byShard = new TreeMap<>(Comparator.comparing(CampaignStats::shardOrder));
    c.seeds().values().forEach(l -> byShard.computeIfAbsent(l.shard(), k -> new ArrayList<>()).add(l));
    SortedMap<String, Pace> out = new TreeMap<>(Comparator.comparing(CampaignStats::shardOrder));
    byShard.forEach((k, v) -> out.put(k, pace(v)));
    return out;
  }

  /** "3/8" sorts as (8, 3), so shards of one campaign stay in index order. */
  private static String shardOrder(String shard) {
    String[] kn = shard.split("/");
    return kn.length == 2 ? String.format("%08d/%08d", parse(kn[1]), parse(kn[0])) : shard;
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Seeds finished per minute since the campaign's start, one {x minutes, rate} point per minute (at
   * the middle of the minute; the last, partial minute's rate is scaled to its length). Empty without
   * wall-clock stamps.
   */
  public static List<double[]> seedsPerMinuteSeries(Campaign c, Pace pace) {
    if (!pace.stamped()) {
      return List.of();
    }
    double minutes = Math.max(pace.minutes(), 1e-3);
    int n = (int) Math.max(1, Math.ceil(minutes));
    long[] buckets = new long[n];
    for (SeedLine l : c.seeds().values()) {
      buckets[(int) Math.min(n - 1, (l.finishedAtMs() - pace.startMs()) / 60_000)]++;
    }
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double width = Math.min(1.0, minutes - i);
      out.add(new double[] {i + width / 2, buckets[i] / Math.max(width, 1.0 / 60)});
    }
    return out;
  }

  /**
   * One fault type or option value and how the failing seeds had it against all seeds.
   *
   * @param feature e.g. {@code fault crash} or {@code checkQuorum=off}
   * @param seedsWith seeds that had it
   * @param failuresWith failing seeds that had it
   * @param seeds all seeds
   * @param failures all failing seeds
   */
  public record Attribution(String feature, long seedsWith, long failuresWith, long seeds, long failures) {
    public double shareOfSeedsPercent() {
      return seeds == 0 ? 0 : 100.0 * seedsWith / seeds;
    }

    public double shareOfFailuresPercent() {
      return failures == 0 ? 0 : 100.0 * failuresWith / failures;
    }

    /** Failing seeds per 100 seeds with the feature. */
    public double failureRateWithPercent() {
      return seedsWith == 0 ? Double.NaN : 100.0 * failuresWith / seedsWith;
    }

    /** Failing seeds per 100 seeds without the feature. */
    public double failureRateWithoutPercent() {
      long without = seeds - seedsWith;
      return without == 0 ? Double.NaN : 100.0 * (failures - failuresWith) / without;
    }

    /** How much more common the feature is among failing seeds than among all, in points. */
    public double liftPoints() {
      return shareOfFailuresPercent() - shareOfSeedsPercent();
    }
  }

  /**
   * Every fault type and every option value (of options with 2 to {@value #OPTION_VALUES_MAX} values in
   * the campaign), failing seeds' features first: by lift, then by name.
   */
  public static List<Attribution> attribution(Campaign c) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Set<String>> values = new TreeMap<>();
    c.seeds().values().forEach(l -> l.options().forEach((k, v) -> values.computeIfAbsent(k, x -> new TreeSet<>()).add(v)));
    long failures = 0;
    for (SeedLine l : c.seeds().values()) {
      List<String> features = new ArrayList<>();
      l.faultTypes().forEach(t -> features.add("fault " + t));
      l.options().forEach((k, v) -> {
        int n = values.get(k).size();
        if (n >= 2 && n <= OPTION_VALUES_MAX) {
          features.add(k + "=" + v);
        }
      });
      failures += l.clean() ? 0 : 1;
      for (String f : features) {
        long[] n = counts.computeIfAbsent(f, x -> new long[2]);
        n[0]++;
        n[1] += l.clean() ? 0 : 1;
      }
    }
    long seeds = c.seeds().size();
    long failing = failures;
    return counts.entrySet().stream()
        .map(e -> new Attribution(e.getKey(), e.getValue()[0], e.getValue()[1], seeds, failing))
        .sorted(Comparator.comparingDouble(Attribution::liftPoints).reversed().thenComparing(Attribution::feature))
        .toList();
  }
}
