package io.raftbed.reports.chaos;

import io.raftbed.linearizability.History;
import io.raftbed.linearizability.Op;
import io.raftbed.linearizability.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every completed operation of a history as a point: when it was invoked, how long it took, how it
 * ended (ok, fail, info) and what it was (read, write, cas...), as Jepsen's latency graphs draw
 * them. An invocation is paired with the next completion of the same process (a Jepsen process has
 * at most one operation outstanding). Stateless; thread-safe.
 */
public final class Latencies {
  private Latencies() {}

  /**
   * One operation.
   *
   * @param invokeSeconds invocation time, seconds since the history's time zero
   * @param latencyMillis from invocation to completion
   * @param type how it completed
   * @param f the operation
   * @param process the client
   */
  public record Point(double invokeSeconds, double latencyMillis, OpType type, String f, long process) {
    public double completeSeconds() {
      return invokeSeconds + latencyMillis / 1000.0;
    }
  }

  /**
   * The operations of a history.
   *
   * @param points completed operations, in completion order
   * @param pending invocations with no completion (the run ended first)
   * @param untimed events without a {@code :time}, which cannot be placed
   */
  public record Result(List<Point> points, int pending, int untimed) {}

  public static Result of(History history) {
    Map<Long, Op> open = new HashMap<>();
    List<Point> points = new ArrayList<>();
    int untimed = 0;
    for (Op op : history.ops()) {
      if (!op.hasTime()) {
        untimed++;
        continue;
      }
      if (op.isInvoke()) {
        open.put(op.process(), op);
        continue;
      }
      Op inv = open.remove(op.process());
      if (inv != null) {
        points.add(new Point(inv.timeNanos() / 1e9, (op.timeNanos() - inv.timeNanos()) / 1e6, op.type(), inv.f(),
            op.process()));
      }
    }
    return new Result(List.copyOf(points), open.size(), untimed);
  }

  /** Completions per second, by type, in buckets of {@code bucketSeconds} from 0 to {@code lengthSeconds}. */
  public static SortedMap<OpType, double[]> throughput(List<Point> points, double lengthSeconds, double bucketSeconds) {
    double end = Math.max(lengthSeconds, points.stream().mapToDouble(Point::completeSeconds).max().orElse(0));
    int n = Math.max(1, (int) Math.ceil(end / bucketSeconds));
    SortedMap<OpType, double[]> out = new TreeMap<>();
    for (OpType t : List.of(OpType.OK, OpType.FAIL, OpType.INFO)) {
      out.put(t, new double[n]);
    }
    for (Point p : points) {
      int b = (int) Math.min(n - 1, Math.max(0, p.completeSeconds() / bucketSeconds));
      out.get(p.type())[b] += 1 / bucketSeconds;
    }
    return out;
  }

  /** A bucket width that gives about 100-300 buckets: 1 s for runs up to 5 minutes. */
  public static double bucketSeconds(double lengthSeconds) {
    for (double b : new double[] {1, 2, 5, 10, 30, 60}) {
      if (lengthSeconds / b <= 300) {
        return b;
      }
    }
    return 120;
  }

  /** Latency percentiles in ms ({50, 95, 99, 100}) of the points with {@code f} and {@code type}. */
  public static double[] percentiles(List<Point> points, String f, OpType type) {
    double[] v = points.stream().filter(p -> p.f().equals(f) && p.type() == type)
        .mapToDouble(Point::latencyMillis).sorted().toArray();
    if (v.length == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    return new double[] {rank(v, 50), rank(v, 95), rank(v, 99), v[v.length - 1]};
  }

  /** The nearest-rank percentile of sorted values. */
  static double rank(double[] sorted, double percentile) {
    int i = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** The operation names, in order of first appearance. */
  public static List<String> fs(List<Point> points) {
    return points.stream().map(Point::f).distinct().toList();
  }
}
