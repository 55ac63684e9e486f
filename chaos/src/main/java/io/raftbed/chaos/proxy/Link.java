package io.raftbed.chaos.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction of one proxied connection: bytes read from {@code source} pass through a chain of
 * toxic stages, in the order the toxics were added, and are written to {@code dest}; the end of the
 * input closes {@code dest} once the chain has handed everything over. Toxiproxy's {@code ToxicLink}
 * ({@code link.go}), without its goroutines and channels: stages run on the connection's event loop
 * and time their work with the loop's scheduler.
 *
 * <p>Backpressure: reading from {@code source} stops (autoRead off) while the stages hold more than
 * {@link #HELD_BYTES_HIGH} bytes or {@code dest} is not writable, and resumes below
 * {@link #HELD_BYTES_LOW} once {@code dest} drains, so a slow peer or a long latency never makes the
 * proxy buffer without bound.
 *
 * <p>Threading: every method runs on the connection's event loop.
 */
final class Link {
  /** Bytes held in stages above which reading the source pauses. */
  static final long HELD_BYTES_HIGH = 4L << 20;
  /** Bytes held in stages below which a paused source resumes. */
  static final long HELD_BYTES_LOW = 1L << 20;

  final ProxyConnection connection;
  final Direction direction;
  final Channel source;
  final Channel dest;
  private final List<ToxicStage> stages = new ArrayList<>();
  private final Sink sink = new Sink();
  /** Bytes inside stages, waiting for their release time. */
  private long heldBytes;
  private boolean paused;

  Link(ProxyConnection connection, Direction direction, Channel source, Channel dest) {
    this.connection = connection;
    this.direction = direction;
    this.source = source;
    this.dest = dest;
  }

  /** Where data read from the source enters the chain. */
  Outlet head() {
    return stages.isEmpty() ? sink : stages.get(0);
  }

  /** Appends a stage for {@code spec} at the end of the chain, as Toxiproxy's {@code AddToxic}. */
  void add(ToxicSpec spec) {
    ToxicStage stage = ToxicStage.create(this, spec);
    stage.out = sink;
    if (!stages.isEmpty()) {
      stages.get(stages.size() - 1).out = stage;
    }
    stages.add(stage);
    stage.start();
  }

  /** New settings for the named stage: it is interrupted and runs again (toxicity drawn again). */
  void update(ToxicSpec spec) {
    ToxicStage stage = find(spec.name());
    if (stage != null) {
      stage.update(spec);
    }
  }

  /**
   * Takes the named stage out of the chain after handing its pending data on. A stage that has
   * closed its output (timeout, limit_data) or will reset the connection stays in place, nameless,
   * so nothing flows past it: Toxiproxy's {@code RemoveToxic} likewise leaves a closed stub in place.
   */
  void remove(String name) {
    ToxicStage stage = find(name);
    if (stage == null) {
      return;
    }
    if (stage.remove()) {
      stage.orphaned = true;
      return;
    }
    int i = stages.indexOf(stage);
    if (i > 0) {
      stages.get(i - 1).out = stage.out;
    }
    stages.remove(i);
    stage.dispose();
    updateReadInterest();
  }

  private ToxicStage find(String name) {
    for (ToxicStage s : stages) {
      if (!s.orphaned && s.spec.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** A stage took ({@code delta > 0}) or released bytes. */
  void held(long delta) {
    heldBytes += delta;
    updateReadInterest();
  }

  /** Pauses or resumes reading the source (see the class comment). */
  void updateReadInterest() {
    boolean writable = dest.isWritable() || !dest.isActive();
    if (!paused && (heldBytes > HELD_BYTES_HIGH || !writable)) {
      paused = true;
      source.config().setAutoRead(false);
    } else if (paused && heldBytes <= HELD_BYTES_LOW && writable) {
      paused = false;
      source.config().setAutoRead(true);
    }
  }

  boolean paused() {
    return paused;
  }

  /** The connection is gone: stop every timer and release every held buffer. */
  void dispose() {
    for (ToxicStage s : stages) {
      s.dispose();
    }
    heldBytes = 0;
  }

  /** The last outlet: writes to {@code dest}, and closes it when the chain's input ended. */
  private final class Sink implements Outlet {
    private boolean ended;

    @Override
    public void data(ByteBuf chunk) {
      if (ended || !dest.isActive()) {
        chunk.release();
        return;
      }
      dest.write(chunk, dest.voidPromise());
    }

    @Override
    public void flush() {
      if (!ended) {
        dest.flush();
      }
    }

    @Override
    public void end() {
      if (ended) {
        return;
      }
      ended = true;
      // Toxiproxy's link writer closes its destination (both ways) once the chain output ends.
      if (dest.isActive()) {
        dest.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      } else {
        dest.close();
      }
    }
  }
}
