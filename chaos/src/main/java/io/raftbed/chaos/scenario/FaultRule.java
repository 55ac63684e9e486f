package io.raftbed.chaos.scenario;

import java.time.Duration;

/**
 * One line of a scenario's timeline: a fault and when it happens. Times are offsets from the start of
 * the workload; the nemesis expands every rule into fault instances with the scenario's seed
 * ({@link io.raftbed.chaos.nemesis.Timeline}).
 *
 * @param when at a time, every interval, or at times drawn from the seed
 * @param lasting how long each instance lasts before it is healed (a range draws from the seed);
 *     null for an instant action (a transfer, a membership change)
 * @param fault what is done
 */
public record FaultRule(When when, Range lasting, FaultSpec fault) {

  /** The same rule with its times and durations multiplied by {@code factor}. */
  public FaultRule scaled(double factor) {
    When w = switch (when) {
      case At at -> new At(Durations.scale(at.at(), factor));
      case Every e -> new Every(Durations.scale(e.start(), factor),
          Durations.scale(e.interval(), factor), Durations.scale(e.until(), factor));
      case Random r -> new Random(r.count(), Durations.scale(r.start(), factor), Durations.scale(r.until(), factor));
    };
    Range l = lasting == null ? null
        : new Range(Durations.scale(lasting.min(), factor), Durations.scale(lasting.max(), factor));
    return new FaultRule(w, l, fault);
  }

  /** When a rule fires. */
  public sealed interface When {}

  /** Once, {@code at} after the start. */
  public record At(Duration at) implements When {}

  /** At {@code start}, then every {@code interval}, while before {@code until} (null: the timeline's end). */
  public record Every(Duration start, Duration interval, Duration until) implements When {}

  /** {@code count} times drawn uniformly from [{@code start}, {@code until}) (null: the end). */
  public record Random(int count, Duration start, Duration until) implements When {}

  /** A duration drawn uniformly from [{@code min}, {@code max}]; {@code min == max} is fixed. */
  public record Range(Duration min, Duration max) {
    public Range {
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("bad range " + min + ".." + max);
      }
    }

    public static Range of(Duration fixed) {
      return new Range(fixed, fixed);
    }

    @Override
    public String toString() {
      return min.equals(max) ? Durations.format(min) : Durations.format(min) + ".." + Durations.format(max);
    }
  }
}
