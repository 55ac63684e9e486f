package io.raftbed.runtime;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Watches the node loop from a thread of its own: every {@code probeMillis} it queues a probe on the
 * loop, and when a probe waits {@code stallMillis} or more it logs a warning at once, with what the loop
 * thread is doing (its top stack frames), and again when the loop runs again, with the stall's length,
 * which goes to {@code stalled} (the {@code raftbed_node_loop_stalls_total} counter). A stall near the
 * election timeout costs the cluster its leader, and a stuck loop could otherwise not report itself.
 *
 * <p>Threading: one daemon platform thread; the probe's timestamp is the only state shared with the
 * loop (volatile). Logs are rate-limited to one stall a second.
 */
final class LoopWatchdog implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LoopWatchdog.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final EventLoop loop;
  private final long probeMillis;
  private final long stallNanos;
  private final LongConsumer stalled;
  private final Thread thread;
  /** When the pending probe was queued; 0 when it has run. */
  private volatile long probeQueuedNanos;
  private volatile boolean closed;
  private volatile Thread loopThread;
  private long lastLogNanos;

  LoopWatchdog(EventLoop loop, String name, long probeMillis, long stallMillis, LongConsumer stalled) {
    this.loop = loop;
    this.probeMillis = probeMillis;
    this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
    this.stalled = stalled;
    this.thread = new Thread(this::watch, name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void watch() {
    boolean reported = false;
    while (!closed) {
      long queued = probeQueuedNanos;
      long now = System.nanoTime();
      if (queued == 0) {
        reported = false;
        probe(now);
      } else if (!reported && now - queued >= stallNanos) {
        reported = true;
        if (mayLog(now)) {
          LOG.log(System.Logger.Level.WARNING, "the node loop is stalled: a task queued " + (now - queued) / 1_000_000
              + " ms ago has not run; the loop thread is at " + where());
        }
      }
      try {
        Thread.sleep(probeMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void probe(long now) {
    probeQueuedNanos = now;
    try {
      loop.execute(() -> {
        loopThread = Thread.currentThread();
        long waitedNanos = System.nanoTime() - probeQueuedNanos;
        probeQueuedNanos = 0;
        if (waitedNanos >= stallNanos) {
          stalled.accept(waitedNanos);
          if (mayLog(System.nanoTime())) {
            LOG.log(System.Logger.Level.WARNING, "the node loop ran again after a stall of " + waitedNanos / 1_000_000
                + " ms (a GC pause, CPU starvation or blocking work on the loop)");
          }
        }
      });
    } catch (RejectedExecutionException e) {
      closed = true; // the loop shut down
    }
  }

  private synchronized boolean mayLog(long now) {
    if (now - lastLogNanos < LOG_INTERVAL_NANOS) {
      return false;
    }
    lastLogNanos = now;
    return true;
  }

  private String where() {
    Thread t = loopThread;
    if (t == null) {
      return "(not known yet)";
    }
    return t.getState() + " " + Arrays.stream(t.getStackTrace()).limit(6).map(StackTraceElement::toString)
        .collect(Collectors.joining(" < "));
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
