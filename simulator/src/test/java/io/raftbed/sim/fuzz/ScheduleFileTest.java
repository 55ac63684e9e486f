package io.raftbed.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.sim.fault.FaultSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault schedules as small files: one event per line, comments, and the one-line form. */
class ScheduleFileTest {
  private static final FaultSchedule S = FaultSchedule.parse(
      "@200 partition halves 1>2 2>1; @1200 crash 3 torn; @2400 restart 3; @3000 net loss=5 dup=1 delay=20; @4000 heal");

  @Test
  void writesOneEventPerLineAndReadsBack(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("schedule.txt");
    S.write(f, "seed 42; a comment with a semicolon\nand a second line");
    String text = Files.readString(f);
    assertTrue(text.startsWith("# seed 42; a comment with a semicolon\n# and a second line\n@200 partition"), text);
    assertEquals(S.size() + 2, text.lines().count());
    assertEquals(S, FaultSchedule.read(f));
  }

  @Test
  void readsTheOneLineFormAndAnEmptySchedule(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("one-line.txt"), S.print() + "\n");
    assertEquals(S, FaultSchedule.read(dir.resolve("one-line.txt")));
    FaultSchedule.EMPTY.write(dir.resolve("empty.txt"), "nothing");
    assertEquals(FaultSchedule.EMPTY, FaultSchedule.read(dir.resolve("empty.txt")));
    Files.writeString(dir.resolve("none.txt"), "# header\nnone\n");
    assertEquals(FaultSchedule.EMPTY, FaultSchedule.read(dir.resolve("none.txt")));
  }

  @Test
  void aBadLineNamesTheFile(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("bad.txt");
    Files.writeString(f, "@100 crash 1\n@200 explode 2\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultSchedule.read(f));
    assertTrue(e.getMessage().contains("bad.txt") && e.getMessage().contains("explode"), e.getMessage());
  }
}
