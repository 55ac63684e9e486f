package io.raftbed.chaos.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftbed.chaos.proxy.ToxicAttributes.Bandwidth;
import io.raftbed.chaos.proxy.ToxicAttributes.Latency;
import io.raftbed.chaos.proxy.ToxicAttributes.Slicer;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The toxics that hold data back and release it later, in order: {@code latency}, {@code bandwidth}
 * and {@code slicer}. Each chunk (or piece of one) gets a release time no earlier than the previous
 * one's, as Toxiproxy's toxics handle one chunk after the other; one timer on the event loop releases
 * whatever is due. The end of the input is released right after the last data, undelayed, as in
 * Toxiproxy (its toxics pass the close on when they reach it). Held bytes count towards the link's
 * backpressure.
 *
 * <p>Threading: confined to the connection's event loop.
 */
abstract sealed class TimedQueueStage extends ToxicStage
    permits TimedQueueStage.LatencyStage, TimedQueueStage.BandwidthStage, TimedQueueStage.SlicerStage {
  /** A held chunk ({@code data == null}: the end of the input) and when it may go. */
  private record Held(ByteBuf data, long releaseNanos) {}

  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  /** Release time of the last chunk queued; later chunks never leave before it. */
  long lastReleaseNanos;
  private ScheduledFuture<?> timer;
  private long timerDueNanos;

  TimedQueueStage(Link link, ToxicSpec spec) {
    super(link, spec);
  }

  /** Queues {@code chunk} to leave at {@code releaseNanos}, or after the previous chunk if later. */
  final void hold(ByteBuf chunk, long releaseNanos) {
    lastReleaseNanos = Math.max(lastReleaseNanos, releaseNanos);
    queue.add(new Held(chunk, lastReleaseNanos));
    link.held(chunk.readableBytes());
    arm();
  }

  @Override
  final void onEnd() {
    lastReleaseNanos = Math.max(lastReleaseNanos, System.nanoTime());
    queue.add(new Held(null, lastReleaseNanos));
    arm();
  }

  private void arm() {
    Held first = queue.peek();
    if (first == null) {
      return;
    }
    long delayNanos = first.releaseNanos - System.nanoTime();
    if (delayNanos <= 0) {
      release(false);
      return;
    }
    if (timer != null && timerDueNanos <= first.releaseNanos) {
      return;
    }
    cancel(timer);
    timerDueNanos = first.releaseNanos;
    timer = schedule(this::fire, delayNanos);
  }

  private void fire() {
    timer = null;
    release(false);
  }

  /** Hands on what is due ({@code all}: everything), then waits for the next release time. */
  private void release(boolean all) {
    long now = System.nanoTime();
    boolean passed = false;
    while (!queue.isEmpty() && (all || queue.peek().releaseNanos <= now)) {
      Held h = queue.poll();
      if (h.data == null) {
        out.flush();
        out.end();
        passed = false;
      } else {
        link.held(-h.data.readableBytes());
        out.data(h.data);
        passed = true;
      }
    }
    if (passed) {
      out.flush();
    }
    if (!all) {
      arm();
    }
  }

  @Override
  final void interrupt() {
    cancel(timer);
    timer = null;
    release(true);
    lastReleaseNanos = 0;
  }

  @Override
  final void dispose() {
    cancel(timer);
    timer = null;
    for (Held h : queue) {
      if (h.data != null) {
        h.data.release();
      }
    }
    queue.clear();
  }

  /**
   * {@code latency} ({@code toxics/latency.go}): each chunk leaves {@code latency ± jitter} ms after
   * it arrived ({@code latency + rand[-jitter, jitter)}), never before the chunk ahead of it.
   */
  static final class LatencyStage extends TimedQueueStage {
    LatencyStage(Link link, ToxicSpec spec) {
      super(link, spec);
    }

    @Override
    void onData(ByteBuf chunk) {
      Latency a = (Latency) spec.attributes();
      long delayMillis = a.latencyMillis();
      if (a.jitterMillis() > 0) {
        delayMillis += ThreadLocalRandom.current().nextLong(-a.jitterMillis(), a.jitterMillis());
      }
      hold(chunk, System.nanoTime() + millisToNanos(delayMillis));
    }
  }

  /**
   * {@code bandwidth} ({@code toxics/bandwidth.go}): {@code rate} KB/s, KB = 1000 bytes (Toxiproxy
   * sleeps {@code len * 1ms / rate}). A chunk leaves once the link has spent {@code len/rate} on it
   * after the previous one; chunks bigger than 100 ms of rate are cut into 100 ms pieces, as in
   * Toxiproxy, so the output is smooth. An idle link earns no burst. {@code rate <= 0}: no limit.
   */
  static final class BandwidthStage extends TimedQueueStage {
    BandwidthStage(Link link, ToxicSpec spec) {
      super(link, spec);
    }

    @Override
    void onData(ByteBuf chunk) {
      long rate = ((Bandwidth) spec.attributes()).rateKbPerSecond();
      long now = System.nanoTime();
      if (rate <= 0) {
        hold(chunk, now);
        return;
      }
      int pieceBytesMax = (int) Math.min(Integer.MAX_VALUE, Math.max(1, rate * 100));
      while (chunk.readableBytes() > pieceBytesMax) {
        ByteBuf piece = chunk.readRetainedSlice(pieceBytesMax);
        hold(piece, Math.max(now, lastReleaseNanos) + pieceBytesMax * 1_000_000L / rate);
      }
      hold(chunk, Math.max(now, lastReleaseNanos) + chunk.readableBytes() * 1_000_000L / rate);
    }
  }

  /**
   * {@code slicer} ({@code toxics/slicer.go}): cuts each chunk into pieces of
   * {@code average_size ± size_variation} bytes (at least 1) and lets them go {@code delay} µs apart,
   * with one more {@code delay} after the last piece before the next chunk. {@code average_size <= 0}
   * passes chunks whole.
   */
  static final class SlicerStage extends TimedQueueStage {
    SlicerStage(Link link, ToxicSpec spec) {
      super(link, spec);
    }

    @Override
    void onData(ByteBuf chunk) {
      Slicer a = (Slicer) spec.attributes();
      long start = Math.max(System.nanoTime(), lastReleaseNanos);
      if (a.averageSizeBytes() <= 0) {
        hold(chunk, start);
        return;
      }
      long delayNanos = Math.max(0, Math.min(a.delayMicros(), Long.MAX_VALUE / 4_000) * 1_000);
      long variation = Math.max(0, Math.min(a.sizeVariationBytes(), a.averageSizeBytes() - 1));
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long release = start;
      while (chunk.isReadable()) {
        long size = a.averageSizeBytes() + (variation > 0 ? random.nextLong(-variation, variation + 1) : 0);
        int pieceBytes = (int) Math.min(chunk.readableBytes(), Math.max(1, size));
        if (pieceBytes == chunk.readableBytes()) {
          hold(chunk, release);
          break;
        }
        hold(chunk.readRetainedSlice(pieceBytes), release);
        release += delayNanos;
      }
      lastReleaseNanos = release + delayNanos;
    }
  }
}
