package io.raftbed.chaos.proxy;

/**
 * The type-specific settings of a toxic, the {@code attributes} object of Toxiproxy's JSON (README,
 * "Toxics"). Values are kept as given; the stages read negative ones as 0.
 */
sealed interface ToxicAttributes {
  /** Which type these attributes belong to. */
  default ToxicType type() {
    return switch (this) {
      case Noop n -> ToxicType.NOOP;
      case Latency l -> ToxicType.LATENCY;
      case Bandwidth b -> ToxicType.BANDWIDTH;
      case SlowClose s -> ToxicType.SLOW_CLOSE;
      case Timeout t -> ToxicType.TIMEOUT;
      case ResetPeer r -> ToxicType.RESET_PEER;
      case Slicer s -> ToxicType.SLICER;
      case LimitData l -> ToxicType.LIMIT_DATA;
    };
  }

  /** Passes data through unchanged. */
  record Noop() implements ToxicAttributes {}

  /** Delays each chunk by {@code latency} plus a uniform draw in [-jitter, +jitter). */
  record Latency(long latencyMillis, long jitterMillis) implements ToxicAttributes {}

  /** Passes at most {@code rate} KB (1000 bytes) per second; 0 means no limit. */
  record Bandwidth(long rateKbPerSecond) implements ToxicAttributes {}

  /** Delays the close of the connection by {@code delay} after its input ended. */
  record SlowClose(long delayMillis) implements ToxicAttributes {}

  /** Drops all data; closes the connection after {@code timeout} without input (0: never). */
  record Timeout(long timeoutMillis) implements ToxicAttributes {}

  /** On the first data (or end of input), waits {@code timeout} and resets the connection (RST). */
  record ResetPeer(long timeoutMillis) implements ToxicAttributes {}

  /** Cuts each chunk into pieces of about {@code average_size} bytes, {@code delay} µs apart. */
  record Slicer(long averageSizeBytes, long sizeVariationBytes, long delayMicros)
      implements ToxicAttributes {}

  /** Passes {@code bytes} bytes, then closes the connection. */
  record LimitData(long bytes) implements ToxicAttributes {}
}
