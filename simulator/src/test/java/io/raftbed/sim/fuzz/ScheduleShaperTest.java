package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftbed.sim.fault.FaultSchedule;
import org.junit.jupiter.api.Test;

class ScheduleShaperTest {
  private static final long HEAL_AT = 50_000;

  @Test
  void fullIntensityLeavesTheScheduleAlone() {
    FaultSchedule s = FaultSchedule.parse("@100 crash 1; @900 restart 1; @1000 net loss=10 dup=4 delay=80; "
        + "@3000 net loss=0 dup=0 delay=0");
    assertEquals(s, ScheduleShaper.shape(s, 100, 100, HEAL_AT));
  }

  @Test
  void scalesMessageFaultsCappedAndNeverTurnsOneOff() {
    FaultSchedule s = FaultSchedule.parse("@1000 net loss=40 dup=1 delay=0; @3000 net loss=0 dup=0 delay=0");
    assertEquals(FaultSchedule.parse("@1000 net loss=60 dup=2 delay=0; @3000 net loss=0 dup=0 delay=0"),
        ScheduleShaper.shape(s, 200, 100, HEAL_AT));
    assertEquals(FaultSchedule.parse("@1000 net loss=10 dup=1 delay=0; @3000 net loss=0 dup=0 delay=0"),
        ScheduleShaper.shape(s, 25, 100, HEAL_AT));
  }

  @Test
  void movesEachUndoToScaleTheFaultsDuration() {
    FaultSchedule s = FaultSchedule.parse("@1000 crash 2; @1200 pause 3; @2000 resume 3; @5000 restart 2; "
        + "@6000 partition halves 1>2 2>1; @7000 heal");
    assertEquals(FaultSchedule.parse("@1000 crash 2; @1200 pause 3; @1400 resume 3; @2000 restart 2; "
        + "@6000 partition halves 1>2 2>1; @6250 heal"), ScheduleShaper.shape(s, 100, 25, HEAL_AT));
  }

  @Test
  void stretchedFaultsEndBeforeTheHealAndADiskFullKeepsItsRestart() {
    FaultSchedule s = FaultSchedule.parse("@40000 diskfull 4 on; @45000 diskfull 4 off; @45000 restart 4; "
        + "@46000 clock 1 rate=2000; @47000 clock 1 rate=1000; @48000 jump 2 +500");
    assertEquals(FaultSchedule.parse("@40000 diskfull 4 on; @46000 clock 1 rate=2000; @48000 clock 1 rate=1000; "
            + "@48000 jump 2 +500; @49999 diskfull 4 off; @49999 restart 4"),
        ScheduleShaper.shape(s, 100, 200, HEAL_AT));
  }
}
