package io.raftbed.sim;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Random streams split from one root seed. Each stream is named, and its seed depends only on the
 * root seed and the name, not on the order in which streams are created: adding a stream for a
 * new component never shifts the numbers another component draws.
 */
public final class Rng {
  private Rng() {}

  /** A generator for stream {@code name} (e.g. "network", "node-3/incarnation-2") of run {@code rootSeed}. */
  public static SplittableRandom stream(long rootSeed, String name) {
    long h = mix(rootSeed ^ 0x9E3779B97F4A7C15L);
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h ^ (b & 0xff));
    }
    return new SplittableRandom(h);
  }

  /** SplitMix64's finaliser: a bijective, well-mixing function of 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
