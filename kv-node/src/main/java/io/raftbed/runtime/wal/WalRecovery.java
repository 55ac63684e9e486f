package io.raftbed.runtime.wal;

import io.raftbed.node.Storage.StorageException;
import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a log directory back: replays every valid record in order and decides what an invalid one
 * means. The rule: a bad record (or segment header) with <em>no valid record anywhere after it</em> is
 * a torn tail, the remains of a write that a crash interrupted before its fsync, so it was never
 * acknowledged and is cleared. A bad record followed by a valid one is corruption of data that was
 * once durable: recovery refuses, naming the file and offset, rather than silently lose acknowledged
 * writes. (Segments are fsynced before the next one is written, so a torn write can only be in the
 * last segment with data.)
 *
 * <p>Replaying applies the truncation semantics of {@code Storage.persist}: an entry at or below the
 * last replayed index replaces the suffix from there. With a snapshot (the newest snapshot file), the
 * entries it covers are skipped, and {@code Storage.saveSnapshot}'s rule is applied where its mark
 * record stands (or at the end, if a crash came before the mark): if the log's entry at the
 * snapshot's index is of another term, the entries after it belonged to a replaced history and go.
 *
 * <p>Single-threaded; runs once at start-up, before the node's loop handles anything.
 */
final class WalRecovery {
  /** A segment file on disk, mapped for reading. */
  private record SegmentFile(Path path, long seq, ByteBuffer bytes) {}

  /** Where replay stopped in one segment: {@code validEnd} is the end of its last valid record. */
  private record Scan(SegmentFile file, int validEnd, int records, String problem, int problemOffset) {}

  /**
   * What recovery found.
   *
   * @param current the segment to append to, opened at the end of its valid records
   * @param spares preallocated segments after it that hold no records, in order
   */
  record Result(HardState hardState, Snapshot snapshot, List<LogEntry> entries, WalSegment current,
      List<WalSegment> spares, long nextSeq, Map<Long, Long> segmentMaxIndex, String repairNote) {}

  /** {@link #termAtBase}: the log has no entry at the snapshot's index (it was truncated below it). */
  private static final long ABSENT = -1;

  private final Path dir;
  /** Entries after the snapshot ({@link #base}), contiguous. */
  private final List<LogEntry> entries = new ArrayList<>();
  private HardState hardState = HardState.EMPTY;
  private Snapshot snapshot;
  /** The newest snapshot's index, 0 without one: entries up to it are covered. */
  private long base;
  /** Term of the log's entry at {@link #base}: 0 when never seen, {@link #ABSENT} when truncated away. */
  private long termAtBase;
  private boolean markSeen;
  /** Highest entry index written into each segment, by sequence number: what compaction may delete. */
  private final Map<Long, Long> segmentMaxIndex = new TreeMap<>();

  private WalRecovery(Path dir) {
    this.dir = dir;
  }

  /** Recovers {@code dir}; returns null current segment when the directory holds no segment yet. */
  static Result recover(Path dir) throws IOException {
    return new WalRecovery(dir).run();
  }

  private Result run() throws IOException {
    List<Path> snapshots = SnapshotFiles.list(dir);
    if (!snapshots.isEmpty()) {
      snapshot = SnapshotFiles.read(snapshots.get(snapshots.size() - 1));
      base = snapshot.index();
    }
    List<SegmentFile> files = listSegments();
    List<Scan> scans = new ArrayList<>();
    for (SegmentFile f : files) {
      scans.add(scan(f));
    }
    int lastWithData = -1;
    for (int i = 0; i < scans.size(); i++) {
      if (scans.get(i).records() > 0) {
        lastWithData = i;
      }
    }
    // Anything wrong before the last segment with data is corruption, not a torn tail.
    for (int i = 0; i < lastWithData; i++) {
      Scan s = scans.get(i);
      if (s.problem() != null) {
        throw corruption(s, "records follow in " + scans.get(lastWithData).file().path().getFileName());
      }
    }
    if (snapshot != null && !markSeen) {
      dropIfReplaced(snapshot.term()); // the crash came between the snapshot file and its mark
    }
    if (files.isEmpty()) {
      return new Result(hardState, snapshot, entries, null, List.of(), 1, segmentMaxIndex, null);
    }
    return reopen(files, scans, Math.max(lastWithData, 0));
  }

