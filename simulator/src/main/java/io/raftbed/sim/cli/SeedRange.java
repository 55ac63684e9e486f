package io.raftbed.sim.cli;

/** An inclusive range of seeds, written {@code A..B} or a single {@code N}. */
record SeedRange(long first, long last) {
  SeedRange {
    if (last < first) {
      throw new IllegalArgumentException("seed range " + first + ".." + last + " is empty");
    }
  }

  static SeedRange parse(String text) {
    String t = text.trim();
    int dots = t.indexOf("..");
    try {
      if (dots < 0) {
        long n = Long.parseLong(t);
        return new SeedRange(n, n);
      }
      return new SeedRange(Long.parseLong(t.substring(0, dots)), Long.parseLong(t.substring(dots + 2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a seed range like 1..200 or a seed like 42");
    }
  }

  long count() {
    return last - first + 1;
  }

  @Override
  public String toString() {
    return first == last ? Long.toString(first) : first + ".." + last;
  }
}
