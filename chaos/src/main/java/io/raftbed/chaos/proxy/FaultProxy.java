package io.raftbed.chaos.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.raftbed.runtime.net.NetIo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One named proxy: a listening socket, the upstream it dials for every accepted connection, its
 * toxics and its live connections. Semantics of Toxiproxy's {@code proxy.go}: disabling it closes the
 * listener (new connections are refused) and every open connection; changing {@code listen} or
 * {@code upstream} restarts it; {@code listen} reports the address actually bound (port 0 picks a
 * free port), and a proxy re-enabled later binds that address again. Toxic changes reach live
 * connections before the call returns, as Toxiproxy's API waits for every link.
 *
 * <p>Threading: the mutators are called one at a time (the {@link ProxyRegistry} serialises API
 * calls). Event loops only take {@link #lock} briefly ({@link #register}, {@link #unregister}); no
 * thread waits for an event loop while holding it.
 */
final class FaultProxy {
  private static final long APPLY_WAIT_MILLIS = 10_000;

  final String name;
  private final EventLoopGroup group;
  private final Object lock = new Object();
  // All guarded by lock.
  private String listen;
  private String upstream;
  private volatile InetSocketAddress upstreamAddress;
  private boolean enabled;
  private Channel listener;
  private final Set<ProxyConnection> connections = new HashSet<>();
  /** In the order they were added; each direction's chain follows this order. */
  private final List<ToxicSpec> toxics = new ArrayList<>();

  /** A consistent copy of the proxy's fields for the API. */
  record State(String name, String listen, String upstream, boolean enabled, List<ToxicSpec> toxics) {}

  FaultProxy(String name, String listen, String upstream, EventLoopGroup group) throws ApiException {
    this.name = name;
    this.group = group;
    this.listen = listen;
    setUpstream(upstream);
  }

  State state() {
    synchronized (lock) {
      return new State(name, listen, upstream, enabled, List.copyOf(toxics));
    }
  }

  boolean enabled() {
    synchronized (lock) {
      return enabled;
    }
  }

  InetSocketAddress upstreamAddress() {
    return upstreamAddress;
  }

  private void setUpstream(String address) throws ApiException {
    InetSocketAddress dial = dialAddress(address);
    synchronized (lock) {
      upstream = address;
      upstreamAddress = dial;
    }
  }

  private static InetSocketAddress dialAddress(String upstream) throws ApiException {
    try {
      return HostPort.parse(upstream).dialAddress();
    } catch (IllegalArgumentException e) {
      throw ApiException.badBody("upstream: " + e.getMessage());
    }
  }

  /** Binds {@code listen} and accepts connections; a bind failure is Toxiproxy's 500. */
  void start() throws ApiException {
    String address;
    synchronized (lock) {
      if (enabled) {
        return;
      }
      address = listen;
    }
    Channel bound = bind(address);
    synchronized (lock) {
      listener = bound;
      enabled = true;
      listen = HostPort.format((InetSocketAddress) bound.localAddress());
    }
    // Accepting starts only now, so every accepted connection finds the proxy enabled.
    bound.config().setAutoRead(true);
  }

  private Channel bind(String address) throws ApiException {
    String failure;
    try {
      ChannelFuture f = new ServerBootstrap()
          .group(group)
          .channel(NetIo.serverChannel())
          .option(ChannelOption.SO_REUSEADDR, true)
          .option(ChannelOption.AUTO_READ, false)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.AUTO_READ, false)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new ProxyConnection(FaultProxy.this, ch).clientHandler());
            }
          })
          .bind(HostPort.parse(address).bindAddress())
          .awaitUninterruptibly();
      if (f.isSuccess()) {
        return f.channel();
      }
      failure = String.valueOf(f.cause().getMessage());
    } catch (IllegalArgumentException | java.io.IOException e) {
      failure = e.getMessage();
    }
    throw new ApiException(500, "listen tcp " + address + ": " + failure);
  }

  /** Stops listening and closes every connection (Toxiproxy's {@code stop}). */
  void stop() {
    Channel closing;
    List<ProxyConnection> open;
    synchronized (lock) {
      if (!enabled) {
        return;
      }
      enabled = false;
      closing = listener;
      listener = null;
      open = new ArrayList<>(connections);
    }
    closing.close().awaitUninterruptibly(APPLY_WAIT_MILLIS);
    for (ProxyConnection c : open) {
      c.close();
    }
  }

  /** Toxiproxy's {@code Proxy.Update}: a new address restarts the proxy, then {@code enabled} applies. */
  void update(String newListen, String newUpstream, boolean newEnabled) throws ApiException {
    State now = state();
    if (!newListen.equals(now.listen()) || !newUpstream.equals(now.upstream())) {
      dialAddress(newUpstream);
      stop();
      setUpstream(newUpstream);
      synchronized (lock) {
        listen = newListen;
      }
    }
    if (newEnabled) {
      start();
    } else {
      stop();
    }
  }

  /** An accepted connection joins, unless the proxy stopped meanwhile; returns the toxics to apply. */
  List<ToxicSpec> register(ProxyConnection c, Channel acceptedBy) {
    synchronized (lock) {
      if (!enabled || listener != acceptedBy) {
        return null;
      }
      connections.add(c);
      return List.copyOf(toxics);
    }
  }

  void unregister(ProxyConnection c) {
    synchronized (lock) {
      connections.remove(c);
    }
  }

  ToxicSpec toxic(String toxicName) throws ApiException {
    synchronized (lock) {
      for (ToxicSpec t : toxics) {
        if (t.name().equals(toxicName)) {
          return t;
        }
      }
    }
    throw ApiException.toxicNotFound();
  }

  void addToxic(ToxicSpec spec) throws ApiException {
    List<ProxyConnection> open;
    synchronized (lock) {
      for (ToxicSpec t : toxics) {
        if (t.name().equals(spec.name())) {
          throw ApiException.toxicExists();
        }
      }
      toxics.add(spec);
      open = List.copyOf(connections);
    }
    applyToAll(open, c -> c.link(spec.stream()).add(spec));
  }

  /** Replaces the toxic of the same name (same stream; type, name and stream never change). */
  void replaceToxic(ToxicSpec spec) throws ApiException {
    List<ProxyConnection> open;
    synchronized (lock) {
      int i = indexOf(spec.name());
      toxics.set(i, spec);
      open = List.copyOf(connections);
    }
    applyToAll(open, c -> c.link(spec.stream()).update(spec));
  }

  void removeToxic(String toxicName) throws ApiException {
    List<ProxyConnection> open;
    ToxicSpec removed;
    synchronized (lock) {
      removed = toxics.remove(indexOf(toxicName));
      open = List.copyOf(connections);
    }
    applyToAll(open, c -> c.link(removed.stream()).remove(toxicName));
  }

  /** Removes every toxic (part of {@code POST /reset}). */
  void removeAllToxics() {
    for (ToxicSpec t : state().toxics()) {
      try {
        removeToxic(t.name());
      } catch (ApiException e) {
        throw new IllegalStateException("toxic vanished while API calls are serialised", e);
      }
    }
  }

  private int indexOf(String toxicName) throws ApiException {
    for (int i = 0; i < toxics.size(); i++) {
      if (toxics.get(i).name().equals(toxicName)) {
        return i;
      }
    }
    throw ApiException.toxicNotFound();
  }

  /** Runs {@code change} on every live connection's loop and waits (bounded) until all ran. */
  private static void applyToAll(List<ProxyConnection> open, Consumer<ProxyConnection> change) {
    List<Future<?>> pending = new ArrayList<>(open.size());
    for (ProxyConnection c : open) {
      pending.add(c.submit(change));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(APPLY_WAIT_MILLIS);
    for (Future<?> f : pending) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // A connection that failed or is stuck is closing anyway; the others still got the change.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
