package io.raftbed.chaos.workload;

import io.raftbed.chaos.scenario.Scenario.WorkloadSpec;
import io.raftbed.chaos.workload.HistoryRecorder.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Concurrent register clients: each a Jepsen process with one operation in flight, reading, writing
 * and compare-and-setting registers {@code k1..kN} on any node (a node drawn per operation, so
 * followers forward), paced to the scenario's rate. Every write carries a value no other write uses,
 * so a read names the write it saw. A cas expects the value this client last saw or wrote on that
 * key, so that some succeed.
 *
 * <p>Threading: {@link #start} starts one platform thread per client; {@link #stop} asks them to
 * finish their operation in flight and waits (bounded by the operation timeout).
 */
public final class Workload {
  private final WorkloadSpec spec;
  private final HistoryRecorder history;
  private final Supplier<List<Integer>> nodes;
  private final IntFunction<String> urlOf;
  private final long seed;
  private final AtomicLong nextValue = new AtomicLong(1);
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  /**
   * @param nodes the nodes clients may ask, looked up before every operation (membership changes)
   * @param urlOf the base URL through which clients reach a node (its client proxy)
   */
  public Workload(WorkloadSpec spec, HistoryRecorder history, Supplier<List<Integer>> nodes, IntFunction<String> urlOf,
      long seed) {
    this.spec = spec;
    this.history = history;
    this.nodes = nodes;
    this.urlOf = urlOf;
    this.seed = seed;
  }

  public void start() {
    SplittableRandom root = new SplittableRandom(seed);
    for (int p = 0; p < spec.clients(); p++) {
      int process = p;
      SplittableRandom random = root.split();
      Thread t = new Thread(() -> run(process, random), "client-" + p);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Stops every client after its operation in flight; returns once all have. */
  public void stop() throws InterruptedException {
    stopping = true;
    for (Thread t : threads) {
      t.join(spec.timeout().toMillis() + 5_000);
    }
  }

  private void run(int firstProcess, SplittableRandom random) {
    int process = firstProcess;
    KvOps ops = new KvOps(spec.timeout(), spec.staleReads());
    Map<String, Long> lastSeen = new HashMap<>();
    // Each client paces itself: with C clients at R ops/s over all, one operation every C/R seconds.
    long intervalNanos = spec.ratePerSecond() <= 0 ? 0 : (long) (1e9 * spec.clients() / spec.ratePerSecond());
    long next = System.nanoTime() + (intervalNanos == 0 ? 0 : random.nextLong(intervalNanos));
    try {
      while (!stopping && !history.full()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(Math.min(wait, 50_000_000));
          continue;
        }
        next = Math.max(next + intervalNanos, System.nanoTime() - intervalNanos); // no bursts after a stall
        List<Integer> candidates = nodes.get();
        int node = candidates.get(random.nextInt(candidates.size()));
        if (operate(process, ops, random, lastSeen, node) == Type.INFO) {
          // As Jepsen does: a process whose operation is indeterminate may still be running it, so the
          // client goes on as a new process (its old one stays open forever in the history).
          process += spec.clients();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ops.close();
    }
  }

  /** Runs one operation and records it; returns how it ended. */
  private Type operate(int process, KvOps ops, SplittableRandom random, Map<String, Long> lastSeen, int node) {
    String key = "k" + (1 + random.nextInt(spec.keys()));
    String url = urlOf.apply(node);
    String name = "n" + node;
    double draw = random.nextDouble();
    if (draw < spec.readShare()) {
      history.record(Type.INVOKE, process, "read", key, null, name, null);
      KvOps.Outcome o = ops.read(url, key);
      history.record(o.type(), process, "read", key, o.value(), name, o.error());
      if (o.type() == Type.OK && o.value() != null) {
        lastSeen.put(key, o.value());
      }
      return o.type();
    } else if (draw < spec.readShare() + spec.writeShare() || !lastSeen.containsKey(key)) {
      long value = nextValue.getAndIncrement();
      history.record(Type.INVOKE, process, "write", key, value, name, null);
      KvOps.Outcome o = ops.write(url, key, value);
      history.record(o.type(), process, "write", key, value, name, o.error());
      if (o.type() == Type.OK) {
        lastSeen.put(key, value);
      }
      return o.type();
    } else {
      long expected = lastSeen.get(key);
      long value = nextValue.getAndIncrement();
      long[] pair = {expected, value};
      history.record(Type.INVOKE, process, "cas", key, pair, name, null);
      KvOps.Outcome o = ops.cas(url, key, expected, value);
      history.record(o.type(), process, "cas", key, pair, name, o.error());
      if (o.type() == Type.OK) {
        lastSeen.put(key, value);
      }
      return o.type();
    }
  }

  /**
   * Reads every key until the read succeeds or {@code patience} runs out, asking {@code nodes} in turn
   * (the first one first): the final reads. Every attempt is in the history; after an {@code :info}
   * the next attempt is a new process, as in {@link #run}. {@code out} gets each key's last outcome.
   *
   * @param process the first process number to use; the next ones follow it
   */
  public static void readAll(WorkloadSpec spec, HistoryRecorder history, int process, List<Integer> nodes,
      IntFunction<String> urlOf, java.time.Duration patience, Map<String, KvOps.Outcome> out)
      throws InterruptedException {
    KvOps ops = new KvOps(spec.timeout(), false);
    long deadline = System.nanoTime() + patience.toNanos();
    int p = process;
    int attempt = 0;
    try {
      for (int k = 1; k <= spec.keys(); k++) {
        String key = "k" + k;
        KvOps.Outcome o;
        do {
          int node = nodes.get(attempt++ % nodes.size());
          history.record(Type.INVOKE, p, "read", key, null, "n" + node, null);
          o = ops.read(urlOf.apply(node), key);
          history.record(o.type(), p, "read", key, o.value(), "n" + node, o.error());
          if (o.type() == Type.INFO) {
            p++;
          }
          if (o.type() != Type.OK) {
            TimeUnit.MILLISECONDS.sleep(200);
          }
        } while (o.type() != Type.OK && System.nanoTime() < deadline);
        out.put(key, o);
      }
    } finally {
      ops.close();
    }
  }
}
