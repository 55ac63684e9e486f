package io.raftbed.chaos.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftbed.chaos.proxy.ToxicAttributes.Bandwidth;
import io.raftbed.chaos.proxy.ToxicAttributes.Latency;
import io.raftbed.chaos.proxy.ToxicAttributes.LimitData;
import io.raftbed.chaos.proxy.ToxicAttributes.Noop;
import io.raftbed.chaos.proxy.ToxicAttributes.ResetPeer;
import io.raftbed.chaos.proxy.ToxicAttributes.Slicer;
import io.raftbed.chaos.proxy.ToxicAttributes.SlowClose;
import io.raftbed.chaos.proxy.ToxicAttributes.Timeout;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One toxic acting on one direction of one connection: Toxiproxy's {@code ToxicStub} running a toxic's
 * {@code Pipe} ({@code toxics/toxic.go}). Whether it acts is drawn once against {@code toxicity} when it
 * starts on the connection (connection opened or toxic added) and again on every update, as
 * Toxiproxy's {@code ToxicStub.Run}; a stage that does not act passes data through.
 *
 * <p>The behaviour of each type follows {@code toxics/<type>.go} and the README's "Toxics" section;
 * the delaying types are in {@link TimedQueueStage}. On an update or removal a stage hands its
 * pending data on at once (Toxiproxy: "don't drop any data on the floor").
 *
 * <p>Threading: confined to the connection's event loop.
 */
