package io.raftbed.linearizability.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code raftbed gen-history}: writes a seeded Porcupine-style key-value history (one EDN map per
 * line, {@code :f} get/append (and put with {@code --put-rate}), string values, every key initially
 * "") of the shape that stresses a checker: many clients over many keys, some keys made not
 * linearizable by one stale read, and some keys "hard": every client crowds onto them with long,
 * overlapping appends, so the orders the appends could have taken effect in multiply, and some
 * appends time out ({@code :info}). Values grow with every append, so a long history needs puts
 * (which start a key's value afresh) to stay a sensible size.
 *
 * <p>Each operation takes effect at a random instant between its invocation and its completion,
 * so the history is linearizable except for the stale reads, each of which misses an append that
 * completed before the read was invoked (values are concatenations of unique tokens, so nothing
 * can explain the read). Deterministic for a seed. Single-threaded.
 */
public final class GenerateHistory {
  private final SplittableRandom random;
  private final int clients;
  private final int keys;
  private final int illegalKeys;
  private final int hardKeys;
  private final double infoRate;
  private final double putRate;

  /**
   * One operation: who, what, when, and what it returned; for an append, the put its value
   * started from (filled in when effects are applied; null: the initial value).
   */
  private record Op(long process, int key, boolean get, boolean put, String token, long invokeAt, long effectAt,
      long completeAt, boolean info, boolean applied, String[] result, Op[] base) {}

  private GenerateHistory(long seed, int clients, int keys, int illegalKeys, int hardKeys, double infoRate,
      double putRate) {
    this.random = new SplittableRandom(seed);
    this.clients = clients;
    this.keys = keys;
    this.illegalKeys = illegalKeys;
    this.hardKeys = hardKeys;
    this.infoRate = infoRate;
    this.putRate = putRate;
  }

  public static void main(String[] args) {
    try {
      System.exit(run(args));
    } catch (IllegalArgumentException e) {
      System.err.println("raftbed gen-history: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(3);
    } catch (IOException e) {
      System.err.println("raftbed gen-history: " + e.getMessage());
      System.exit(3);
    }
  }

  static final String USAGE = """
      usage: raftbed gen-history [--ops N] [--clients N] [--keys N] [--illegal-keys N] [--hard-keys N]
                                 [--info-rate P] [--put-rate P] [--seed N] [--out FILE]
        Writes a Porcupine-style kv history (get/append, one EDN map per line) to FILE or stdout.
        Defaults: --ops 10000 --clients 50 --keys 10 --illegal-keys 3 --hard-keys 2 --info-rate 0.01
        --put-rate 0 --seed 1. Values grow with every append: above ~50,000 operations give puts
        (e.g. --put-rate 0.05), which start a value afresh, or the file grows with the square.
        Check it with: raftbed check FILE   (model kv, initial "")""";

  static int run(String... args) throws IOException {
    long ops = 10_000;
    int clients = 50;
    int keys = 10;
    int illegal = 3;
    int hard = 2;
    double info = 0.01;
    double put = 0;
    long seed = 1;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println(USAGE);
        return 0;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("'" + a + "' needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--ops" -> ops = Long.parseLong(v);
        case "--clients" -> clients = Integer.parseInt(v);
        case "--keys" -> keys = Integer.parseInt(v);
        case "--illegal-keys" -> illegal = Integer.parseInt(v);
        case "--hard-keys" -> hard = Integer.parseInt(v);
        case "--info-rate" -> info = Double.parseDouble(v);
        case "--put-rate" -> put = Double.parseDouble(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--out" -> out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    if (ops < 1 || clients < 1 || keys < 1 || illegal < 0 || hard < 0 || illegal + hard > keys || info < 0 || info >= 1
        || put < 0 || put > 1) {
      throw new IllegalArgumentException("need --ops, --clients, --keys >= 1, --illegal-keys + --hard-keys <= --keys,"
          + " 0 <= --info-rate < 1 and 0 <= --put-rate <= 1");
    }
    GenerateHistory g = new GenerateHistory(seed, clients, keys, illegal, hard, info, put);
    try (Writer w = out == null
        ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
        : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      g.write(g.generate(ops), w);
    }
    return 0;
  }

  /** Keys 0..hardKeys-1 are hard, the next illegalKeys get a stale read, the rest are plain. */
  private List<Op> generate(long total) {
    List<Op> ops = new ArrayList<>((int) Math.min(total, Integer.MAX_VALUE - 8));
    long[] clock = new long[clients];
    long[] process = new long[clients];
    for (int c = 0; c < clients; c++) {
      process[c] = c;
      clock[c] = random.nextLong(100);
    }
    int[] counter = new int[clients];
    for (long n = 0; n < total; n++) {
      int c = earliest(clock);
      boolean onHard = hardKeys > 0 && (hardKeys == keys || random.nextInt(3) == 0);
      int key = onHard ? random.nextInt(hardKeys) : hardKeys + random.nextInt(keys - hardKeys);
      boolean get = random.nextInt(onHard ? 8 : 3) == 0;
      long invokeAt = clock[c];
      long duration = onHard ? 200 + random.nextLong(2_000) : 5 + random.nextLong(40);
      long effectAt = invokeAt + 1 + random.nextLong(duration - 1);
      boolean info = !get && random.nextDouble() < infoRate;
      boolean put = !get && random.nextDouble() < putRate;
      String token = get ? null : "x " + c + " " + counter[c]++ + " y";
      ops.add(new Op(process[c], key, get, put, token, invokeAt, effectAt, invokeAt + duration, info,
          !info || random.nextBoolean(), new String[1], new Op[1]));
      clock[c] = invokeAt + duration + 1 + random.nextLong(10);
      if (info) {
        process[c] += clients; // like Jepsen: a client whose operation timed out comes back as a new process
      }
    }
    applyInEffectOrder(ops);
    return ops;
  }

  private static int earliest(long[] clock) {
    int best = 0;
    for (int c = 1; c < clock.length; c++) {
      best = clock[c] < clock[best] ? c : best;
    }
    return best;
  }

  /** Computes each get's result; on the illegal keys one read in the second half misses an earlier append. */
  private void applyInEffectOrder(List<Op> ops) {
    Integer[] order = new Integer[ops.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Long.compare(ops.get(a).effectAt(), ops.get(b).effectAt()));
    StringBuilder[] value = new StringBuilder[keys];
    Arrays.setAll(value, k -> new StringBuilder());
    Op[] lastPut = new Op[keys];
    for (int i : order) {
      Op op = ops.get(i);
      if (op.get()) {
        op.result()[0] = value[op.key()].toString();
      } else if (op.applied() && op.put()) {
        value[op.key()].setLength(0);
        value[op.key()].append(op.token());
        lastPut[op.key()] = op;
      } else if (op.applied()) {
        op.base()[0] = lastPut[op.key()];
        value[op.key()].append(op.token());
      }
    }
    for (int k = hardKeys; k < hardKeys + illegalKeys; k++) {
      makeStale(ops, k);
    }
  }

  /**
   * A read of key {@code k}, invoked after an append to it completed, returns the value from before
   * that append took effect: the append is missing and no order explains it, provided the put the
   * value started from completed before the append was invoked (else the append could have come
   * before that put).
   */
  private void makeStale(List<Op> ops, int k) {
    int start = ops.size() / 2 + random.nextInt(Math.max(1, ops.size() / 4));
    int tries = 0;
    for (int i = start; i < ops.size() && tries < 100; i++) {
      Op read = ops.get(i);
      if (read.key() != k || !read.get() || read.info()) {
        continue;
      }
      tries++;
      Op missed = null;
      for (Op o : ops) {
        boolean candidate = o.key() == k && !o.get() && !o.put() && !o.info() && o.completeAt() < read.invokeAt();
        if (candidate && (missed == null || o.completeAt() > missed.completeAt())) {
          missed = o;
        }
      }
      String value = read.result()[0];
      Op base = missed == null ? null : missed.base()[0];
      boolean pinned = base == null || base.completeAt() < missed.invokeAt();
      if (missed != null && pinned && value.contains(missed.token())) {
        read.result()[0] = value.substring(0, value.indexOf(missed.token()));
        return;
      }
    }
  }

  /** Events in time order (invocations before completions at the same instant). */
  private void write(List<Op> ops, Writer w) throws IOException {
    long[] events = new long[2 * ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      events[2 * i] = ops.get(i).invokeAt() * 4 * ops.size() + 2L * i;
      events[2 * i + 1] = ops.get(i).completeAt() * 4 * ops.size() + 2L * i + 1;
    }
    Arrays.sort(events);
    StringBuilder sb = new StringBuilder(128);
    for (long e : events) {
      long slot = e % (4L * ops.size());
      Op op = ops.get((int) (slot / 2));
      boolean invoke = slot % 2 == 0;
      if (!invoke && op.info() && random.nextInt(4) == 0) {
        continue; // sometimes no completion at all: the client crashed
      }
      sb.setLength(0);
      sb.append("{:process ").append(op.process()).append(", :type ")
          .append(invoke ? ":invoke" : op.info() ? ":info" : ":ok")
          .append(", :f ").append(op.get() ? ":get" : op.put() ? ":put" : ":append")
          .append(", :key \"").append(op.key()).append("\", :value ");
      if (op.get()) {
        sb.append(invoke || op.info() ? "nil" : "\"" + op.result()[0] + "\"");
      } else {
        sb.append('"').append(op.token()).append('"');
      }
      w.append(sb).append("}\n");
    }
  }
}
