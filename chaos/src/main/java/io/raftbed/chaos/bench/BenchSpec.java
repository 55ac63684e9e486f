package io.raftbed.chaos.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One load run: an operation, closed-loop clients (each sends its next request when the previous one
 * is answered), and how long to measure.
 *
 * @param op what every request does
 * @param targets base URLs; client {@code i} talks to {@code targets[i % size]}
 * @param clients concurrent clients, one keep-alive connection each
 * @param warmupMillis load before measuring starts (JIT, connection set-up)
 * @param measureMillis how long latencies and throughput are recorded
 * @param keyBytes length of every key
 * @param valueBytes length of every value written
 * @param keyCount distinct keys, drawn uniformly
 */
public record BenchSpec(Op op, List<String> targets, int clients, int warmupMillis, int measureMillis, int keyBytes,
    int valueBytes, int keyCount) {

  /** The operations the load generator can run. */
  public enum Op {
    PUT("put"),
    GET("get"),
    STALE_GET("stale-get");

    private final String label;

    Op(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Op parse(String s) {
      for (Op op : values()) {
        if (op.label.equals(s)) {
          return op;
        }
      }
      throw new IllegalArgumentException("unknown operation '" + s + "'; use put, get or stale-get");
    }
  }

  public BenchSpec {
    targets = List.copyOf(targets);
    if (targets.isEmpty() || clients < 1 || warmupMillis < 0 || measureMillis < 1 || keyBytes < 4
        || valueBytes < 0 || keyCount < 1) {
      throw new IllegalArgumentException("invalid bench spec " + this);
    }
  }

  /** Key number {@code i}: "k" and the zero-padded number, {@code keyBytes} long. */
  public String key(int i) {
    String n = Integer.toString(i);
    return "k" + "0".repeat(Math.max(0, keyBytes - 1 - n.length())) + n;
  }

  /** The value every write sends: {@code valueBytes} of printable bytes. */
  public byte[] value() {
    byte[] v = new byte[valueBytes];
    for (int i = 0; i < v.length; i++) {
      v[i] = (byte) ('a' + i % 26);
    }
    return v;
  }

  public String describe() {
    return op.label() + " clients=" + clients + " keys=" + keyCount + " key=" + keyBytes + "B value=" + valueBytes
        + "B targets=" + String.join(",", targets);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
