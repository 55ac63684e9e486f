package io.raftbed.runtime;

import io.netty.channel.EventLoop;
import io.raftbed.node.Timers;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The node's {@link Timers} on its Netty event loop: tasks run on the loop thread after the delay, on
 * the machine's monotonic clock. Tasks that throw go to {@code onFailure} instead of being swallowed
 * by the loop, since a half-handled tick would leave the driver in an unknown state.
 *
 * <p>Each task's lateness (how long after its due time it ran) goes to {@code lateness}: a loop that
 * stalls for an election timeout costs the cluster its leader, and this is how to see it happen.
 */
final class LoopTimers implements Timers {
  private final EventLoop loop;
  private final Consumer<Throwable> onFailure;
  private final LongConsumer latenessNanos;

  LoopTimers(EventLoop loop, Consumer<Throwable> onFailure, LongConsumer latenessNanos) {
    this.loop = loop;
    this.onFailure = onFailure;
    this.latenessNanos = latenessNanos;
  }

  @Override
  public long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }

  @Override
  public void schedule(long delayMillis, Runnable task) {
    if (loop.isShuttingDown()) {
      return;
    }
    long dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    loop.schedule(() -> {
      latenessNanos.accept(System.nanoTime() - dueNanos);
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        onFailure.accept(e);
      }
    }, delayMillis, TimeUnit.MILLISECONDS);
  }
}
