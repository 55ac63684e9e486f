package io.raftbed.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftbed.runtime.net.ConnectionGovernor;
import io.raftbed.runtime.net.ConnectionGovernor.Activity;
import java.util.concurrent.TimeUnit;

/**
 * The time limits of one HTTP connection: an idle connection closes after {@code idleTimeoutMillis}; a
 * request's line and headers must arrive within {@code headerTimeoutMillis} of its first byte, and
 * its body within {@code bodyTimeoutMillis} of the headers, or the client gets 408 and the connection
 * closes (a slowloris cannot hold it). While the node works on a request nothing is timed here: the
 * node's own request timeout bounds that. Each state change is also told to the
 * {@link ConnectionGovernor}, which evicts idle and long-reading connections when the server is full.
 *
 * <p>Two handlers share this state: {@link #bytes()} before the HTTP codec sees the first byte of a
 * request, {@link #messages()} after it sees the headers end; {@link HttpApiHandler} reports requests
 * taken and all answered. One timer per connection re-arms itself at the current deadline, so a state
 * change costs no scheduling.
 *
 * <p>Threading: one instance per connection, used only on the connection's I/O thread.
 */
public final class HttpDeadlines {
  /**
   * @param idleTimeoutMillis how long a connection may wait between requests
   * @param headerTimeoutMillis from a request's first byte to the end of its headers
   * @param bodyTimeoutMillis from the end of the headers to the end of the body
   */
  public record Timeouts(int idleTimeoutMillis, int headerTimeoutMillis, int bodyTimeoutMillis) {
    public Timeouts {
      if (idleTimeoutMillis < 1 || headerTimeoutMillis < 1 || bodyTimeoutMillis < 1) {
        throw new IllegalArgumentException("HTTP timeouts must be positive: " + this);
      }
    }

    /** Idle connections close after a minute; headers get 10 s, a body 30 s (a 1 MiB value over a slow link). */
    public static Timeouts defaults() {
      return new Timeouts(60_000, 10_000, 30_000);
    }
  }

  /** Bytes read and dropped after a closing answer before the connection closes anyway. */
  static final long DRAIN_BYTES_MAX = 64L << 20;
  /** How long a closing connection reads and drops what the client still sends (the rest of a large body). */
  static final int DRAIN_MILLIS = 5_000;

  private enum State { IDLE, HEADERS, BODY, BUSY, DRAINING }

  /** Told when a deadline closes a connection. */
  interface Expired {
    void expired(boolean whileReading);
  }

  private final Timeouts timeouts;
  private final Expired expired;
  private State state = State.IDLE;
  private long sinceNanos = System.nanoTime();
  /** Requests handed to the API handler and not yet answered. */
  private int inFlight;
  /** Bytes of a further request arrived while others were in flight (pipelining). */
  private boolean partial;
  private ScheduledFuture<?> timer;
  /** Bytes dropped while DRAINING. */
  private long drainedBytes;

  HttpDeadlines(Timeouts timeouts, Expired expired) {
    this.timeouts = timeouts;
    this.expired = expired;
  }

  ChannelInboundHandlerAdapter bytes() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
          arm(ctx); // added to a live channel (tests' embedded channels, or after TLS)
        }
      }

      @Override
      public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.DRAINING) {
          drainedBytes += msg instanceof ByteBuf b ? b.readableBytes() : 0;
          ReferenceCountUtil.release(msg);
          if (drainedBytes > DRAIN_BYTES_MAX) {
            ctx.close();
          }
          return;
        }
        if (msg instanceof ByteBuf b && b.isReadable()) {
          if (state == State.IDLE) {
            enter(ctx, State.HEADERS);
          } else if (state == State.BUSY) {
            partial = true;
          }
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
          timer.cancel(false);
        }
        super.channelInactive(ctx);
      }
    };
  }

  ChannelInboundHandlerAdapter messages() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && state == State.HEADERS) {
          enter(ctx, State.BODY);
        }
        if (msg instanceof LastHttpContent) {
          partial = false;
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  /** A whole request reached the API handler. */
  void requestTaken(ChannelHandlerContext ctx) {
    if (state == State.DRAINING) {
      return;
    }
    inFlight++;
    enter(ctx, State.BUSY);
  }

  /**
   * Ends the connection after the answers written so far: once they are sent, closes the output (the
   * client reads them to the end) and reads and drops whatever the client still sends, up to
   * {@value #DRAIN_MILLIS} ms or {@link #DRAIN_BYTES_MAX} bytes, before closing. Closing at once
   * would reset a client that is still sending a large body, and the reset can destroy the answer
   * before the client reads it.
   */
  void closeGracefully(ChannelHandlerContext ctx) {
    if (state == State.DRAINING) {
      return;
    }
    enter(ctx, State.DRAINING);
    Channel ch = ctx.channel();
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
      if (ch instanceof DuplexChannel duplex && f.isSuccess()) {
        duplex.shutdownOutput();
      } else {
        ch.close();
      }
    });
    if (timer != null) {
      timer.cancel(false);
    }
    schedule(ctx, DRAIN_MILLIS);
  }

  /** The API handler wrote the response of one request. */
  void requestAnswered(ChannelHandlerContext ctx) {
    if (state == State.DRAINING) {
      return;
    }
    if (inFlight > 0 && --inFlight == 0) {
      enter(ctx, partial ? State.HEADERS : State.IDLE);
      partial = false;
    }
  }

  private void enter(ChannelHandlerContext ctx, State next) {
    state = next;
    sinceNanos = System.nanoTime();
    ConnectionGovernor.activity(ctx.channel(), switch (next) {
      case IDLE, DRAINING -> Activity.IDLE;
      case HEADERS, BODY -> Activity.READING;
      case BUSY -> Activity.BUSY;
    });
  }

  private void arm(ChannelHandlerContext ctx) {
    if (timer == null) {
      schedule(ctx, Math.min(timeouts.idleTimeoutMillis(), timeouts.headerTimeoutMillis()));
    }
  }

  private void schedule(ChannelHandlerContext ctx, long delayMillis) {
    timer = ctx.executor().schedule(() -> check(ctx), delayMillis, TimeUnit.MILLISECONDS);
  }

  /** Closes the connection if its current state outlived its limit, else waits for that deadline. */
  private void check(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    long limitMillis = switch (state) {
      case IDLE -> timeouts.idleTimeoutMillis();
      case HEADERS -> timeouts.headerTimeoutMillis();
      case BODY -> timeouts.bodyTimeoutMillis();
      case BUSY -> -1;
      case DRAINING -> DRAIN_MILLIS;
    };
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    if (limitMillis < 0) {
      schedule(ctx, Math.min(timeouts.idleTimeoutMillis(), timeouts.headerTimeoutMillis()));
    } else if (elapsedMillis < limitMillis) {
      schedule(ctx, limitMillis - elapsedMillis + 1);
    } else if (state == State.DRAINING) {
      ctx.close();
    } else if (state == State.IDLE) {
      expired.expired(false);
      ctx.close();
    } else {
      expired.expired(true);
      String what = state == State.HEADERS ? "request line and headers" : "request body";
      byte[] timeout = ApiResponses.raw(408, "Request Timeout", "request_timeout", "the " + what + " did not arrive"
          + " within " + limitMillis + " ms");
      ctx.writeAndFlush(Unpooled.wrappedBuffer(timeout)).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
