package io.raftbed.runtime.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram with fixed bucket bounds. Thread-safe and lock-free: any thread may
 * {@link #observe}; {@link #render} reads a slightly racy but monotonic view, which Prometheus allows.
 */
public final class Histogram {
  /** Seconds, from 50 microseconds to 10 seconds. */
  public static final double[] LATENCY_SECONDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  /** Counts, powers of two up to 4096. */
  public static final double[] COUNTS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

  private final String name;
  private final String help;
  private final double[] bounds;
  /** Per bucket, not cumulative; the last one is +Inf. */
  private final LongAdder[] buckets;
  private final DoubleAdder sum = new DoubleAdder();
  private final LongAdder count = new LongAdder();

  public Histogram(String name, String help, double[] bounds) {
    this.name = name;
    this.help = help;
    this.bounds = bounds.clone();
    this.buckets = new LongAdder[bounds.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  public void observe(double value) {
    int i = 0;
    while (i < bounds.length && value > bounds[i]) {
      i++;
    }
    buckets[i].increment();
    sum.add(value);
    count.increment();
  }

  public long count() {
    return count.sum();
  }

  public double sum() {
    return sum.sum();
  }

  /** Appends the histogram in the Prometheus text format. */
  public void render(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    long cumulative = 0;
    for (int i = 0; i < buckets.length; i++) {
      cumulative += buckets[i].sum();
      String le = i < bounds.length ? format(bounds[i]) : "+Inf";
      out.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
    }
    out.append(name).append("_sum ").append(format(sum.sum())).append('\n');
    out.append(name).append("_count ").append(cumulative).append('\n');
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
