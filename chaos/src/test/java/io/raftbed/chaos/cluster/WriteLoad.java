package io.raftbed.chaos.cluster;

import io.raftbed.chaos.client.KvHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Writers that keep overwriting a few keys through whichever nodes a test names, and remember every
 * outcome, so that at the end the test can say which value each key may hold.
 *
 * <p>Each writer is one client with its own key space, writing sequentially with {@code X-Client-Id}
 * and increasing {@code X-Seq}: the state machine never applies a write after a later one of the same
 * client, so a key ends with its last acknowledged value or with the value of a later write whose
 * outcome was unknown (504, timeout, lost connection). A 503 or 4xx is certainly not applied.
 *
 * <p>Threading: one thread per writer; the outcome lists are guarded by {@code this}.
 */
final class WriteLoad implements AutoCloseable {
  /** Stands for "the key does not exist" among allowed values. */
  static final String ABSENT = "<absent>";

  private record Outcome(String key, long seq, String value, boolean acked) {}

  private final Supplier<List<String>> targets;
  private final int keysPerWriter;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Outcome> outcomes = new ArrayList<>();
  private volatile boolean stopping;
  private long acked;
  private long lastAckNanos;
  private long longestGapNanos;

  /** @param targets base URLs of the nodes to write through, read before every write */
  WriteLoad(int writers, int keysPerWriter, Supplier<List<String>> targets) {
    this.targets = targets;
    this.keysPerWriter = keysPerWriter;
    for (int w = 1; w <= writers; w++) {
      int writer = w;
      threads.add(new Thread(() -> write(writer), "writer-" + w));
    }
  }

  void start() {
    synchronized (this) {
      lastAckNanos = System.nanoTime();
    }
    threads.forEach(Thread::start);
  }

  private void write(int writer) {
    KvHttp http = new KvHttp(Duration.ofSeconds(6));
    Map<String, String> headers = new LinkedHashMap<>();
    for (long seq = 1; !stopping; seq++) {
      List<String> urls = targets.get();
      String key = "w" + writer + "-k" + seq % keysPerWriter;
      String value = "w" + writer + "-" + seq;
      headers.put("X-Client-Id", Integer.toString(1000 + writer));
      headers.put("X-Seq", Long.toString(seq));
      boolean acked;
      boolean unknown;
      try {
        KvHttp.Reply r = http.put(urls.get((int) (seq % urls.size())), key, value.getBytes(StandardCharsets.UTF_8),
            headers);
        acked = r.status() == 200;
        unknown = r.status() == 504;
      } catch (IOException e) {
        acked = false;
        unknown = true;
      }
      if (acked || unknown) {
        record(new Outcome(key, seq, value, acked));
      }
      sleepMillis(acked ? 5 : 50);
    }
  }

  private synchronized void record(Outcome o) {
    outcomes.add(o);
    if (o.acked) {
      acked++;
      long now = System.nanoTime();
      longestGapNanos = Math.max(longestGapNanos, now - lastAckNanos);
      lastAckNanos = now;
    }
  }

  synchronized long acked() {
    return acked;
  }

  /** The longest time without any acknowledged write since {@link #start}, in milliseconds. */
  synchronized long longestAckGapMillis() {
    return TimeUnit.NANOSECONDS.toMillis(Math.max(longestGapNanos, System.nanoTime() - lastAckNanos));
  }

  /** Waits until {@code more} further writes are acknowledged, or fails after {@code timeout}. */
  void awaitMoreAcks(long more, Duration timeout) throws InterruptedException {
    long target = acked() + more;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acked() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("writes stalled: " + acked() + " acknowledged, waited for " + target);
      }
      Thread.sleep(20);
    }
  }

  /** For each key written: its last acknowledged value and every later value whose outcome is unknown. */
  synchronized Map<String, Set<String>> allowedFinalValues() {
    Map<String, Set<String>> allowed = new LinkedHashMap<>();
    for (Outcome o : outcomes) { // in each writer's order, which is seq order per key
      Set<String> values = allowed.computeIfAbsent(o.key, k -> new LinkedHashSet<>(Set.of(ABSENT)));
      if (o.acked) {
        values.clear();
      }
      values.add(o.value);
    }
    return allowed;
  }

  /** Stops the writers and waits for them. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(15));
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
