package io.raftbed.runtime.net;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Caps the open connections of one server. A connection beyond {@code connectionsMax} is handed to
 * the {@code reject} callback, which may write a last word and must close it.
 *
 * <p>Threading: shared by every child channel of a server, on any I/O thread; the count is atomic.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final int connectionsMax;
  private final Consumer<ChannelHandlerContext> reject;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();

  /**
   * @param connectionsMax connections served at once
   * @param reject called with the limiter's context of an over-limit channel; it may write raw bytes
   *     with it (they bypass the protocol handlers) and must close the channel
   */
  public ConnectionLimiter(int connectionsMax, Consumer<ChannelHandlerContext> reject) {
    if (connectionsMax < 1) {
      throw new IllegalArgumentException("connectionsMax must be positive");
    }
    this.connectionsMax = connectionsMax;
    this.reject = reject;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > connectionsMax) {
      rejected.incrementAndGet();
      ctx.channel().config().setAutoRead(false);
      reject.accept(ctx);
      return; // the rest of the pipeline never sees this connection
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    open.decrementAndGet();
    super.channelInactive(ctx);
  }

  /** Connections open now, including rejected ones not yet closed. */
  public int open() {
    return open.get();
  }

  /** Connections turned away so far. */
  public int rejected() {
    return rejected.get();
  }
}
