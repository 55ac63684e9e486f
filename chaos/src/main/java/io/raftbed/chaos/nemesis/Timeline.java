package io.raftbed.chaos.nemesis;

import io.raftbed.chaos.scenario.FaultRule;
import io.raftbed.chaos.scenario.FaultSpec;
import io.raftbed.chaos.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A scenario's fault rules expanded into fault instances, each with a start and (unless it is an
 * action) a duration: a pure function of the scenario and its seed, so a seed names the same
 * schedule on every run. Which node a target such as "the leader" names is decided when the fault
 * starts, by the real cluster, and is not part of the plan.
 */
public final class Timeline {
  /**
   * One planned fault.
   *
   * @param seq 1-based, in start order
   * @param startMillis offset from the workload's start
   * @param durationMillis how long it lasts; 0 for an action
   * @param random this instance's own random stream (target choices), split from the seed
   */
  public record Planned(int seq, long startMillis, long durationMillis, FaultSpec fault, int rule, long random) {}

  private Timeline() {}

  public static List<Planned> plan(Scenario scenario) {
    SplittableRandom root = new SplittableRandom(scenario.seed());
    record Draft(long start, long duration, FaultSpec fault, int rule, long random) {}
    List<Draft> drafts = new ArrayList<>();
    long end = scenario.duration().toMillis();
    for (int r = 0; r < scenario.faults().size(); r++) {
      FaultRule rule = scenario.faults().get(r);
      SplittableRandom random = root.split();
      List<Long> starts = new ArrayList<>();
      switch (rule.when()) {
        case FaultRule.At at -> starts.add(at.at().toMillis());
        case FaultRule.Every every -> {
          for (long t = every.start().toMillis(); t < every.until().toMillis(); t += every.interval().toMillis()) {
            starts.add(t);
          }
        }
        case FaultRule.Random rnd -> {
          for (int i = 0; i < rnd.count(); i++) {
            starts.add(rnd.start().toMillis() + random.nextLong(rnd.until().toMillis() - rnd.start().toMillis()));
          }
          starts.sort(Long::compare);
        }
      }
      for (long start : starts) {
        long duration = rule.lasting() == null ? 0 : draw(rule.lasting(), random);
        // Every fault is healed by the end of the timeline at the latest.
        duration = Math.min(duration, end - start);
        drafts.add(new Draft(start, duration, rule.fault(), r, random.nextLong()));
      }
    }
    drafts.sort(Comparator.comparingLong(Draft::start).thenComparingInt(Draft::rule));
    List<Planned> out = new ArrayList<>();
    for (Draft d : drafts) {
      out.add(new Planned(out.size() + 1, d.start(), d.duration(), d.fault(), d.rule(), d.random()));
    }
    return out;
  }

  private static long draw(FaultRule.Range range, SplittableRandom random) {
    long min = range.min().toMillis();
    long max = range.max().toMillis();
    return min == max ? min : min + random.nextLong(max - min + 1);
  }

  /** One line per planned fault, for the terminal and the run folder. */
  public static String describe(List<Planned> plan) {
    StringBuilder sb = new StringBuilder();
    for (Planned p : plan) {
      sb.append(String.format("  #%-3d at %7s  %-11s %s%s%n", p.seq(), seconds(p.startMillis()), p.fault().kind(),
          Describe.spec(p.fault()), p.durationMillis() == 0 ? "" : " for " + seconds(p.durationMillis())));
    }
    return sb.toString();
  }

  static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  /** The plan's length, for bounds. */
  public static Duration span(List<Planned> plan) {
    return Duration.ofMillis(plan.stream().mapToLong(p -> p.startMillis() + p.durationMillis()).max().orElse(0));
  }
}
