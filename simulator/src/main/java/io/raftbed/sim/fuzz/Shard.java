package io.raftbed.sim.fuzz;

/**
 * One of {@code count} disjoint slices of the seed space: seed {@code s} belongs to shard {@code index}
 * of {@code count} when {@code floorMod(s, count) == index - 1}. The shards of one seed range, run on
 * any machines (a CI matrix, a Kubernetes indexed Job, a Slurm array), cover every seed exactly once,
 * and their result files ({@link #resultsFileName()}) merge by concatenation. Immutable.
 *
 * @param index this shard, 1-based
 * @param count the number of shards
 */
public record Shard(int index, int count) {
  /** The whole seed space as one shard. */
  public static final Shard ALL = new Shard(1, 1);

  public Shard {
    if (count < 1 || index < 1 || index > count) {
      throw new IllegalArgumentException("shard " + index + "/" + count + " is not K/N with 1 <= K <= N");
    }
  }

  /** Parses {@code K/N}, e.g. {@code 3/8}. */
  public static Shard parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + text + "' is not a shard K/N like 3/8 (shard K of N, 1 <= K <= N)");
    }
    try {
      return new Shard(Integer.parseInt(t.substring(0, slash).trim()), Integer.parseInt(t.substring(slash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a shard K/N like 3/8 (shard K of N, 1 <= K <= N)", e);
    }
  }

  public boolean contains(long seed) {
    return Math.floorMod(seed, count) == index - 1;
  }

  /** The smallest seed at or after {@code seed} that belongs to this shard (Long.MAX_VALUE's shard may wrap: callers bound it). */
  public long firstAtOrAfter(long seed) {
    long offset = Math.floorMod((long) (index - 1) - seed, (long) count);
    return seed + offset;
  }

  /** How many seeds of {@code first..last} belong to this shard. */
  public long countIn(long first, long last) {
    if (last < first) {
      return 0;
    }
    long start = firstAtOrAfter(first);
    return start > last || start < first ? 0 : (last - start) / count + 1;
  }

  /** The shard's result file: one JSON line per seed. */
  public String resultsFileName() {
    return "results-shard-" + index + "-of-" + count + ".jsonl";
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
