package io.raftbed.chaos.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeTimeTest {
  @TempDir
  Path dir;

  /** What the process reads: start + elapsed * rate + offset. */
  private static double clock(FakeTime.Setting s, double elapsed) {
    return elapsed * s.rate() + s.offsetSeconds();
  }

  @Test
  void aNewRateKeepsTheClockWhereItWasAndAJumpMovesItForward() {
    FakeTime.Setting slow = FakeTime.next(FakeTime.Setting.TRUE, 100, 0.2, 0);
    assertEquals(100, clock(slow, 100), 1e-9, "no step when the rate changes");
    assertEquals(100 + 0.2 * 10, clock(slow, 110), 1e-9, "then a fifth of true speed");
    FakeTime.Setting back = FakeTime.next(slow, 110, 1.0, 0);
    assertEquals(102, clock(back, 110), 1e-9);
    assertEquals(112, clock(back, 120), 1e-9);
    FakeTime.Setting jumped = FakeTime.next(back, 120, 1.0, 20);
    assertEquals(132, clock(jumped, 120), 1e-9);
  }

  @Test
  void theFileHoldsLibfaketimesOffsetAndRateForm() throws Exception {
    Path f = dir.resolve("n1").resolve("clock").resolve("faketime"); // a node's folder not made yet
    FakeTime.write(f, new FakeTime.Setting(-80, 0.2));
    assertEquals("-80.000 x0.2000\n", Files.readString(f));
  }
}