abstract sealed class ToxicStage implements Outlet
    permits ToxicStage.Pass, ToxicStage.TimeoutStage, ToxicStage.ResetPeerStage,
        ToxicStage.LimitDataStage, ToxicStage.SlowCloseStage, TimedQueueStage {
  final Link link;
  ToxicSpec spec;
  /** The next stage or the link's writer. */
  Outlet out;
  /** Drawn against toxicity: whether this stage acts on this connection. */
  boolean active;
  /** The stage closed its output (timeout, limit_data); it drops whatever still arrives. */
  boolean dead;
  /** Removed through the API but kept in the chain because it closed (see {@link Link#remove}). */
  boolean orphaned;

  ToxicStage(Link link, ToxicSpec spec) {
    this.link = link;
    this.spec = spec;
  }

  static ToxicStage create(Link link, ToxicSpec spec) {
    return switch (spec.attributes()) {
      case Noop n -> new Pass(link, spec);
      case Latency l -> new TimedQueueStage.LatencyStage(link, spec);
      case Bandwidth b -> new TimedQueueStage.BandwidthStage(link, spec);
      case Slicer s -> new TimedQueueStage.SlicerStage(link, spec);
      case Timeout t -> new TimeoutStage(link, spec);
      case ResetPeer r -> new ResetPeerStage(link, spec);
      case LimitData l -> new LimitDataStage(link, spec);
      case SlowClose s -> new SlowCloseStage(link, spec);
    };
  }

  /** Starts on the connection: draws whether to act. */
  final void start() {
    active = ThreadLocalRandom.current().nextFloat() < spec.toxicity();
    if (active) {
      onStart();
    }
  }

  @Override
  public final void data(ByteBuf chunk) {
    if (dead) {
      chunk.release();
    } else if (active) {
      onData(chunk);
    } else {
      out.data(chunk);
    }
  }

  @Override
  public final void end() {
    if (dead) {
      return;
    }
    if (active) {
      onEnd();
    } else {
      out.end();
    }
  }

  @Override
  public void flush() {
    out.flush();
  }

  /** New settings: interrupt, then run again with a fresh toxicity draw (Toxiproxy's UpdateToxic). */
  final void update(ToxicSpec next) {
    if (!dead && active) {
      interrupt();
    }
    spec = next;
    if (!dead) {
      start();
    }
  }

  /**
   * The toxic is being removed: hand pending data on. Returns true if the stage must stay in the
   * chain because it has closed (or is about to reset) the connection.
   */
  boolean remove() {
    if (dead) {
      return true;
    }
    if (active) {
      interrupt();
    }
    return false;
  }

  /** Closes this stage's output after what it already passed on (Toxiproxy's {@code stub.Close}). */
  final void closeOutput() {
    if (!dead) {
      dead = true;
      out.end();
    }
  }

  /** The connection is gone: cancel timers, release buffers. */
  void dispose() {}

  // The hooks below pass everything on untouched; each toxic overrides the ones it changes.

  /** The toxic takes effect on a live connection (or the connection opens under it). */
  void onStart() {}

  void onData(ByteBuf chunk) {
    out.data(chunk);
  }

  void onEnd() {
    out.end();
  }

  /** Stop timers and hand pending data on now; the stage may start again afterwards. */
  void interrupt() {}

  final ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return link.source.eventLoop().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Milliseconds to nanoseconds; negative values count as 0, huge ones saturate. */
  static long millisToNanos(long millis) {
    return millis <= 0 ? 0 : millis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE / 2 : millis * 1_000_000;
  }

  /** {@code noop}, and any toxic whose toxicity draw failed: passes everything on. */
  static final class Pass extends ToxicStage {
    Pass(Link link, ToxicSpec spec) {
      super(link, spec);
    }
  }

  /**
   * {@code timeout} ({@code toxics/timeout.go}): drops every chunk and closes the connection after
   * {@code timeout} ms; Toxiproxy's wait restarts after every dropped chunk (a new {@code time.After}
   * per loop), so does this one. 0 never closes. Removing the toxic closes the connection even if it
   * did not act (its {@code Cleanup}: the stream lost data, so it cannot continue).
   */
  static final class TimeoutStage extends ToxicStage {
    private ScheduledFuture<?> timer;
    private long lastActivityNanos;

    TimeoutStage(Link link, ToxicSpec spec) {
      super(link, spec);
    }

    private long timeoutNanos() {
      return millisToNanos(((Timeout) spec.attributes()).timeoutMillis());
    }

    @Override
    void onStart() {
      lastActivityNanos = System.nanoTime();
      arm(timeoutNanos());
    }

    @Override
    void onData(ByteBuf chunk) {
      chunk.release();
      lastActivityNanos = System.nanoTime();
    }

    private void arm(long delayNanos) {
      cancel(timer);
      timer = timeoutNanos() > 0 ? schedule(this::expire, delayNanos) : null;
    }

    private void expire() {
      timer = null;
      long quietNanos = System.nanoTime() - lastActivityNanos;
      if (quietNanos < timeoutNanos()) {
        arm(timeoutNanos() - quietNanos);
      } else {
        closeOutput();
      }
    }

    @Override
    void onEnd() {
      interrupt();
      closeOutput();
    }

    @Override
    void interrupt() {
      cancel(timer);
      timer = null;
    }

    @Override
    boolean remove() {
      interrupt();
      closeOutput();
      return true;
    }

    @Override
    void dispose() {
      interrupt();
    }
  }

  /**
   * {@code reset_peer} ({@code toxics/reset_peer.go}, {@code link.go}): the first chunk (or the end of
   * the input) starts a wait of {@code timeout} ms, after which both sockets of the connection close
   * with SO_LINGER 0, which sends a TCP RST. Data is dropped meanwhile. Toxiproxy sets the linger only
   * on connections opened after the toxic was added; this proxy resets live ones as well.
   */
  static final class ResetPeerStage extends ToxicStage {
    private ScheduledFuture<?> timer;
    private boolean triggered;

    ResetPeerStage(Link link, ToxicSpec spec) {
      super(link, spec);
    }

    @Override
    void onData(ByteBuf chunk) {
      chunk.release();
      trigger();
    }

    @Override
    void onEnd() {
      trigger();
    }

    private void trigger() {
      if (triggered) {
        return;
      }
      triggered = true;
      long delayNanos = millisToNanos(((ResetPeer) spec.attributes()).timeoutMillis());
      if (delayNanos == 0) {
        link.connection.reset();
      } else {
        timer = schedule(link.connection::reset, delayNanos);
      }
    }

    /** A pending reset still happens: Toxiproxy's toxic sleeps through an interrupt. */
    @Override
    void interrupt() {}

    @Override
    boolean remove() {
      return triggered || dead;
    }

    @Override
    void dispose() {
      cancel(timer);
    }
  }

  /**
   * {@code limit_data} ({@code toxics/limit_data.go}): passes the first {@code bytes} bytes of the
   * direction, cutting the chunk that crosses the limit, then closes the connection. The count is
   * per connection and survives updates (Toxiproxy's {@code LimitDataToxicState}).
   */
  static final class LimitDataStage extends ToxicStage {
    private long transmittedBytes;

    LimitDataStage(Link link, ToxicSpec spec) {
      super(link, spec);
    }

    @Override
    void onData(ByteBuf chunk) {
      long limit = Math.max(0, ((LimitData) spec.attributes()).bytes());
      long remaining = Math.max(0, limit - transmittedBytes);
      if (chunk.readableBytes() > remaining) {
        ByteBuf allowed = chunk.readRetainedSlice((int) remaining);
        chunk.release();
        chunk = allowed;
      }
      if (chunk.isReadable()) {
        transmittedBytes += chunk.readableBytes();
        out.data(chunk);
      } else {
        chunk.release();
      }
      if (limit - transmittedBytes <= 0) {
        out.flush();
        closeOutput();
      }
    }
  }

  /**
   * {@code slow_close} ({@code toxics/slow_close.go}): passes data; when the input ends, waits
   * {@code delay} ms before passing the end on. Removing the toxic during the wait closes at once
   * (where Toxiproxy would lose the close).
   */
  static final class SlowCloseStage extends ToxicStage {
    private ScheduledFuture<?> timer;

    SlowCloseStage(Link link, ToxicSpec spec) {
      super(link, spec);
    }

    @Override
    void onEnd() {
      long delayNanos = millisToNanos(((SlowClose) spec.attributes()).delayMillis());
      if (delayNanos == 0) {
        out.end();
      } else if (timer == null) {
        timer = schedule(() -> out.end(), delayNanos);
      }
    }

    /** A pending close keeps its time. */
    @Override
    void interrupt() {}

    @Override
    boolean remove() {
      if (timer != null && !timer.isDone()) {
        timer.cancel(false);
        out.end();
      }
      return dead;
    }

    @Override
    void dispose() {
      cancel(timer);
    }
  }
}
