package io.raftbed.linearizability;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and semantics of a check. Immutable; start from {@link #defaults()} and use the
 * {@code with...} methods.
 *
 * @param timeLimit        wall-clock budget of the search; when it runs out the verdict is UNKNOWN
 * @param memoryLimitBytes budget of the memo tables of all partitions together; 0 means half of the
 *                         heap that is free when the check starts
 * @param parallelism      partitions checked at once; 1 runs everything on the calling thread
 * @param failSemantics    what a {@code :fail} completion means
 * @param shrinkTimeLimit  extra budget to shrink a counterexample to a small window; ZERO skips
 *                         shrinking (the counterexample then holds the longest linearizable prefix)
 */
public record CheckOptions(Duration timeLimit, long memoryLimitBytes, int parallelism,
              FailSemantics failSemantics, Duration shrinkTimeLimit) {

  public CheckOptions {
    Objects.requireNonNull(timeLimit, "timeLimit");
    Objects.requireNonNull(failSemantics, "failSemantics");
    Objects.requireNonNull(shrinkTimeLimit, "shrinkTimeLimit");
    if (timeLimit.isNegative() || shrinkTimeLimit.isNegative()) {
      throw new IllegalArgumentException("negative time limit");
    }
    if (memoryLimitBytes < 0) {
      throw new IllegalArgumentException("memoryLimitBytes < 0: " + memoryLimitBytes);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism < 1: " + parallelism);
    }
  }

  /** 60 s, memo budget from the heap, all cores, Jepsen fail semantics, 5 s of shrinking. */
  public static CheckOptions defaults() {
    return new CheckOptions(Duration.ofSeconds(60), 0, Runtime.getRuntime().availableProcessors(),
        FailSemantics.NOT_HAPPENED, Duration.ofSeconds(5));
  }

  public CheckOptions withTimeLimit(Duration limit) {
    return new CheckOptions(limit, memoryLimitBytes, parallelism, failSemantics, shrinkTimeLimit);
  }

  public CheckOptions withMemoryLimitBytes(long bytes) {
    return new CheckOptions(timeLimit, bytes, parallelism, failSemantics, shrinkTimeLimit);
  }

  public CheckOptions withParallelism(int threads) {
    return new CheckOptions(timeLimit, memoryLimitBytes, threads, failSemantics, shrinkTimeLimit);
  }

  public CheckOptions withFailSemantics(FailSemantics semantics) {
    return new CheckOptions(timeLimit, memoryLimitBytes, parallelism, semantics, shrinkTimeLimit);
  }

  public CheckOptions withShrinkTimeLimit(Duration limit) {
    return new CheckOptions(timeLimit, memoryLimitBytes, parallelism, failSemantics, limit);
  }
}
