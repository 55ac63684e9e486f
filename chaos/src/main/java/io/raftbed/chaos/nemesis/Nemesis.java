package io.raftbed.chaos.nemesis;

import io.raftbed.chaos.run.ChaosCluster;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Plays a {@link Timeline} against a real cluster: starts each fault at its time, heals it when it
 * has lasted its duration, and logs both ends with wall-clock times ({@link FaultLog}). One thread
 * (the caller of {@link #run}) does everything, so faults start and heal in plan order; a fault
 * that cannot start (no node to act on) is logged as skipped and the plan goes on.
 *
 * <p>It also watches the nodes: a member that is not running although no fault of the nemesis
 * stopped it has exited by itself, which is a {@link Findings finding} ({@code node-exit}).
 *
 * <p>{@link #healAll} ends every fault still on, newest first: the final heal.
 */
public final class Nemesis {
  /** A fault that is on, and how to end it. */
  interface Active {
    /** Ends the fault; returns a note for the log (what healing did), or null. */
    String heal() throws Exception;
  }

  /** A fault that started: what to log about it, and its healer (null for an action that is done). */
  record Started(String shape, List<Integer> nodes, String detail, Active active) {}

  private record Running(Timeline.Planned planned, Started started, long startMs) {}

  private record Due(long atMillis, int order, Timeline.Planned start, Running heal) {}

  private final ChaosCluster cluster;
  private final List<Timeline.Planned> plan;
  private final FaultLog log;
  private final Findings findings;
  private final FaultActions actions;
  private final Consumer<String> progress;
  private final Deque<Running> active = new ArrayDeque<>();
  private final Set<Integer> downByNemesis = new TreeSet<>();
  private final Set<Integer> reportedExits = new TreeSet<>();

  public Nemesis(ChaosCluster cluster, List<Timeline.Planned> plan, FaultLog log, Findings findings,
      Consumer<String> progress) {
    this.cluster = cluster;
    this.plan = plan;
    this.log = log;
    this.findings = findings;
    this.progress = progress;
    this.actions = new FaultActions(cluster, this);
  }

  /** Nodes are down or frozen by the nemesis's doing (not an unexpected exit). */
  synchronized void markDown(int id) {
    downByNemesis.add(id);
  }

  synchronized void markUp(int id) {
    downByNemesis.remove(id);
  }

  Findings findings() {
    return findings;
  }

  /** Faults on now, for the progress line. */
  public synchronized int activeCount() {
    return active.size();
  }

  /**
   * Plays the plan, {@code startNanos} being the timeline's zero ({@link System#nanoTime}); returns
   * once every planned fault has started and every one with a duration has healed, or when interrupted.
   */
  public void run(long startNanos) throws InterruptedException {
    PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparingLong(Due::atMillis).thenComparingInt(Due::order));
    int order = 0;
    for (Timeline.Planned p : plan) {
      queue.add(new Due(p.startMillis(), order++, p, null));
    }
    while (!queue.isEmpty()) {
      Due next = queue.peek();
      long nowMillis = (System.nanoTime() - startNanos) / 1_000_000;
      if (nowMillis < next.atMillis()) {
        watchNodes();
        Thread.sleep(Math.min(200, next.atMillis() - nowMillis));
        continue;
      }
      queue.poll();
      if (next.heal() != null) {
        end(next.heal());
        continue;
      }
      Running r = begin(next.start());
      if (r != null && r.started().active() != null) {
        queue.add(new Due(next.start().startMillis() + next.start().durationMillis(), order++, null, r));
      }
    }
    watchNodes();
  }

  private Running begin(Timeline.Planned p) {
    long startMs = System.currentTimeMillis();
    Started s;
    try {
      s = actions.start(p);
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      log.add(new FaultLog.Entry(p.seq(), p.fault().kind(), null, List.of(), Describe.spec(p.fault()), startMs,
          System.currentTimeMillis(), false, why));
      progress.accept("fault #" + p.seq() + " " + p.fault().kind() + " not applied: " + why);
      return null;
    }
    progress.accept("fault #" + p.seq() + " " + p.fault().kind() + ": " + s.detail());
    Running r = new Running(p, s, startMs);
    if (s.active() == null) {
      log.add(new FaultLog.Entry(p.seq(), p.fault().kind(), s.shape(), s.nodes(), s.detail(), startMs,
          System.currentTimeMillis(), true, null));
      return r;
    }
    synchronized (this) {
      active.push(r);
    }
    return r;
  }

  private void end(Running r) {
    synchronized (this) {
      if (!active.remove(r)) {
        return; // healed already (the final heal)
      }
    }
    String note = null;
    String error = null;
    try {
      note = r.started().active().heal();
    } catch (Exception e) {
      error = "healing failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      progress.accept("fault #" + r.planned().seq() + " " + error);
    }
    String detail = note == null ? r.started().detail() : r.started().detail() + "; " + note;
    log.add(new FaultLog.Entry(r.planned().seq(), r.planned().fault().kind(), r.started().shape(),
        r.started().nodes(), detail, r.startMs(), System.currentTimeMillis(), error == null, error));
  }

  /** Ends every fault still on, newest first. */
  public void healAll() {
    List<Running> open;
    synchronized (this) {
      open = new ArrayList<>(active);
    }
    for (Running r : open) {
      end(r);
    }
  }

  /** Records members that stopped running with no fault of ours on them. */
  public void watchNodes() {
    for (int id : cluster.members()) {
      boolean expected;
      synchronized (this) {
        expected = downByNemesis.contains(id) || reportedExits.contains(id);
      }
      if (!expected && !cluster.backend().running(id) && cluster.backend().exitCode(id).isPresent()) {
        synchronized (this) {
          reportedExits.add(id);
        }
        findings.add("node-exit", "n" + id + " exited with code " + cluster.backend().exitCode(id).getAsInt()
            + " while no fault stopped it (see nodes/n" + id + ".log)");
        progress.accept("n" + id + " exited by itself (code " + cluster.backend().exitCode(id).getAsInt() + ")");
      }
    }
  }
}
