package io.raftbed.sim;

import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.node.KvNode;
import io.raftbed.node.NodeConfig;
import io.raftbed.node.Storage;
import io.raftbed.node.Timers;
import io.raftbed.raft.Message;
import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * One simulated machine: a {@link KvNode} with simulated ports, its disk, and its own clock. The
 * machine outlives the node process: a crash discards the process (and its incarnation's pending
 * timers and completions), a restart builds a new one from the same disk.
 *
 * <p>The node's clock runs at {@code ratePermille}/1000 of virtual time (drift) and may be stepped
 * forward; the node's timers follow that clock. While paused, everything addressed to the node
 * waits and runs in arrival order when it resumes, as after a SIGSTOP.
 */
final class SimNode {
  private record TimerKey(long dueMicros, long seq) implements Comparable<TimerKey> {
    public int compareTo(TimerKey o) {
      return dueMicros != o.dueMicros ? Long.compare(dueMicros, o.dueMicros) : Long.compare(seq, o.seq);
    }
  }

  final int id;
  private final Simulation sim;
  private final NodeConfig nodeConfig;
  final SimDisk disk;

  private KvNode node;
  private int incarnation;
  private boolean paused;
  private final ArrayDeque<Runnable> heldWhilePaused = new ArrayDeque<>();
  /** Why the node is down when it could not start (corrupt disk), else null. */
  private String downReason;

  /** The node's clock, in microseconds, at virtual time {@code clockSyncVirtualMicros}. */
  private long clockMicros;
  private long clockSyncVirtualMicros;
  private int ratePermille = 1000;
  /** Pending timers of the current incarnation by due time on the node's clock. */
  private final TreeMap<TimerKey, Runnable> timers = new TreeMap<>();
  private long timerSeq;
  /** The virtual time of the one queue event that fires the earliest timer, or MAX if none. */
  private long wakeupAtMicros = Long.MAX_VALUE;

  SimNode(Simulation sim, int id, NodeConfig nodeConfig, SimDisk disk) {
    this.sim = sim;
    this.id = id;
    this.nodeConfig = nodeConfig;
    this.disk = disk;
  }

  // ---------------------------------------------------------------- life cycle

  void start() {
    incarnation++;
    timers.clear();
    wakeupAtMicros = Long.MAX_VALUE;
    int inc = incarnation;
    KvNode n = new KvNode(nodeConfig, message -> sendPeer(inc, message), disk.port(this), timersPort(inc),
        Rng.stream(sim.seed(), "node-" + id + "/incarnation-" + inc), sim.listener());
    node = n;
    try {
      n.start();
      downReason = null;
    } catch (Storage.StorageException e) {
      node = null;
      downReason = e.getMessage();
      sim.noteNodeRefusedToStart(id, e.getMessage());
    }
  }

  void crash(boolean torn) {
    if (node == null) {
      return;
    }
    sim.stats().addNodeStats(node.raft().stats());
    node.stop();
    node = null;
    incarnation++;
    timers.clear();
    heldWhilePaused.clear();
    paused = false;
    disk.crash(torn);
  }

  void diskFailed(String reason) {
    // A failed write leaves the node unable to trust its state: it stops (fail-stop), keeping its disk.
    sim.noteDiskFailure(id, reason);
    crash(false);
  }

  boolean isUp() {
    return node != null;
  }

  String downReason() {
    return downReason;
  }

  KvNode node() {
    return node;
  }

  // ---------------------------------------------------------------- pause and clock

  void pause() {
    if (node != null) {
      paused = true;
    }
  }

  void resume() {
    if (!paused) {
      return;
    }
    paused = false; // timers that fell due while stopped fire now, late
    while (!heldWhilePaused.isEmpty() && !paused && node != null) {
      heldWhilePaused.removeFirst().run();
    }
    rearm();
  }

  boolean isPaused() {
    return paused;
  }

  void setClockRate(int permille) {
    advanceClock();
    ratePermille = Math.max(1, permille);
    rearm();
  }

  /** Steps the clock forward: timers that fall due fire now, in order. */
  void jumpClock(long millis) {
    advanceClock();
    clockMicros += millis * 1000;
    rearm();
  }

  int clockRatePermille() {
    return ratePermille;
  }

  /** The clock keeps running while the process is stopped, as CLOCK_MONOTONIC does. */
  private void advanceClock() {
    long now = sim.nowMicros();
    clockMicros += (now - clockSyncVirtualMicros) * ratePermille / 1000;
    clockSyncVirtualMicros = now;
  }

  private Timers timersPort(int inc) {
    return new Timers() {
      @Override
      public long nowMillis() {
        advanceClock();
        return clockMicros / 1000;
      }

      @Override
      public void schedule(long delayMillis, Runnable task) {
        if (inc != incarnation) {
          return;
        }
        advanceClock();
        timers.put(new TimerKey(clockMicros + delayMillis * 1000, timerSeq++), task);
        rearm();
      }
    };
  }

  /** Makes sure one queue event will fire the earliest timer at the right virtual time. */
  private void rearm() {
    if (timers.isEmpty() || paused) {
      return;
    }
    advanceClock();
    long due = timers.firstKey().dueMicros;
    // Round up, so that when the event fires the node's clock has reached the timer.
    long at = sim.nowMicros() + Math.max(0, Math.ceilDiv((due - clockMicros) * 1000, ratePermille));
    if (at >= wakeupAtMicros && wakeupAtMicros >= sim.nowMicros()) {
      return; // an earlier wake-up is already queued; it re-arms
    }
    wakeupAtMicros = at;
    int inc = incarnation;
    sim.schedule(at, EventKind.TICK, id, 0, () -> fireTimers(inc, at));
  }

  private void fireTimers(int inc, long scheduledAt) {
    if (inc != incarnation || scheduledAt != wakeupAtMicros || paused) {
      return; // superseded by a re-arm, a crash, or a pause (resume re-arms)
    }
    wakeupAtMicros = Long.MAX_VALUE;
    advanceClock();
    while (!timers.isEmpty() && timers.firstKey().dueMicros <= clockMicros && inc == incarnation && !paused) {
      timers.pollFirstEntry().getValue().run();
    }
    if (inc == incarnation) {
      rearm();
    }
  }

  // ---------------------------------------------------------------- inputs

  /** Runs {@code action} on the node now, or holds it while paused; drops it when down. */
  private void onNode(Runnable action) {
    if (node == null) {
      return;
    }
    if (paused) {
      heldWhilePaused.addLast(action);
      return;
    }
    action.run();
  }

  void deliver(Message m) {
    onNode(() -> {
      long commitBefore = node.raft().commitIndex();
      boolean wasLeader = node.raft().role() == io.raftbed.raft.Role.LEADER;
      node.receive(m);
      sim.invariants().certificates().delivered(id, m, commitBefore, wasLeader);
    });
  }

  void deliverCompletion(Runnable done) {
    onNode(done);
  }

  void submit(ClientRequest request, ClientReply.Sink sink) {
    onNode(() -> node.submit(request, sink));
  }

  private void sendPeer(int inc, Message m) {
    if (inc == incarnation) {
      sim.checkDurableBeforeSend(this, m);
      sim.network().sendPeer(m);
    }
  }
}
