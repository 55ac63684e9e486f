package io.raftbed.chaos.proxy;

import io.raftbed.chaos.proxy.ToxicAttributes.Bandwidth;
import io.raftbed.chaos.proxy.ToxicAttributes.Latency;
import io.raftbed.chaos.proxy.ToxicAttributes.LimitData;
import io.raftbed.chaos.proxy.ToxicAttributes.Noop;
import io.raftbed.chaos.proxy.ToxicAttributes.ResetPeer;
import io.raftbed.chaos.proxy.ToxicAttributes.Slicer;
import io.raftbed.chaos.proxy.ToxicAttributes.SlowClose;
import io.raftbed.chaos.proxy.ToxicAttributes.Timeout;
import java.util.List;

/**
 * The toxic types this proxy implements, with the attribute names of their JSON (Toxiproxy README,
 * "Toxics", and the {@code json:"..."} tags of {@code toxics/*.go}). Every attribute is an integer
 * (Go {@code int64}/{@code int}); a missing one is 0, as Go's zero value. {@code noop} is registered by
 * Toxiproxy too ({@code toxics/noop.go}) and passes data through.
 */
enum ToxicType {
  NOOP("noop"),
  LATENCY("latency", "latency", "jitter"),
  BANDWIDTH("bandwidth", "rate"),
  SLOW_CLOSE("slow_close", "delay"),
  TIMEOUT("timeout", "timeout"),
  RESET_PEER("reset_peer", "timeout"),
  SLICER("slicer", "average_size", "size_variation", "delay"),
  LIMIT_DATA("limit_data", "bytes");

  /** The {@code type} value in the API's JSON. */
  final String jsonName;
  /** The attribute names, in the order {@link #of} takes their values and Toxiproxy prints them. */
  final List<String> fields;

  ToxicType(String jsonName, String... fields) {
    this.jsonName = jsonName;
    this.fields = List.of(fields);
  }

  /** The type named {@code name} exactly (Toxiproxy's registry is case-sensitive), or null. */
  static ToxicType parse(String name) {
    for (ToxicType t : values()) {
      if (t.jsonName.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** Attributes of this type from values in {@link #fields} order. */
  ToxicAttributes of(long[] v) {
    return switch (this) {
      case NOOP -> new Noop();
      case LATENCY -> new Latency(v[0], v[1]);
      case BANDWIDTH -> new Bandwidth(v[0]);
      case SLOW_CLOSE -> new SlowClose(v[0]);
      case TIMEOUT -> new Timeout(v[0]);
      case RESET_PEER -> new ResetPeer(v[0]);
      case SLICER -> new Slicer(v[0], v[1], v[2]);
      case LIMIT_DATA -> new LimitData(v[0]);
    };
  }

  /** Go's zero value: every attribute 0. */
  ToxicAttributes defaults() {
    return of(new long[fields.size()]);
  }

  /** The values of {@code a} in its type's {@link #fields} order. */
  static long[] values(ToxicAttributes a) {
    return switch (a) {
      case Noop n -> new long[0];
      case Latency l -> new long[] {l.latencyMillis(), l.jitterMillis()};
      case Bandwidth b -> new long[] {b.rateKbPerSecond()};
      case SlowClose s -> new long[] {s.delayMillis()};
      case Timeout t -> new long[] {t.timeoutMillis()};
      case ResetPeer r -> new long[] {r.timeoutMillis()};
      case Slicer s -> new long[] {s.averageSizeBytes(), s.sizeVariationBytes(), s.delayMicros()};
      case LimitData l -> new long[] {l.bytes()};
    };
  }
}
