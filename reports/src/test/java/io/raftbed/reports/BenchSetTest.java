package io.raftbed.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.reports.bench.BenchSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSetTest {
  @TempDir
  Path tmp;

  @Test
  void runsAreNamedByOperationAndClientsAndRepeatsNumbered() throws Exception {
    Path f = Fixtures.bench(tmp.resolve("before.jsonl"), 1, null);
    Files.writeString(f, Files.readString(f) + Files.readAllLines(f).get(1) + "\n");
    BenchSet s = BenchSet.load(f);
    assertEquals("before (raftbed)", s.label());
    assertEquals(6, s.runs().size());
    assertEquals("put x16", s.runs().get(1).key());
    assertEquals("put x16 #2", s.runs().get(5).key());
    assertEquals(8200.0, s.run("put x16").opsPerSecond(), 1e-9);
    assertEquals(1.5 * 3, s.run("put x16").p99Millis(), 1e-9);
    assertEquals("etcd", BenchSet.load(Fixtures.bench(tmp.resolve("etcd.jsonl"), 0.5, "etcd")).label());
  }

  @Test
  void aLineWithoutTheBenchFieldsIsRefused() throws Exception {
    Path f = tmp.resolve("x.jsonl");
    Files.writeString(f, "{\"op\":\"put\",\"opsPerSecond\":1}\n");
    BadInputException e = assertThrows(BadInputException.class, () -> BenchSet.load(f));
    assertTrue(e.getMessage().contains("x.jsonl:1"), e.getMessage());
  }
}
