package io.raftbed.sim.fuzz;

import io.raftbed.sim.fault.Fault;
import io.raftbed.sim.fault.FaultSchedule;
import io.raftbed.sim.fault.FaultSchedule.Timed;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Scales the intensity of a drawn fault schedule, for swarm testing: message faults get heavier or
 * lighter, and each fault's undo (the restart after a crash, the heal after a partition, ...) moves so
 * that the fault lasts longer or shorter. At 100% and 100% the schedule is unchanged. The result is
 * just another schedule: events may end up in any order, which the simulator accepts. Stateless.
 */
final class ScheduleShaper {
  static final int LOSS_PERCENT_MAX = 60;
  static final int DUPLICATE_PERCENT_MAX = 50;
  static final int DELAY_MILLIS_MAX = 1_000;

  private static final Predicate<Fault> NOTHING = f -> false;

  private ScheduleShaper() {}

  static FaultSchedule shape(FaultSchedule drawn, int messagePercent, int durationPercent, long healAtMillis) {
    List<Timed> events = new ArrayList<>(drawn.events());
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).fault() instanceof Fault.NetFaults n && !n.isOff()) {
        events.set(i, new Timed(events.get(i).atMillis(), scaled(n, messagePercent)));
      }
    }
    if (durationPercent != 100) {
      boolean[] moved = new boolean[events.size()];
      for (int i = 0; i < events.size(); i++) {
        if (!moved[i]) {
          stretch(events, moved, i, durationPercent, healAtMillis);
        }
      }
    }
    return new FaultSchedule(events);
  }

  /** Moves the undo of the fault at {@code start} (and a restart right with it) to scale the fault's duration. */
  private static void stretch(List<Timed> events, boolean[] moved, int start, int percent, long healAtMillis) {
    Timed s = events.get(start);
    Predicate<Fault> undo = undoOf(s.fault());
    for (int j = start + 1; j < events.size(); j++) {
      Timed u = events.get(j);
      if (moved[j] || !undo.test(u.fault())) {
        continue;
      }
      long at = Math.min(healAtMillis - 1, s.atMillis() + (u.atMillis() - s.atMillis()) * percent / 100);
      at = Math.max(s.atMillis(), at);
      events.set(j, new Timed(at, u.fault()));
      moved[j] = true;
      // A node stopped by a full disk comes back with the restart that follows "diskfull off".
      if (s.fault() instanceof Fault.DiskFull d && j + 1 < events.size()
          && events.get(j + 1).atMillis() == u.atMillis()
          && events.get(j + 1).fault() instanceof Fault.Restart r && r.node() == d.node()) {
        events.set(j + 1, new Timed(at, r));
        moved[j + 1] = true;
      }
      return;
    }
  }

  /** What undoes {@code start}; nothing for faults that are not undone (a clock jump, corruption) or are undos. */
  private static Predicate<Fault> undoOf(Fault start) {
    return switch (start) {
      case Fault.Partition p -> f -> f instanceof Fault.Heal;
      case Fault.Crash c -> f -> f instanceof Fault.Restart r && r.node() == c.node();
      case Fault.Pause p -> f -> f instanceof Fault.Resume r && r.node() == p.node();
      case Fault.NetFaults n -> n.isOff() ? NOTHING : f -> f instanceof Fault.NetFaults m && m.isOff();
      case Fault.ClockRate c -> c.ratePermille() == 1000 ? NOTHING
          : f -> f instanceof Fault.ClockRate r && r.node() == c.node() && r.ratePermille() == 1000;
      case Fault.DiskFull d -> !d.full() ? NOTHING
          : f -> f instanceof Fault.DiskFull e && e.node() == d.node() && !e.full();
      case Fault.Heal h -> NOTHING;
      case Fault.Restart r -> NOTHING;
      case Fault.Resume r -> NOTHING;
      case Fault.ClockJump j -> NOTHING;
      case Fault.Corrupt c -> NOTHING;
    };
  }

  private static Fault.NetFaults scaled(Fault.NetFaults n, int percent) {
    return new Fault.NetFaults(level(n.lossPercent(), percent, LOSS_PERCENT_MAX),
        level(n.duplicatePercent(), percent, DUPLICATE_PERCENT_MAX), level(n.delayMillis(), percent, DELAY_MILLIS_MAX));
  }

  /** {@code value} scaled and capped; a fault that was on stays on. */
  private static int level(int value, int percent, int max) {
    return value == 0 ? 0 : (int) Math.min(max, Math.max(1, (long) value * percent / 100));
  }
}
