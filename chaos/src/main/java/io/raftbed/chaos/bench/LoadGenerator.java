package io.raftbed.chaos.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.raftbed.chaos.client.ClientCredentials;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop HTTP load: each client keeps one keep-alive connection and one request in flight,
 * sending the next as soon as the previous one is answered. Latency is measured from just before
 * the write to the arrival of the whole response, on the client's event loop.
 *
 * <p>Threading: each client lives on one event loop thread and owns its own histogram and counters;
 * they are merged after every client finished. Bounded: a run ends after warm-up plus measurement,
 * and the caller waits at most that plus {@value #GRACE_MILLIS} ms for stragglers.
 */
public final class LoadGenerator {
  private static final int GRACE_MILLIS = 30_000;
  private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

  private LoadGenerator() {}

  /** Runs {@code spec} against raftbed with {@code threads} event loop threads, over plain HTTP. */
  public static BenchResult run(BenchSpec spec, int threads) throws InterruptedException {
    return run(spec, threads, Target.RAFTBED, ClientCredentials.NONE);
  }

  /**
   * Runs {@code spec} against {@code target} with {@code threads} event loop threads, with HTTPS and a
   * token as {@code credentials} say.
   */
  public static BenchResult run(BenchSpec spec, int threads, Target target, ClientCredentials credentials)
      throws InterruptedException {
    Tls tls = Tls.of(credentials);
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis());
    long measureTo = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.measureMillis());
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < spec.clients(); i++) {
      SplittableRandom random = new SplittableRandom(i * 7919L + 1);
      clients.add(new Client(spec, target, spec.targets().get(i % spec.targets().size()),
          () -> random.nextInt(spec.keyCount()), spec.op(), measureFrom, measureTo, tls));
    }
    runClients(clients, threads, spec.warmupMillis() + spec.measureMillis() + GRACE_MILLIS);
    Histogram all = new Histogram(HIGHEST_MICROS, 3);
    long ok = 0;
    Map<Integer, Long> errors = new HashMap<>();
    for (Client c : clients) {
      all.add(c.latencyMicros);
      ok += c.okMeasured;
      c.errors.forEach((status, n) -> errors.merge(status, n, Long::sum));
    }
    return new BenchResult(spec, ok, spec.measureMillis() / 1000.0, all, errors);
  }

  /** Writes every key of {@code spec} once (for read benchmarks); returns the number of failures. */
  public static long preload(BenchSpec spec, int threads, Target target, ClientCredentials credentials)
      throws InterruptedException {
    Tls tls = Tls.of(credentials);
    AtomicInteger next = new AtomicInteger();
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < spec.clients(); i++) {
      clients.add(new Client(spec, target, spec.targets().get(0), next::getAndIncrement, BenchSpec.Op.PUT, 0,
          Long.MAX_VALUE, tls));
    }
    runClients(clients, threads, GRACE_MILLIS * 4);
    return clients.stream().mapToLong(c -> c.errors.values().stream().mapToLong(Long::longValue).sum()).sum();
  }

  private static void runClients(List<Client> clients, int threads, long waitMillis) throws InterruptedException {
    // NIO: the client's cost is small next to three nodes', and it needs no native library.
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench", true),
        NioIoHandler.newFactory());
    CountDownLatch done = new CountDownLatch(clients.size());
    try {
      for (Client c : clients) {
        c.start(group, done);
      }
      if (!done.await(waitMillis, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(done.getCount() + " clients did not finish within " + waitMillis + " ms");
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /** The TLS context (null for plain HTTP) and the Authorization header (null for none) every client uses. */
  private record Tls(SslContext context, String authorization) {
    static Tls of(ClientCredentials c) {
      return new Tls(c.nettyContext(), c.bearerToken() == null ? null : "Bearer " + c.bearerToken());
    }
  }

  /** One closed-loop client; every field is touched only on its channel's event loop. */
  private static final class Client extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final URI target;
    private final Target system;
    private final BenchSpec spec;
    private final ByteBuf value;
    private final IntSupplier nextKey;
    private final BenchSpec.Op op;
    private final long measureFrom;
    private final long measureTo;
    private final int keyCount;
    final Histogram latencyMicros = new Histogram(HIGHEST_MICROS, 3);
    final Map<Integer, Long> errors = new HashMap<>();
    long okMeasured;
    private long sentAtNanos;
    private CountDownLatch done;
    private boolean finished;
    private final Tls tls;

    Client(BenchSpec spec, Target system, String target, IntSupplier nextKey, BenchSpec.Op op, long measureFrom,
        long measureTo, Tls tls) {
      this.tls = tls;
      this.target = URI.create(target);
      this.system = system;
      this.nextKey = nextKey;
      this.op = op;
      this.measureFrom = measureFrom;
      this.measureTo = measureTo;
      this.keyCount = spec.keyCount();
      this.value = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(spec.value()));
      this.spec = spec;
    }

    void start(EventLoopGroup group, CountDownLatch latch) {
      this.done = latch;
      Client self = this;
      new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              if (tls.context() != null) {
                ch.pipeline().addLast(tls.context().newHandler(ch.alloc(), target.getHost(), target.getPort()));
              }
              ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(4 << 20), self);
            }
          })
          .connect(target.getHost(), target.getPort()).addListener(f -> {
            if (!f.isSuccess()) {
              errors.merge(0, 1L, Long::sum);
              finish(null);
            }
          });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      sendNext(ctx);
    }

    private void sendNext(ChannelHandlerContext ctx) {
      int key = nextKey.getAsInt();
      if (key >= keyCount || System.nanoTime() >= measureTo) {
        finish(ctx);
        return;
      }
      // Built per request: a table of every URI per client costs clients x keys strings (GBs for a preload of 10^6).
      FullHttpRequest r = system.request(op, spec.key(key), value, target.getAuthority());
      if (tls.authorization() != null) {
        r.headers().set(HttpHeaderNames.AUTHORIZATION, tls.authorization());
      }
      sentAtNanos = System.nanoTime();
      ctx.writeAndFlush(r);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      long now = System.nanoTime();
      int status = response.status().code();
      boolean ok = system.ok(op, status);
      if (sentAtNanos >= measureFrom && now <= measureTo) {
        if (ok) {
          okMeasured++;
          latencyMicros.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, (now - sentAtNanos) / 1000)));
        } else {
          errors.merge(status, 1L, Long::sum);
        }
      } else if (!ok && measureTo == Long.MAX_VALUE) {
        errors.merge(status, 1L, Long::sum); // preloading: every failure counts
      }
      sendNext(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!finished) {
        errors.merge(0, 1L, Long::sum); // the server closed the connection mid-run
      }
      finish(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void finish(ChannelHandlerContext ctx) {
      if (finished) {
        return;
      }
      finished = true;
      if (ctx != null) {
        ctx.close();
      }
      done.countDown();
    }
  }
}
