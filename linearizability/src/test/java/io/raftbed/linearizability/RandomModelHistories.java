package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded arbitrary small histories (linearizable or not) for Knossos' mutex, set, queues and
 * multi-register: random interleavings of random operations over a few values, completions
 * ok/fail/info/none, outputs drawn at random. For agreement tests against the brute force.
 */
final class RandomModelHistories {
  private RandomModelHistories() {}

  enum Kind { MUTEX, SET, FIFO_QUEUE, UNORDERED_QUEUE, MULTI_REGISTER, MULTI_REGISTER_NIL_ABSENT }

  private static final Keyword X = new Keyword("x");
  private static final Keyword Y = new Keyword("y");
  private static final Keyword READ = new Keyword("read");
  private static final Keyword WRITE = new Keyword("write");

  static History arbitrary(Kind kind, SplittableRandom random, int ops, int processes) {
    HistoryBuilder b = History.builder();
    boolean[] busy = new boolean[processes];
    Object[][] pending = new Object[processes][];
    int started = 0;
    int steps = 0;
    while (started < ops && steps++ < 10 * ops) {
      int p = random.nextInt(processes);
      if (!busy[p]) {
        Object[] inv = invocation(kind, random);
        b.invoke(p, (String) inv[0], inv[1]);
        pending[p] = inv;
        busy[p] = true;
        started++;
        continue;
      }
      int outcome = random.nextInt(20);
      if (outcome < 14) {
        b.ok(p, output(kind, random, pending[p]));
      } else if (outcome < 16) {
        b.fail(p);
      } else if (outcome < 19) {
        b.info(p);
      } else {
        continue; // stays pending for now
      }
      busy[p] = false;
    }
    return b.build();
  }

  /** {f, input}. */
  private static Object[] invocation(Kind kind, SplittableRandom random) {
    return switch (kind) {
      case MUTEX -> new Object[] {random.nextBoolean() ? "acquire" : "release", null};
      case SET -> random.nextInt(3) < 2 ? new Object[] {"add", (long) random.nextInt(3)} : new Object[] {"read", null};
      case FIFO_QUEUE, UNORDERED_QUEUE -> random.nextBoolean()
          ? new Object[] {"enqueue", (long) random.nextInt(3)} : new Object[] {"dequeue", null};
      case MULTI_REGISTER, MULTI_REGISTER_NIL_ABSENT -> new Object[] {"txn", txn(random, false)};
    };
  }

  private static Object output(Kind kind, SplittableRandom random, Object[] inv) {
    return switch (kind) {
      case MUTEX -> null;
      case SET -> inv[0].equals("add") ? inv[1] : randomSet(random);
      case FIFO_QUEUE, UNORDERED_QUEUE -> inv[0].equals("enqueue") ? inv[1] : (Object) (long) random.nextInt(3);
      case MULTI_REGISTER, MULTI_REGISTER_NIL_ABSENT -> fillReads((List<?>) inv[1], random);
    };
  }

  private static Set<Object> randomSet(SplittableRandom random) {
    Set<Object> s = new HashSet<>();
    for (long v = 0; v < 3; v++) {
      if (random.nextInt(3) == 0) {
        s.add(v);
      }
    }
    return s;
  }

  /** One or two micro-operations over :x and :y; reads of nil (as invoked). */
  private static List<Object> txn(SplittableRandom random, boolean values) {
    List<Object> out = new ArrayList<>();
    int n = 1 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      Keyword k = random.nextBoolean() ? X : Y;
      out.add(random.nextBoolean() ? Arrays.asList(READ, k, null) : Arrays.asList(WRITE, k, (long) random.nextInt(3)));
    }
    return out;
  }

  /** The completion's transaction: reads filled in with a value 0..2, or left nil (unknown) now and then. */
  private static List<Object> fillReads(List<?> txn, SplittableRandom random) {
    List<Object> out = new ArrayList<>();
    for (Object o : txn) {
      List<?> m = (List<?>) o;
      boolean read = m.get(0).equals(READ);
      Object v = read ? (random.nextInt(6) == 0 ? null : (Object) (long) random.nextInt(3)) : m.get(2);
      out.add(Arrays.asList(m.get(0), m.get(1), v));
    }
    return out;
  }
}
