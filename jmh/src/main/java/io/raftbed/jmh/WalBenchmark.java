package io.raftbed.jmh;

import io.raftbed.raft.LogEntry;
import io.raftbed.runtime.wal.WalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The write-ahead log on a real file: {@code writers} writers each keep one 128-byte entry in
 * flight, appending the next as soon as the previous one is fsynced; the log's group commit forces
 * the file once for every append queued meanwhile. A score is records made durable per second; with
 * one writer it is bounded by the disk's fsync rate, with more it shows what group commit buys.
 *
 * <p>The log lives in a fresh directory under {@code -Draftbed.jmh.dir} (default: the JVM's temp
 * directory), which must be on a real disk for the figure to mean anything; it is deleted afterwards.
 * Run: {@code bin/raftbed jmh Wal}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class WalBenchmark {
  static final int RECORDS_PER_INVOCATION = 256;

  @Param({"1", "16", "64"})
  public int writers;

  private ExecutorService nodeLoop;
  private WalStorage wal;
  private Path dir;
  private long nextIndex = 1;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final byte[] data = new byte[128];

  @Setup
  public void open() throws Exception {
    Path base = Path.of(System.getProperty("raftbed.jmh.dir", System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    dir = Files.createTempDirectory(base, "raftbed-wal-bench-");
    nodeLoop = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "node-loop");
      t.setDaemon(true);
      return t;
    });
    wal = new WalStorage(dir, WalStorage.Options.defaults(), nodeLoop, WalStorage.Metrics.NONE, failure::set);
    nodeLoop.submit(wal::load).get();
  }

  /** One operation: one entry appended and fsynced (its writer waits for that before appending the next). */
  @Benchmark
  @OperationsPerInvocation(RECORDS_PER_INVOCATION)
  public long appendAndSync() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(RECORDS_PER_INVOCATION);
    int each = RECORDS_PER_INVOCATION / writers;
    nodeLoop.execute(() -> {
      for (int w = 0; w < writers; w++) {
        append(each, done);
      }
    });
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("appends did not complete within 60 s; disk failure: " + failure.get());
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the log failed", failure.get());
    }
    return nextIndex;
  }

  /** On the node loop: appends one entry and, once it is durable, the writer's next, {@code left} in all. */
  private void append(int left, CountDownLatch done) {
    LogEntry e = new LogEntry(1, nextIndex++, LogEntry.Type.COMMAND, data);
    wal.persist(null, List.of(e), true, () -> {
      done.countDown();
      if (left > 1) {
        append(left - 1, done);
      }
    });
  }

  @TearDown
  public void close() throws Exception {
    nodeLoop.submit(() -> {
      wal.close();
      return null;
    }).get();
    nodeLoop.shutdown();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
