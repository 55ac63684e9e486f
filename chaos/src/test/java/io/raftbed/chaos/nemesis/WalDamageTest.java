package io.raftbed.chaos.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.scenario.FaultSpec;
import io.raftbed.node.Storage;
import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.runtime.wal.WalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nemesis damages logs by their documented layout without using the node's code; these tests
 * hold it to the node's real write-ahead log: a torn or garbled tail is recovered from, corruption
 * in the middle is refused, and a restored segment is whole again.
 */
class WalDamageTest {
  @TempDir
  Path dir;
  private final ExecutorService loop = Executors.newSingleThreadExecutor();
  private final List<Throwable> fatal = new ArrayList<>();

  @AfterEach
  void tearDown() {
    loop.shutdownNow();
    assertTrue(fatal.isEmpty(), "no fatal storage errors: " + fatal);
  }

  private Storage.Recovered load() throws IOException {
    try (WalStorage wal = new WalStorage(dir, new WalStorage.Options(1 << 20), loop, WalStorage.Metrics.NONE,
        fatal::add)) {
      return wal.load();
    }
  }

  private void writeEntries(int count) throws Exception {
    try (WalStorage wal = new WalStorage(dir, new WalStorage.Options(1 << 20), loop, WalStorage.Metrics.NONE,
        fatal::add)) {
      wal.load();
      List<LogEntry> entries = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        entries.add(new LogEntry(1, i, LogEntry.Type.COMMAND, ("value-" + i).repeat(10).getBytes()));
      }
      CountDownLatch done = new CountDownLatch(1);
      loop.submit(() -> wal.persist(new HardState(1, 1, 0), entries, true, done::countDown)).get();
      assertTrue(done.await(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aTruncatedTailLosesOnlyTheTornRecord() throws Exception {
    writeEntries(10);
    WalDamage.Damage d = WalDamage.apply(dir, FaultSpec.WalDamage.TRUNCATE_TAIL);
    assertTrue(d.detail().contains("zeroed"), d.detail());
    Storage.Recovered r = load();
    assertEquals(10, r.entries().size(), "the last record (the hard state) was torn; every entry before it stays");
    assertEquals(HardState.EMPTY, r.hardState());
    WalDamage.discard(d);
    assertFalse(Files.exists(d.backup()));
  }

  @Test
  void aGarbledTailIsCaughtByItsChecksumAndCleared() throws Exception {
    writeEntries(10);
    WalDamage.apply(dir, FaultSpec.WalDamage.CORRUPT_TAIL);
    Storage.Recovered r = load();
    assertEquals(10, r.entries().size());
    assertEquals(HardState.EMPTY, r.hardState(), "the garbled last record is not trusted");
  }

  @Test
  void corruptionInTheMiddleIsRefusedAndTheBackupMakesTheLogWholeAgain() throws Exception {
    writeEntries(10);
    WalDamage.Damage d = WalDamage.apply(dir, FaultSpec.WalDamage.CORRUPT_MIDDLE);
    assertTrue(d.detail().contains("valid records follow"), d.detail());
    assertThrows(Storage.StorageException.class, this::load);
    WalDamage.restore(d);
    Storage.Recovered r = load();
    assertEquals(10, r.entries().size());
    assertEquals(new HardState(1, 1, 0), r.hardState());
  }

  @Test
  void anEmptyLogCannotBeDamaged() throws Exception {
    load();
    IOException e = assertThrows(IOException.class, () -> WalDamage.apply(dir, FaultSpec.WalDamage.TRUNCATE_TAIL));
    assertTrue(e.getMessage().contains("no segment"), e.getMessage());
  }
}
