package io.raftbed.runtime.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Decides which connections one server keeps when clients open more than it serves, so that idle
 * and half-sent connections (an attacker's, or forgotten ones) never lock out a new client.
 *
 * <p>Every connection is in one of three {@link Activity} states, set by the protocol handlers:
 * {@code IDLE} (waiting for a request), {@code READING} (a request has started arriving and is not
 * complete) and {@code BUSY} (the node is working on it, or it is an authenticated peer). A new
 * connection from address A, holding k connections, with n open in all:
 * <ol>
 *   <li>if k reaches {@code perAddressMax}, A's own longest-idle connection makes room, else the new
 *       one is refused;
 *   <li>if n reaches the limit, one connection is evicted: the one READING the longest (at least
 *       {@code readingEvictableMillis}: a real client sends a request in one go), else the one IDLE the
 *       longest; with neither the new one is refused. BUSY connections are never evicted.
 * </ol>
 * The limit is {@code connectionsMax} for an address that holds no connection yet and
 * {@code connectionsMax - reserved} for the others: the reserve is for newcomers, so that clients
 * that already hold connections cannot take the last slots.
 *
 * <p>Threading: shared by every child channel of a server, on any I/O thread. Admission and
 * bookkeeping hold the governor's lock; activity updates are volatile writes on the channel's own
 * thread. Evicted and refused channels are closed, which is safe from any thread.
 */
@Sharable
public final class ConnectionGovernor extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<Tracked> TRACKED = AttributeKey.valueOf("raftbed.connection");

  /** What a connection is doing; see the class comment. */
  public enum Activity { IDLE, READING, BUSY }

  /**
   * @param connectionsMax connections at once
   * @param perAddressMax connections from one client address
   * @param reserved slots of {@code connectionsMax} kept for addresses that hold no connection yet
   * @param readingEvictableMillis how long a request may be arriving before its connection may be
   *     evicted for a new one
   */
  public record Limits(int connectionsMax, int perAddressMax, int reserved, int readingEvictableMillis) {
    public Limits {
      if (connectionsMax < 1 || perAddressMax < 1 || reserved < 0 || reserved >= connectionsMax
          || readingEvictableMillis < 0) {
        throw new IllegalArgumentException("need connections max >= 1, per-address max >= 1 and 0 <= reserved <"
            + " connections max, got " + connectionsMax + ", " + perAddressMax + ", " + reserved);
      }
    }
  }

  /** What the governor did, for counters and logs; called outside the lock. */
  public interface Events {
    Events NONE = new Events() {};

    /** {@code ctx} was refused: write a last word with it if the protocol has one, then it is closed. */
    default void refused(ChannelHandlerContext ctx, String why) {}

    default void evicted(Activity activity) {}
  }

  /** One open connection's bookkeeping. */
  static final class Tracked {
    final Channel channel;
    final Object address;
    volatile Activity activity = Activity.IDLE;
    volatile long sinceNanos = System.nanoTime();

    Tracked(Channel channel, Object address) {
      this.channel = channel;
      this.address = address;
    }
  }

  private final Limits limits;
  private final Events events;
  /** Open connections by client address; guarded by this. */
  private final Map<Object, Set<Tracked>> byAddress = new HashMap<>();
  private int open;

  public ConnectionGovernor(Limits limits, Events events) {
    this.limits = limits;
    this.events = events;
  }

  /** Records what {@code channel} is doing now; call on its I/O thread. */
  public static void activity(Channel channel, Activity activity) {
    Tracked t = channel.attr(TRACKED).get();
    if (t != null && t.activity != activity) {
      t.activity = activity;
      t.sinceNanos = System.nanoTime();
    }
  }

  /** What {@code channel} is doing, as last recorded; IDLE for a channel no governor tracks. */
  public static Activity activityOf(Channel channel) {
    Tracked t = channel.attr(TRACKED).get();
    return t == null ? Activity.IDLE : t.activity;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    Tracked t = new Tracked(ctx.channel(), addressKey(ctx.channel().remoteAddress()));
    Tracked victim;
    String refusal;
    synchronized (this) {
      Set<Tracked> mine = byAddress.getOrDefault(t.address, Set.of());
      victim = null;
      refusal = null;
      if (mine.size() >= limits.perAddressMax()) {
        victim = pickVictim(mine);
        refusal = victim == null ? "this server takes at most " + limits.perAddressMax()
            + " connections from one address, and none of yours is idle" : null;
      } else if (open >= (mine.isEmpty() ? limits.connectionsMax() : limits.connectionsMax() - limits.reserved())) {
        victim = pickVictim(all());
        refusal = victim == null ? "this server serves at most " + limits.connectionsMax()
            + " connections and all are busy; retry later" : null;
      }
      if (victim != null) {
        forget(victim);
      }
      if (refusal == null) {
        byAddress.computeIfAbsent(t.address, a -> new LinkedHashSet<>()).add(t);
        open++;
        ctx.channel().attr(TRACKED).set(t);
      }
    }
    if (victim != null) {
      events.evicted(victim.activity);
      victim.channel.close();
    }
    if (refusal != null) {
      ctx.channel().config().setAutoRead(false);
      events.refused(ctx, refusal);
      ctx.close();
      return; // the rest of the pipeline never sees this connection
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    Tracked t = ctx.channel().attr(TRACKED).getAndSet(null);
    if (t != null) {
      synchronized (this) {
        forget(t);
      }
    }
    super.channelInactive(ctx);
  }

  /** Connections counted now. */
  public synchronized int open() {
    return open;
  }

  /**
   * The connection to give up: the one READING longest (past the grace), else the one IDLE longest;
   * null when every candidate is busy. Holds the lock.
   */
  private Tracked pickVictim(Iterable<Tracked> candidates) {
    long now = System.nanoTime();
    long graceNanos = TimeUnit.MILLISECONDS.toNanos(limits.readingEvictableMillis());
    Tracked oldestReading = null;
    Tracked oldestIdle = null;
    for (Tracked c : candidates) {
      long since = c.sinceNanos;
      switch (c.activity) {
        case READING -> {
          if (now - since >= graceNanos && (oldestReading == null || since < oldestReading.sinceNanos)) {
            oldestReading = c;
          }
        }
        case IDLE -> {
          if (oldestIdle == null || since < oldestIdle.sinceNanos) {
            oldestIdle = c;
          }
        }
        case BUSY -> { } // never evicted: the node is working for it
      }
    }
    return oldestReading != null ? oldestReading : oldestIdle;
  }

  private Iterable<Tracked> all() {
    return () -> byAddress.values().stream().flatMap(Set::stream).iterator();
  }

  /** Stops counting {@code t} (idempotent); holds the lock. */
  private void forget(Tracked t) {
    Set<Tracked> mine = byAddress.get(t.address);
    if (mine != null && mine.remove(t)) {
      open--;
      if (mine.isEmpty()) {
        byAddress.remove(t.address);
      }
    }
  }

  /** Connections are grouped by IP address (not port); anything else (tests' channels) by its value. */
  private static Object addressKey(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    return String.valueOf(remote);
  }
}
