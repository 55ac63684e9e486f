package io.raftbed.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftbed check} in a JVM with a 64 MiB heap on a history whose hard keys would fill any
 * heap: the memory budget derived from the heap stops the search, and the verdict is UNKNOWN
 * (exit 2) with the reason; never an OutOfMemoryError, never exit 1.
 */
class SmallHeapTest {
  @TempDir
  Path dir;

  @Test
  void aHardHistoryInASmallHeapIsUnknownWithTheReason() throws Exception {
    Path history = dir.resolve("hard.edn");
    assertEquals(0, GenerateHistory.run("--ops", "20000", "--clients", "50", "--keys", "4", "--hard-keys", "4",
        "--illegal-keys", "0", "--seed", "3", "--out", history.toString()));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = dir.resolve("out.txt");
    Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        CheckCommand.class.getName(), "--time-limit", "600s", "--threads", "2", history.toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(900, TimeUnit.SECONDS), "the check ends by itself");
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertFalse(text.contains("OutOfMemoryError"), text);
    assertEquals(2, p.exitValue(), text);
    assertTrue(text.contains("memory budget exhausted") || text.contains("the heap ran out"), text);
  }
}
