package io.raftbed.runtime;

import io.netty.channel.EventLoop;
import io.raftbed.node.Timers;
import java.util.concurrent.TimeUnit;

/**
 * The node's {@link Timers} on its Netty event loop: tasks run on the loop thread after the delay, on
 * the machine's monotonic clock. Tasks that throw go to {@code onFailure} instead of being swallowed
 * by the loop, since a half-handled tick would leave the driver in an unknown state.
 */
final class LoopTimers implements Timers {
  private final EventLoop loop;
  private final java.util.function.Consumer<Throwable> onFailure;

  LoopTimers(EventLoop loop, java.util.function.Consumer<Throwable> onFailure) {
    this.loop = loop;
    this.onFailure = onFailure;
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
    loop.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        onFailure.accept(e);
      }
    }, delayMillis, TimeUnit.MILLISECONDS);
  }
}
