package io.raftbed.chaos.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured. Only requests answered 2xx (and 404 for reads of absent keys) count as
 * operations; everything else is counted by status in {@code errors}.
 *
 * @param ok successful operations completed during the measured window
 * @param seconds length of the measured window
 * @param latencyMicros latency of successful operations, in microseconds
 * @param errors failed requests by HTTP status (0 for a connection failure or timeout)
 */
public record BenchResult(BenchSpec spec, long ok, double seconds, Histogram latencyMicros, Map<Integer, Long> errors) {
  public BenchResult {
    errors = new TreeMap<>(errors);
  }

  public double opsPerSecond() {
    return ok / seconds;
  }

  public double percentileMillis(double p) {
    return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(p) / 1000.0;
  }

  /** One line: {@code put clients=16 ops/s=12345 p50=0.41ms p99=1.20ms p99.9=3.1ms max=9.0ms errors={}}. */
  public String line() {
    return String.format("%-9s clients=%-3d ops/s=%-8.0f p50=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms ops=%d errors=%s",
        spec.op().label(), spec.clients(), opsPerSecond(), percentileMillis(50), percentileMillis(99),
        percentileMillis(99.9), latencyMicros.getMaxValue() / 1000.0, ok, errors);
  }

  /** The result as a JSON object (hand-written: flat and stable for scripts). */
  public String json() {
    return json(Target.RAFTBED);
  }

  /** The result as a JSON object naming the system measured. */
  public String json(Target target) {
    return String.format("{\"target\":\"" + target.label() + "\",\"op\":\"%s\",\"clients\":%d,\"keyBytes\":%d,\"valueBytes\":%d,\"seconds\":%.3f,"
            + "\"ok\":%d,\"opsPerSecond\":%.1f,\"p50Millis\":%.4f,\"p99Millis\":%.4f,\"p999Millis\":%.4f,"
            + "\"maxMillis\":%.4f,\"errors\":%d}",
        spec.op().label(), spec.clients(), spec.keyBytes(), spec.valueBytes(), seconds, ok, opsPerSecond(),
        percentileMillis(50), percentileMillis(99), percentileMillis(99.9), latencyMicros.getMaxValue() / 1000.0,
        errors.values().stream().mapToLong(Long::longValue).sum());
  }
}
