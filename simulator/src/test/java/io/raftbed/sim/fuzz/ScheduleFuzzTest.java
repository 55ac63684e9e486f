package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.Simulation;
import io.raftbed.sim.fault.FaultSchedule;

/**
 * Coverage-guided fuzzing of fault schedules with Jazzer: the fuzzer's bytes decode to a seed and a
 * schedule ({@link FuzzedSchedules}), a short run of a 3-node cluster follows, and any violation fails
 * the test with a one-line reproduction for {@code raftbed sim}.
 *
 * <p>{@code mvn verify} replays the saved inputs in {@code ScheduleFuzzTestInputs/fuzzSchedule}
 * (regression mode); {@code mvn -Pfuzz -pl simulator -am verify} fuzzes for {@code -Dfuzz.duration}.
 */
class ScheduleFuzzTest {
  static final int NODES = 3;
  static final int VIRTUAL_SECONDS = 8;
  /** What {@code raftbed sim --nodes 3 --virtual-seconds 8 --schedule ...} runs. */
  static final SimConfig CONFIG = SimConfig.standard().withNodes(NODES).withVirtualMillis(VIRTUAL_SECONDS * 1000L);

  @FuzzTest(maxDuration = "5m")
  void fuzzSchedule(FuzzedDataProvider data) {
    long seed = data.consumeLong();
    FaultSchedule schedule = FuzzedSchedules.decode(data, NODES, CONFIG.healAtMillis());
    SimResult r = Simulation.run(seed, CONFIG, schedule);
    if (!r.clean()) {
      fail(r.violation().kind() + ": " + SeedOutcome.shorten(r.violation().message(), 500)
          + "\n  replay: bin/raftbed sim --seed " + seed + " --nodes " + NODES + " --virtual-seconds " + VIRTUAL_SECONDS
          + " --schedule '" + schedule.print() + "' --verbose");
    }
  }
}
