package io.raftbed.chaos.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.workload.HistoryRecorder.Type;
import io.raftbed.linearizability.Histories;
import io.raftbed.linearizability.History;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {
  @TempDir
  Path dir;

  @Test
  void writesJepsenEdnTheCheckerReadsBack() throws Exception {
    HistoryRecorder h = new HistoryRecorder(100);
    h.record(Type.INVOKE, 0, "write", "k1", 5L, "n1", null);
    h.record(Type.INVOKE, 1, "cas", "k1", new long[] {5, 6}, "n2", null);
    h.record(Type.OK, 0, "write", "k1", 5L, "n1", null);
    h.record(Type.INFO, 1, "cas", "k1", new long[] {5, 6}, "n2", "timed out \"after\" 2s\nreally");
    h.record(Type.INVOKE, 2, "read", "k2", null, "n3", null);
    h.record(Type.OK, 2, "read", "k2", null, "n3", null);
    h.record(Type.INVOKE, 3, "read", "k1", null, null, null);
    Path file = dir.resolve("history.edn");
    h.writeEdn(file);
    History back = Histories.readEdn(file);
    assertEquals(7, back.size());
    assertTrue(back.isKeyed());
    // ok 2 (write, read), fail 0, info 2 (the cas, and the read never answered)
    assertArrayEquals(new long[] {2, 0, 2}, h.counts());
  }

  @Test
  void stopsTakingEventsAtItsBound() {
    HistoryRecorder h = new HistoryRecorder(2);
    h.record(Type.INVOKE, 0, "read", "k1", null, "n1", null);
    assertTrue(!h.full());
    h.record(Type.OK, 0, "read", "k1", 3L, "n1", null);
    assertTrue(h.full());
  }
}
