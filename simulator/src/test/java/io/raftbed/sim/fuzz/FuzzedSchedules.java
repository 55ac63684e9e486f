package io.raftbed.sim.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.raftbed.sim.fault.Fault;
import io.raftbed.sim.fault.FaultSchedule;
import io.raftbed.sim.fault.PartitionShapes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decodes a fault schedule from a fuzzer's bytes: any input gives a valid schedule, so the fuzzer's
 * mutations explore schedules, not parse errors. Every fault kind and parameter is reachable.
 */
final class FuzzedSchedules {
  static final int EVENTS_MAX = 16;

  private FuzzedSchedules() {}

  static FaultSchedule decode(FuzzedDataProvider data, int nodes, long healAtMillis) {
    int count = data.consumeInt(0, EVENTS_MAX);
    List<FaultSchedule.Timed> events = new ArrayList<>();
    for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
      long at = data.consumeLong(0, healAtMillis - 1);
      events.add(new FaultSchedule.Timed(at, fault(data, nodes)));
    }
    return new FaultSchedule(events);
  }

  private static Fault fault(FuzzedDataProvider data, int nodes) {
    int node = data.consumeInt(1, nodes);
    return switch (data.consumeInt(0, 10)) {
      case 0 -> PartitionShapes.of(data.pickValue(PartitionShapes.SHAPES), nodes,
          new SplittableRandom(data.consumeLong()));
      case 1 -> new Fault.Heal();
      case 2 -> new Fault.Crash(node, data.consumeBoolean());
      case 3 -> new Fault.Restart(node);
      case 4 -> new Fault.Pause(node);
      case 5 -> new Fault.Resume(node);
      case 6 -> new Fault.NetFaults(data.consumeInt(0, 60), data.consumeInt(0, 50), data.consumeInt(0, 500));
      case 7 -> new Fault.ClockRate(node, data.consumeInt(250, 3_250));
      case 8 -> new Fault.ClockJump(node, data.consumeInt(1, 2_000));
      case 9 -> new Fault.Corrupt(node);
      default -> new Fault.DiskFull(node, data.consumeBoolean());
    };
  }
}
