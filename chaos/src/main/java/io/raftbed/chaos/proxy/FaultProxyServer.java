package io.raftbed.chaos.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.raftbed.runtime.net.NetIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An embedded fault proxy that speaks the Toxiproxy v2 HTTP API: a drop-in for a Toxiproxy server
 * as far as its clients ({@code toxiproxy-java}, Testcontainers' {@code ToxiproxyContainer}) can
 * tell. {@link ControlApi} lists the endpoints, {@link ToxicStage} and {@link TimedQueueStage} the
 * toxics ({@code latency}, {@code bandwidth}, {@code slow_close}, {@code timeout},
 * {@code reset_peer}, {@code slicer}, {@code limit_data}, {@code noop}); sources: Toxiproxy's README
 * and its {@code api.go}, {@code proxy.go}, {@code link.go}, {@code toxic_collection.go} and
 * {@code toxics/*.go} (github.com/Shopify/toxiproxy).
 *
 * <pre>
 * try (FaultProxyServer server = FaultProxyServer.start("127.0.0.1", 0)) {
 *   ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", server.port());
 *   Proxy p = client.createProxy("n1-n2", "127.0.0.1:0", "127.0.0.1:9082");
 *   p.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 100);
 * }
 * </pre>
 *
 * <p>Threading: thread-safe. The API runs on one event loop of its own; proxied connections run on a
 * separate group of event loops (one per core, at least two), both sockets of a connection on the
 * same loop. Data is copied between sockets without extra buffering beyond what the toxics hold
 * (bounded, see {@link Link}).
 */
public final class FaultProxyServer implements AutoCloseable {
  /** Largest API request body accepted (a populate of a few thousand proxies). */
  private static final int REQUEST_BYTES_MAX = 4 << 20;

  private final EventLoopGroup apiGroup;
  private final EventLoopGroup proxyGroup;
  private final ProxyRegistry registry;
  private final Channel apiChannel;
  private final String url;
  private final int port;
  private boolean closed;

  private FaultProxyServer(EventLoopGroup apiGroup, EventLoopGroup proxyGroup, ProxyRegistry registry,
      Channel apiChannel, String host) {
    this.apiGroup = apiGroup;
    this.proxyGroup = proxyGroup;
    this.registry = registry;
    this.apiChannel = apiChannel;
    this.port = ((InetSocketAddress) apiChannel.localAddress()).getPort();
    this.url = "http://" + urlHost(host) + ":" + port;
  }

  /**
   * Starts the control API on {@code host:port} ({@code port} 0 picks a free port; host
   * {@code 0.0.0.0} listens on every interface). Proxies are created through the API.
   *
   * @throws IOException if the address cannot be resolved or bound
   * @throws IllegalArgumentException if the port is out of range
   */
  public static FaultProxyServer start(String host, int port) throws IOException {
    InetSocketAddress address = new HostPort(host, port).bindAddress();
    int proxyThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    EventLoopGroup apiGroup = NetIo.newGroup(1, "faultproxy-api");
    EventLoopGroup proxyGroup = NetIo.newGroup(proxyThreads, "faultproxy-io");
    ProxyRegistry registry = new ProxyRegistry(proxyGroup);
    ChannelFuture bound = new ServerBootstrap()
        .group(apiGroup)
        .channel(NetIo.serverChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(REQUEST_BYTES_MAX),
                new ControlApi(registry));
          }
        })
        .bind(address)
        .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutdown(apiGroup);
      shutdown(proxyGroup);
      throw new IOException("cannot listen on " + host + ":" + port + ": " + bound.cause().getMessage(),
          bound.cause());
    }
    return new FaultProxyServer(apiGroup, proxyGroup, registry, bound.channel(), host);
  }

  /** {@code http://HOST:PORT} of the control API (a wildcard host reads as 127.0.0.1). */
  public String url() {
    return url;
  }

  /** The port of the control API. */
  public int port() {
    return port;
  }

  /** Stops the API, every proxy listener and every proxied connection. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    apiChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    registry.closeAll();
    shutdown(apiGroup);
    shutdown(proxyGroup);
  }

  private static void shutdown(EventLoopGroup group) {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private static String urlHost(String host) {
    HostPort hp = new HostPort(host, 0);
    if (hp.wildcard()) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
