package io.raftbed.runtime.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.node.Storage;
import io.raftbed.node.Storage.StorageException;
import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalStorageTest {
  private static final int SMALL_SEGMENT_BYTES = 64 << 10;

  @TempDir
  Path dir;
  private final ExecutorService loop = Executors.newSingleThreadExecutor();
  private final List<Throwable> fatal = new ArrayList<>();
  private WalStorage wal;

  @AfterEach
  void tearDown() throws Exception {
    if (wal != null) {
      wal.close();
    }
    loop.shutdownNow();
    assertTrue(fatal.isEmpty(), "no fatal storage errors: " + fatal);
  }

  private Storage.Recovered open(int segmentBytes) {
    wal = new WalStorage(dir, new WalStorage.Options(segmentBytes), loop, WalStorage.Metrics.NONE, fatal::add);
    return wal.load();
  }

  private Storage.Recovered reopen(int segmentBytes) throws IOException {
    wal.close();
    return open(segmentBytes);
  }

  /** Persists on the loop thread, as the node does, and waits for the completion. */
  private void persist(HardState hs, List<LogEntry> entries, boolean sync) throws Exception {
    AtomicInteger done = new AtomicInteger();
    loop.submit(() -> wal.persist(hs, entries, sync, done::incrementAndGet)).get();
    loop.submit(() -> {}).get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (done.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(1, done.get(), "persist completed once");
  }

  private static List<LogEntry> entries(long from, long to, long term, int dataBytes) {
    List<LogEntry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      byte[] data = new byte[dataBytes];
      data[0] = (byte) i;
      out.add(new LogEntry(term, i, LogEntry.Type.COMMAND, data));
    }
    return out;
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
    }
  }

  @Test
  void emptyDirectoryRecoversNothing() {
    Storage.Recovered r = open(SMALL_SEGMENT_BYTES);
    assertEquals(HardState.EMPTY, r.hardState());
    assertTrue(r.entries().isEmpty());
  }

  @Test
  void entriesAndHardStateSurviveRestart() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(2, 1, 0), entries(1, 5, 2, 10), true);
    persist(new HardState(2, 1, 4), List.of(), false);
    Storage.Recovered r = reopen(SMALL_SEGMENT_BYTES);
    assertEquals(new HardState(2, 1, 4), r.hardState());
    assertEquals(entries(1, 5, 2, 10), r.entries());
    assertEquals(5, wal.syncedIndex());
  }

  @Test
  void anOverlappingWriteReplacesTheSuffix() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(1, 1, 0), entries(1, 5, 1, 10), true);
    persist(new HardState(3, 2, 0), entries(3, 4, 3, 20), true);
    Storage.Recovered r = reopen(SMALL_SEGMENT_BYTES);
    List<LogEntry> expected = new ArrayList<>(entries(1, 2, 1, 10));
    expected.addAll(entries(3, 4, 3, 20));
    assertEquals(expected, r.entries());
    assertEquals(new HardState(3, 2, 0), r.hardState());
  }

  @Test
  void rollsSegmentsAndReadsThemAllBack() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    for (int batch = 0; batch < 10; batch++) {
      persist(null, entries(batch * 20L + 1, batch * 20L + 20, 1, 1000), true);
    }
    assertTrue(segments().size() >= 4, "200 KB of entries span several 64 KiB segments: " + segments());
    Storage.Recovered r = reopen(SMALL_SEGMENT_BYTES);
    assertEquals(entries(1, 200, 1, 1000), r.entries());
    persist(null, entries(201, 201, 1, 1000), true);
    assertEquals(entries(1, 201, 1, 1000), reopen(SMALL_SEGMENT_BYTES).entries());
  }

  @Test
  void aTornTailIsClearedAndTheRestKept() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(1, 1, 0), entries(1, 3, 1, 100), true);
    long lastRecordStart = WalFormat.SEGMENT_HEADER_BYTES + 2L * (WalFormat.RECORD_OVERHEAD_BYTES
        + WalFormat.ENTRY_PAYLOAD_FIXED_BYTES + 100);
    wal.close();
    wal = null;
    // The crash tore entry 3 and the hard state after it: half of entry 3 never reached the disk.
    zero(segments().get(0), lastRecordStart + 40, 400);
    Storage.Recovered r = open(SMALL_SEGMENT_BYTES);
    assertEquals(entries(1, 2, 1, 100), r.entries());
    assertEquals(HardState.EMPTY, r.hardState());
    persist(new HardState(1, 1, 0), entries(3, 3, 1, 7), true);
    assertEquals(List.of(entries(1, 2, 1, 100).get(0), entries(1, 2, 1, 100).get(1), entries(3, 3, 1, 7).get(0)),
        reopen(SMALL_SEGMENT_BYTES).entries());
  }

  @Test
  void corruptionInTheMiddleRefusesToStartNamingFileAndOffset() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(1, 1, 0), entries(1, 3, 1, 100), true);
    wal.close();
    wal = null;
    Path segment = segments().get(0);
    flipByte(segment, WalFormat.SEGMENT_HEADER_BYTES + 30); // inside entry 1's payload
    StorageException e = assertThrows(StorageException.class, () -> open(SMALL_SEGMENT_BYTES));
    assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + WalFormat.SEGMENT_HEADER_BYTES), e.getMessage());
    wal = null; // nothing opened
  }

  @Test
  void corruptionInAnEarlierSegmentRefusesToStart() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    for (int batch = 0; batch < 5; batch++) {
      persist(null, entries(batch * 20L + 1, batch * 20L + 20, 1, 1000), true);
    }
    wal.close();
    wal = null;
    Path first = segments().get(0);
    flipByte(first, 5000);
    StorageException e = assertThrows(StorageException.class, () -> open(SMALL_SEGMENT_BYTES));
    assertTrue(e.getMessage().contains(first.getFileName().toString()), e.getMessage());
    wal = null;
  }

  @Test
  void aSecondProcessCannotOpenTheSameLog() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    WalStorage second = new WalStorage(dir, new WalStorage.Options(SMALL_SEGMENT_BYTES), loop,
        WalStorage.Metrics.NONE, fatal::add);
    StorageException e = assertThrows(StorageException.class, second::load);
    assertTrue(e.getMessage().contains("in use"), e.getMessage());
  }

  private void saveSnapshot(Snapshot snap) throws Exception {
    AtomicInteger done = new AtomicInteger();
    loop.submit(() -> wal.saveSnapshot(snap, done::incrementAndGet)).get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (done.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(1, done.get(), "saveSnapshot completed once");
  }

  private static Snapshot snapshot(long index, long term) {
    return new Snapshot(index, term, Membership.ofVoters(List.of(1, 2, 3)), new byte[] {1, 2, (byte) index});
  }

  @Test
  void aSnapshotReplacesTheEntriesItCovers() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(1, 1, 25), entries(1, 30, 1, 10), true);
    saveSnapshot(snapshot(20, 1));
    persist(null, entries(31, 35, 1, 10), true);
    Storage.Recovered r = reopen(SMALL_SEGMENT_BYTES);
    assertEquals(20, r.snapshot().index());
    assertArrayEquals(snapshot(20, 1).data(), r.snapshot().data());
    assertEquals(entries(21, 35, 1, 10), r.entries());
    assertEquals(new HardState(1, 1, 25), r.hardState());
  }

  @Test
  void closingWhileASnapshotIsWrittenIsNotADiskFailure() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(1, 1, 10), entries(1, 10, 1, 10), true);
    AtomicInteger done = new AtomicInteger();
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch closedFirst = new CountDownLatch(1);
    // The loop is held until the log has closed, so the snapshot's completion (queued on the loop by
    // the file worker) can only run after close(), the order a node that stops mid-snapshot sees.
    loop.submit(() -> {
      wal.saveSnapshot(snapshot(8, 1), done::incrementAndGet);
      asked.countDown();
      closedFirst.await();
      return null;
    });
    assertTrue(asked.await(5, TimeUnit.SECONDS));
    wal.close(); // waits for the snapshot file
    closedFirst.countDown();
    loop.submit(() -> { }).get(5, TimeUnit.SECONDS); // the completion ran (or was never queued)
    assertEquals(0, done.get(), "nothing completes on a closed log");
    assertTrue(fatal.isEmpty(), "closing is not a disk failure: " + fatal);
    Storage.Recovered r = open(SMALL_SEGMENT_BYTES);
    assertEquals(8, r.snapshot().index(), "the snapshot file written before close is recovered");
    assertEquals(entries(9, 10, 1, 10), r.entries());
  }

  @Test
  void compactionDeletesCoveredSegmentsAndKeepsTheHardState() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(5, 2, 0), entries(1, 20, 5, 1000), true);
    for (int batch = 1; batch < 10; batch++) {
      persist(null, entries(batch * 20L + 1, batch * 20L + 20, 5, 1000), true);
    }
    // About 63 entries of 1 KB fit a 64 KiB segment: entries up to 126 are in segments 1 and 2.
    Path first = WalSegment.pathOf(dir, 1);
    Path second = WalSegment.pathOf(dir, 2);
    Path third = WalSegment.pathOf(dir, 3);
    assertTrue(Files.exists(first) && Files.exists(second) && Files.exists(third), segments().toString());
    saveSnapshot(snapshot(150, 5));
    persist(null, entries(201, 201, 5, 1000), true); // a sync after the mark lets compaction run
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Files.exists(second) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(!Files.exists(first) && !Files.exists(second), "covered segments were deleted: " + segments());
    assertTrue(Files.exists(third), "a segment with entries after the snapshot stays: " + segments());
    Storage.Recovered r = reopen(SMALL_SEGMENT_BYTES);
    assertEquals(150, r.snapshot().index());
    assertEquals(entries(151, 201, 5, 1000), r.entries());
    assertEquals(new HardState(5, 2, 0), r.hardState(), "the hard state outlives the segment it was written in");
  }

  @Test
  void aLeadersSnapshotReplacesADivergedLog() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(1, 1, 0), entries(1, 10, 1, 10), true);
    saveSnapshot(snapshot(8, 2)); // our entry 8 is of term 1: the log after it is another history
    persist(new HardState(2, 0, 8), entries(9, 9, 2, 10), true);
    Storage.Recovered r = reopen(SMALL_SEGMENT_BYTES);
    assertEquals(8, r.snapshot().index());
    assertEquals(entries(9, 9, 2, 10), r.entries());
  }

  @Test
  void aCrashBetweenTheSnapshotFileAndItsMarkStillAppliesTheRule() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(1, 1, 0), entries(1, 10, 1, 10), true);
    wal.close();
    wal = null;
    SnapshotFiles.write(dir, snapshot(6, 1)); // same term at 6: the entries after it stay
    assertEquals(entries(7, 10, 1, 10), open(SMALL_SEGMENT_BYTES).entries());
    wal.close();
    wal = null;
    SnapshotFiles.write(dir, snapshot(8, 3)); // another term at 8: the log after it goes
    Storage.Recovered r = open(SMALL_SEGMENT_BYTES);
    assertEquals(8, r.snapshot().index());
    assertTrue(r.entries().isEmpty(), "entries of a replaced history: " + r.entries());
  }

  @Test
  void aCorruptSnapshotRefusesToStartNamingIt() throws Exception {
    open(SMALL_SEGMENT_BYTES);
    persist(new HardState(1, 1, 0), entries(1, 10, 1, 10), true);
    saveSnapshot(snapshot(5, 1));
    wal.close();
    wal = null;
    Path file = SnapshotFiles.pathOf(dir, 5);
    flipByte(file, 40);
    StorageException e = assertThrows(StorageException.class, () -> open(SMALL_SEGMENT_BYTES));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    wal = null;
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x5a));
      ch.write(b.rewind(), offset);
    }
  }

  private static void zero(Path file, long offset, int bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(bytes), offset);
    }
  }
}