  private List<SegmentFile> listSegments() throws IOException {
    List<Path> paths;
    try (Stream<Path> s = Files.list(dir)) {
      paths = s.sorted().toList();
    }
    List<SegmentFile> files = new ArrayList<>();
    for (Path p : paths) {
      String name = p.getFileName().toString();
      if (name.endsWith(".wal.tmp")) {
        Files.delete(p); // an allocation a crash interrupted; never held records
      } else if (name.matches("\\d{16}\\.wal")) {
        long seq = Long.parseLong(name.substring(0, 16));
        if (!files.isEmpty() && files.get(files.size() - 1).seq() + 1 != seq) {
          throw new StorageException("log segment " + (files.get(files.size() - 1).seq() + 1) + " is missing from "
              + dir + " (found " + name + " next); refusing to start");
        }
        files.add(new SegmentFile(p, seq, map(p)));
      }
    }
    return files;
  }

  private static ByteBuffer map(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
      return m;
    }
  }

  /** Replays one segment's valid records; on the first invalid one, decides torn or corrupt. */
  private Scan scan(SegmentFile f) {
    ByteBuffer b = f.bytes();
    String headerProblem = WalFormat.checkSegmentHeader(b, f.seq());
    if (headerProblem != null) {
      int found = findValidRecord(b, WalFormat.SEGMENT_HEADER_BYTES);
      Scan bad = new Scan(f, WalFormat.SEGMENT_HEADER_BYTES, 0, headerProblem, 0);
      if (found >= 0) {
        throw corruption(bad, "a valid record follows at offset " + found);
      }
      return bad;
    }
    int pos = WalFormat.SEGMENT_HEADER_BYTES;
    int records = 0;
    while (pos < b.limit()) {
      int length = WalFormat.recordBytesAt(b, pos);
      if (length < 0) {
        break;
      }
      replay(f, pos);
      records++;
      pos += length;
    }
    if (pos >= b.limit() || allZero(b, pos)) {
      return new Scan(f, pos, records, null, pos);
    }
    Scan torn = new Scan(f, pos, records, WalFormat.whyInvalid(b, pos), pos);
    int found = findValidRecord(b, pos + 1);
    if (found >= 0) {
      throw corruption(torn, "a valid record follows at offset " + found);
    }
    return torn;
  }

  private void replay(SegmentFile f, int pos) {
    try {
      switch (WalFormat.kind(f.bytes(), pos)) {
        case WalFormat.KIND_HARD_STATE -> hardState = WalFormat.hardState(f.bytes(), pos);
        case WalFormat.KIND_SNAPSHOT_MARK -> replayMark(WalFormat.snapshotMark(f.bytes(), pos));
        default -> replayEntry(f, WalFormat.entry(f.bytes(), pos));
      }
    } catch (IllegalArgumentException e) {
      throw new StorageException("invalid record in " + f.path() + " at offset " + pos + ": " + e.getMessage()
          + "; refusing to start", e);
    }
  }

  private void replayEntry(SegmentFile f, LogEntry e) {
    segmentMaxIndex.merge(f.seq(), e.index(), Math::max);
    if (e.index() <= base) {
      // Covered by the snapshot; only what it says about the entry at the snapshot's index matters.
      termAtBase = e.index() == base ? e.term() : termAtBase != 0 ? ABSENT : 0;
      return;
    }
    long last = base + entries.size();
    if (e.index() > last + 1) {
      throw new IllegalArgumentException("entry " + e.index() + " follows entry " + last + " (a gap)");
    }
    if (e.index() <= last) {
      entries.subList((int) (e.index() - base - 1), entries.size()).clear(); // a later write replaced the suffix
    }
    if (!entries.isEmpty() && entries.get(entries.size() - 1).term() > e.term()) {
      throw new IllegalArgumentException("entry " + e.index() + " has term " + e.term() + " below its predecessor's");
    }
    entries.add(e);
  }

  private void replayMark(long[] mark) {
    if (mark[0] > base) {
      throw new IllegalArgumentException("the log marks snapshot " + mark[0] + " durable, but the newest snapshot"
          + " file is " + (snapshot == null ? "none" : "at " + base));
    }
    if (mark[0] == base) {
      markSeen = true;
      dropIfReplaced(mark[1]);
    }
  }

  /** Storage.saveSnapshot: if the log's entry at the snapshot's index is of another term, drop the log. */
  private void dropIfReplaced(long snapshotTerm) {
    if (termAtBase != 0 && termAtBase != snapshotTerm) {
      entries.clear();
    }
  }

  /** Opens the segment to append to, clears a torn tail in it, and collects the spares after it. */
  private Result reopen(List<SegmentFile> files, List<Scan> scans, int currentIndex) throws IOException {
    Scan cur = scans.get(currentIndex);
    SegmentFile cf = cur.file();
    String note = null;
    WalSegment current;
    if (WalFormat.checkSegmentHeader(cf.bytes(), cf.seq()) != null) {
      // The only segment, and its header is torn: it never held a record.
      Files.delete(cf.path());
      current = null;
      note = "removed " + cf.path() + " (" + cur.problem() + "; no records)";
    } else {
      current = WalSegment.open(cf.path(), cf.seq(), cf.bytes().limit(), cur.validEnd());
      if (cur.problem() != null) {
        current.zero(cur.validEnd(), lastNonZero(cf.bytes()) + 1);
        current.force();
        note = "cleared a torn tail in " + cf.path() + " at offset " + cur.validEnd() + " (" + cur.problem() + ")";
      }
    }
    List<WalSegment> spares = new ArrayList<>();
    long nextSeq = cf.seq() + 1;
    for (int i = currentIndex + 1; i < files.size(); i++) {
      SegmentFile f = files.get(i);
      Scan s = scans.get(i);
      if (s.problem() == null && f.bytes().limit() == cf.bytes().limit() && current != null) {
        spares.add(WalSegment.open(f.path(), f.seq(), f.bytes().limit(), WalFormat.SEGMENT_HEADER_BYTES));
        nextSeq = f.seq() + 1;
      } else {
        Files.delete(f.path()); // a spare the crash tore; it never held records
        note = (note == null ? "" : note + "; ") + "removed unusable spare " + f.path().getFileName();
      }
    }
    if (current == null) {
      nextSeq = cf.seq();
    }
    return new Result(hardState, snapshot, entries, current, spares, nextSeq, segmentMaxIndex, note);
  }

  /** The first offset at or after {@code from} where a valid record starts, or -1. */
  private static int findValidRecord(ByteBuffer b, int from) {
    int end = b.limit() - WalFormat.RECORD_OVERHEAD_BYTES;
    for (int pos = from; pos <= end; pos++) {
      if (b.get(pos) == (byte) (WalFormat.RECORD_MAGIC >> 8) && WalFormat.recordBytesAt(b, pos) > 0) {
        return pos;
      }
    }
    return -1;
  }

  private static boolean allZero(ByteBuffer b, int from) {
    return lastNonZero(b) < from;
  }

  /** The offset of the last non-zero byte, or -1. */
  private static int lastNonZero(ByteBuffer b) {
    int pos = b.limit();
    while (pos >= 8 && b.getLong(pos - 8) == 0) {
      pos -= 8;
    }
    while (pos > 0 && b.get(pos - 1) == 0) {
      pos--;
    }
    return pos - 1;
  }

  private static StorageException corruption(Scan s, String evidence) {
    return new StorageException("corrupt write-ahead log: " + s.file().path() + " at offset " + s.problemOffset()
        + ": " + s.problem() + "; " + evidence + ", so this is not a torn tail. Refusing to start: the data there"
        + " was durable and may have been acknowledged. Restore this node's data directory from a replica"
        + " (or remove it to rejoin empty, if the rest of the cluster holds a quorum).");
  }
}
