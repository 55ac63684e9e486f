package io.raftbed.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
  @TempDir
  static Path dir;
  static Path folder;

  /** A cheap failure folder: the no-fsync canary fails on the first seeds, within a fraction of a second. */
  @BeforeAll
  static void writeAFailureFolder() {
    Cli.Run r = Cli.run("fuzz", "--seeds", "1..4", "--canary", "no-fsync", "--nodes", "3", "--virtual-seconds", "5",
        "--max-failures", "1", "--minimize", "1", "--threads", "1", "--out", dir.toString());
    assertEquals(1, r.exit(), r.toString());
    folder = dir.resolve("failure-seed-1");
    assertTrue(Files.isDirectory(folder), r.toString());
  }

  @Test
  void aSavedFailureReproducesAndExitsOne() {
    Cli.Run r = Cli.run("replay", folder.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.out().contains("REPRODUCED: durability"), r.out());
    Cli.Run original = Cli.run("replay", folder.toString(), "--original", "--trace");
    assertEquals(1, original.exit(), original.toString());
    assertTrue(original.out().contains("original schedule") && original.out().contains("trace (last events"),
        original.out());
  }

  @Test
  void anotherDigestDoesNotReproduceAndExitsTwo(@TempDir Path copy) throws IOException {
    Path tampered = copy.resolve("failure-seed-1");
    Files.createDirectories(tampered);
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.copy(f, tampered.resolve(f.getFileName()));
      }
    }
    Path result = tampered.resolve("result.json");
    String json = Files.readString(result);
    String digest = json.replaceAll("(?s).*?\"digest\" : \"([0-9a-f]+)\".*", "$1");
    Files.writeString(result, json.replace("\"digest\" : \"" + digest + "\"", "\"digest\" : \"0000000000000000\""));
    Cli.Run r = Cli.run("replay", tampered.toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.out().contains("DOES NOT REPRODUCE") && r.out().contains("got durability with digest " + digest),
        r.out());
  }

  @Test
  void aMissingOrIncompleteFolderExitsTwoSayingWhy(@TempDir Path empty) throws IOException {
    Cli.Run missing = Cli.run("replay", empty.resolve("failure-seed-9").toString());
    assertEquals(2, missing.exit(), missing.toString());
    assertTrue(missing.err().contains("no failure folder at"), missing.err());
    Files.writeString(empty.resolve("config.json"), "{}");
    Cli.Run incomplete = Cli.run("replay", empty.toString());
    assertEquals(2, incomplete.exit(), incomplete.toString());
    assertTrue(incomplete.err().contains("schedule.txt is missing"), incomplete.err());
  }
}
