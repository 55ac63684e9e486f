package io.raftbed.sim.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws a random fault schedule from a seed: fault actions of the enabled types arrive at
 * exponentially distributed intervals, each lasting a random while before it is undone, until
 * the heal time. Faults overlap freely (a crash during a partition, say).
 */
public final class ScheduleGenerator {
  private final int nodes;
  private final Set<FaultType> types;
  private final long meanIntervalMillis;
  private final long healAtMillis;
  private final int clockDriftMaxPermille;

  /**
   * @param nodes cluster size
   * @param types fault types to draw from; empty gives an empty schedule
   * @param meanIntervalMillis mean time between fault actions
   * @param healAtMillis no fault starts or lasts beyond this time
   * @param clockDriftMaxPermille clock rates stay within this of exact and clocks never step, unless
   *     it is 1000 or more: then rates range from a quarter to over three times exact, and clocks step
   */
  public ScheduleGenerator(int nodes, Set<FaultType> types, long meanIntervalMillis, long healAtMillis,
      int clockDriftMaxPermille) {
    this.nodes = nodes;
    this.types = Set.copyOf(types);
    this.meanIntervalMillis = Math.max(1, meanIntervalMillis);
    this.healAtMillis = healAtMillis;
    this.clockDriftMaxPermille = clockDriftMaxPermille;
  }

  public FaultSchedule generate(SplittableRandom random) {
    List<FaultType> enabled = FaultTypes.ordered(types);
    List<FaultSchedule.Timed> events = new ArrayList<>();
    if (enabled.isEmpty()) {
      return FaultSchedule.EMPTY;
    }
    long t = 200 + exponential(random);
    while (t < healAtMillis - 100) {
      FaultType type = enabled.get(random.nextInt(enabled.size()));
      long duration = 100 + random.nextLong(Math.max(1, Math.min(5_000, healAtMillis - t - 100)));
      long end = Math.min(t + duration, healAtMillis - 1);
      emit(type, t, end, random, events);
      t += 1 + exponential(random);
    }
    return new FaultSchedule(events);
  }

  private void emit(FaultType type, long t, long end, SplittableRandom random, List<FaultSchedule.Timed> out) {
    int node = 1 + random.nextInt(nodes);
    switch (type) {
      case PARTITION -> {
        out.add(new FaultSchedule.Timed(t, PartitionShapes.random(nodes, random)));
        out.add(new FaultSchedule.Timed(end, new Fault.Heal()));
      }
      case CRASH, TORN_WRITE -> {
        out.add(new FaultSchedule.Timed(t, new Fault.Crash(node, type == FaultType.TORN_WRITE)));
        out.add(new FaultSchedule.Timed(end, new Fault.Restart(node)));
      }
      case PAUSE -> {
        out.add(new FaultSchedule.Timed(t, new Fault.Pause(node)));
        out.add(new FaultSchedule.Timed(end, new Fault.Resume(node)));
      }
      case MESSAGES -> {
        int loss = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30);
        int dup = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(20);
        int delay = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(200);
        out.add(new FaultSchedule.Timed(t, new Fault.NetFaults(loss, dup, Math.max(delay, loss + dup == 0 ? 50 : 0))));
        out.add(new FaultSchedule.Timed(end, new Fault.NetFaults(0, 0, 0)));
      }
      case CLOCK -> emitClock(node, t, end, random, out);
      case CORRUPTION -> {
        out.add(new FaultSchedule.Timed(t, new Fault.Corrupt(node)));
        out.add(new FaultSchedule.Timed(t + 1, new Fault.Crash(node, false)));
        out.add(new FaultSchedule.Timed(end, new Fault.Restart(node)));
      }
      case DISK_FULL -> {
        out.add(new FaultSchedule.Timed(t, new Fault.DiskFull(node, true)));
        out.add(new FaultSchedule.Timed(end, new Fault.DiskFull(node, false)));
        out.add(new FaultSchedule.Timed(end, new Fault.Restart(node)));
      }
    }
  }

  /**
   * A clock fault: a skew of every node's rate, one node's rate, or, when drift is unbounded, a
   * step, or a slow clock on a node that is then cut off (if it leads, the rest elect a new leader
   * while its slow clock says its lease still holds: the case that breaks leases).
   */
  private void emitClock(int node, long t, long end, SplittableRandom random, List<FaultSchedule.Timed> out) {
    boolean unbounded = clockDriftMaxPermille >= 1000;
    int kind = random.nextInt(unbounded ? 4 : 2);
    if (kind == 2) {
      out.add(new FaultSchedule.Timed(t, new Fault.ClockJump(node, 10 + random.nextInt(2_000))));
      return;
    }
    if (kind == 3) {
      long cut = Math.min(end - 1, t + 100 + random.nextInt(1_000));
      out.add(new FaultSchedule.Timed(t, new Fault.ClockRate(node, 250 + random.nextInt(150))));
      out.add(new FaultSchedule.Timed(cut, PartitionShapes.isolate(node, nodes)));
      out.add(new FaultSchedule.Timed(end, new Fault.Heal()));
      out.add(new FaultSchedule.Timed(end, new Fault.ClockRate(node, 1000)));
      return;
    }
    int first = kind == 0 ? 1 : node;
    int last = kind == 0 ? nodes : node;
    for (int n = first; n <= last; n++) {
      out.add(new FaultSchedule.Timed(t, new Fault.ClockRate(n, clockRate(unbounded, random))));
      out.add(new FaultSchedule.Timed(end, new Fault.ClockRate(n, 1000)));
    }
  }

  /** A rate in permille: log-uniform in [1/4, 4] of exact when unbounded, else within the bound. */
  private int clockRate(boolean unbounded, SplittableRandom random) {
    if (unbounded) {
      return (int) Math.round(1000 * Math.pow(4, 2 * random.nextDouble() - 1));
    }
    return 1000 - clockDriftMaxPermille + random.nextInt(2 * clockDriftMaxPermille + 1);
  }

  private long exponential(SplittableRandom random) {
    return (long) (-Math.log(1 - random.nextDouble()) * meanIntervalMillis);
  }
}
