package io.raftbed.reports.jmh;

import java.util.ArrayList;
import java.util.List;

/**
 * JMH results against a baseline, figure by figure. A figure is flagged only when the two 99.9%
 * confidence intervals (score ± error, as JMH reports them) do not overlap: a difference inside the
 * error bars, which on a shared machine can be large, is reported as such and not as a change.
 * Immutable.
 *
 * @param rows every current figure with its baseline, in the current results' order
 * @param baselineOnly baseline figures the current results do not have
 */
public record JmhComparison(List<Row> rows, List<JmhResults.Figure> baselineOnly, boolean hasBaseline) {

  /** How a figure compares with its baseline. */
  public enum Status {
    REGRESSION, IMPROVEMENT, WITHIN_ERROR, NO_ERROR_BARS, NEW, NO_BASELINE
  }

  /**
   * @param current this run's figure
   * @param baseline the baseline's, or null
   */
  public record Row(JmhResults.Figure current, JmhResults.Figure baseline, Status status) {
    /**
     * How much faster than the baseline, in percent (positive is better whichever way the unit
     * points): for rates current/baseline - 1, for times baseline/current - 1. NaN without a baseline.
     */
    public double speedupPercent() {
      if (baseline == null || baseline.score() == 0 || current.score() == 0) {
        return Double.NaN;
      }
      double r = current.higherIsBetter() ? current.score() / baseline.score() : baseline.score() / current.score();
      return 100 * (r - 1);
    }

    /** The speed-up's error bar in points: the two relative errors added in quadrature. */
    public double speedupErrorPercent() {
      if (baseline == null || Double.isNaN(current.error()) || Double.isNaN(baseline.error())) {
        return Double.NaN;
      }
      double a = current.error() / current.score();
      double b = baseline.error() / baseline.score();
      return 100 * (1 + speedupPercent() / 100) * Math.sqrt(a * a + b * b);
    }
  }

  public static JmhComparison of(JmhResults current, JmhResults baseline) {
    List<Row> rows = new ArrayList<>();
    for (JmhResults.Figure f : current.figures().values()) {
      JmhResults.Figure b = baseline == null ? null : baseline.figures().get(f.key());
      rows.add(new Row(f, b, status(f, b, baseline != null)));
    }
    List<JmhResults.Figure> only = baseline == null ? List.of()
        : baseline.figures().values().stream().filter(b -> !current.figures().containsKey(b.key())).toList();
    return new JmhComparison(List.copyOf(rows), only, baseline != null);
  }

  static Status status(JmhResults.Figure f, JmhResults.Figure b, boolean hasBaseline) {
    if (!hasBaseline) {
      return Status.NO_BASELINE;
    }
    if (b == null || !b.unit().equals(f.unit())) {
      return Status.NEW;
    }
    if (Double.isNaN(f.error()) || Double.isNaN(b.error())) {
      return Status.NO_ERROR_BARS;
    }
    boolean disjoint = f.low() > b.high() || f.high() < b.low();
    if (!disjoint) {
      return Status.WITHIN_ERROR;
    }
    boolean higher = f.score() > b.score();
    return higher == f.higherIsBetter() ? Status.IMPROVEMENT : Status.REGRESSION;
  }

  public int regressions() {
    return (int) rows.stream().filter(r -> r.status() == Status.REGRESSION).count();
  }

  public int improvements() {
    return (int) rows.stream().filter(r -> r.status() == Status.IMPROVEMENT).count();
  }
}
