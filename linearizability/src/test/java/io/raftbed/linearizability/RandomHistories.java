package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random register histories for tests: a simulated register with concurrent clients,
 * where each operation takes effect atomically at some moment between its invocation and its
 * completion, so the histories are linearizable by construction (unless tampered with).
 */
final class RandomHistories {
  private static final Object NEVER = new Object();

  private RandomHistories() {}

  /**
   * An arbitrary small register history (linearizable or not): random interleavings of reads,
   * writes and cas over values 0..2, completions ok/fail/info/none, reads returning anything.
   */
  static History arbitrary(SplittableRandom random, int ops, int processes) {
    return arbitrary(random, ops, processes, false);
  }

  private static final String[] STRINGS = {"", "a", "b", "ab", "ba"};

  /**
   * Like {@link #arbitrary(SplittableRandom, int, int)}; with {@code kv}, over two keys, with
   * delete and append too, and string values.
   */
  static History arbitrary(SplittableRandom random, int ops, int processes, boolean kv) {
    HistoryBuilder b = History.builder();
    boolean[] busy = new boolean[processes];
    String[] f = new String[processes];
    int started = 0;
    int steps = 0;
    while (started < ops && steps++ < 10 * ops) {
      int p = random.nextInt(processes);
      if (!busy[p]) {
        int kind = random.nextInt(kv ? 5 : 3);
        f[p] = new String[] {"read", "write", "cas", "delete", "append"}[kind];
        Object value = switch (kind) {
          case 0, 3 -> null;
          case 1 -> kv ? STRINGS[random.nextInt(3)] : (Object) (long) random.nextInt(3);
          case 2 -> kv ? Arrays.asList(random.nextInt(4) == 0 ? null : STRINGS[random.nextInt(3)], STRINGS[random.nextInt(3)])
              : List.of((long) random.nextInt(3), (long) random.nextInt(3));
          default -> STRINGS[1 + random.nextInt(2)];
        };
        b.invoke(p, f[p], kv ? "k" + random.nextInt(2) : null, value);
        busy[p] = true;
        started++;
        continue;
      }
      int outcome = random.nextInt(20);
      if (outcome < 14) {
        int v = random.nextInt(4);
        if (f[p].equals("read")) {
          b.ok(p, v == 3 ? null : kv ? STRINGS[random.nextInt(STRINGS.length)] : (Object) (long) v);
        } else {
          b.ok(p);
        }
      } else if (outcome < 17) {
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

  /**
   * @param ops       number of operations
   * @param processes concurrent clients
   * @param values    values are drawn from {@code 0..values-1}
   * @param keys      number of keys (1 = a single unkeyed register)
   * @param infoRate  probability that an operation ends {@code :info} (its effect applied or not)
   */
  static History linearizable(long seed, int ops, int processes, int values, int keys, double infoRate) {
    SplittableRandom random = new SplittableRandom(seed);
    HistoryBuilder b = History.builder();
    Object[] state = new Object[keys];
    long[] pendingSlot = new long[processes]; // next process id per slot (crashed clients get a new id)
    Object[] pendingF = new Object[processes];
    boolean[] applied = new boolean[processes];
    Object[] result = new Object[processes];
    Arrays.fill(pendingF, null);
    for (int p = 0; p < processes; p++) {
      pendingSlot[p] = p;
    }
    int started = 0;
    while (started < ops || Arrays.stream(pendingF).anyMatch(f -> f != null)) {
      int p = random.nextInt(processes);
      long process = pendingSlot[p];
      if (pendingF[p] == null) {
        if (started == ops) {
          continue;
        }
        started++;
        int key = random.nextInt(keys);
        Object k = keys == 1 ? null : "k" + key;
        int kind = random.nextInt(10);
        Object value = kind < 4 ? null : kind < 8 ? (Object) (long) random.nextInt(values)
            : List.of((long) random.nextInt(values), (long) random.nextInt(values));
        String f = kind < 4 ? "read" : kind < 8 ? "write" : "cas";
        b.invoke(process, f, k, value);
        pendingF[p] = new Object[] {f, key, value};
        applied[p] = false;
      } else if (!applied[p]) {
        applied[p] = true; // the linearization point, or a crash before it
        Object[] inv = (Object[]) pendingF[p];
        result[p] = random.nextDouble() < infoRate ? NEVER : apply(state, (String) inv[0], (int) inv[1], inv[2]);
      } else {
        complete(b, process, pendingF[p], result[p], random, infoRate);
        if (random.nextDouble() < infoRate * 0.5) {
          pendingSlot[p] += processes; // like Jepsen, a new process after a crash
        }
        pendingF[p] = null;
      }
    }
    return b.build();
  }

  private static Object apply(Object[] state, String f, int key, Object value) {
    return switch (f) {
      case "read" -> state[key];
      case "write" -> {
        state[key] = value;
        yield value;
      }
      default -> {
        List<?> cas = (List<?>) value;
        boolean ok = java.util.Objects.equals(state[key], cas.get(0));
        if (ok) {
          state[key] = cas.get(1);
        }
        yield ok;
      }
    };
  }

  private static void complete(HistoryBuilder b, long process, Object inv, Object result, SplittableRandom random,
                 double infoRate) {
    String f = (String) ((Object[]) inv)[0];
    if (result == NEVER || random.nextDouble() < infoRate) {
      b.info(process);
    } else if (f.equals("read")) {
      b.ok(process, result);
    } else if (f.equals("cas") && !(Boolean) result) {
      b.fail(process);
    } else {
      b.ok(process);
    }
  }

  /** The history with the completion of the read at or after {@code fraction} of it returning {@code value}. */
  static History withReadChanged(History h, double fraction, Object value) {
    List<Op> ops = new ArrayList<>(h.ops());
    for (int i = (int) (ops.size() * fraction); i < ops.size(); i++) {
      Op op = ops.get(i);
      if (op.type() == OpType.OK && op.f().equals("read")) {
        ops.set(i, new Op(op.index(), op.process(), op.type(), op.f(), op.key(), value, op.timeNanos()));
        return History.of(ops);
      }
    }
    throw new IllegalArgumentException("no ok read after " + fraction);
  }
}
