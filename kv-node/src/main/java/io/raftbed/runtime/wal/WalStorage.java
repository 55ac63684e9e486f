package io.raftbed.runtime.wal;

import io.raftbed.node.Storage;
import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node's {@link Storage}: a segmented write-ahead log (format in {@link WalFormat}) with group
 * commit. Entries and hard states are records; term and vote are one checksummed record, so they
 * change atomically, and replay order gives the truncation semantics for free.
 *
 * <p>Threading and ordering: {@link #persist} runs on the node's thread and writes the batch to the
 * page cache at once (a copy, no disk wait), so writes reach the file in the order issued. When the
 * batch must be durable, a sync request goes to the {@link WalSyncer} thread, which forces the file
 * once for every request queued meanwhile and posts the completions back to the node's loop in
 * order; otherwise the completion is posted right away. The node's thread blocks on the disk in one
 * rare case: when a segment fills, it forces that segment before writing to the next, so that a torn
 * write can only ever be in the last segment (which is what lets recovery tell torn from corrupt).
 *
 * <p>Snapshots ({@link SnapshotFiles}) are written by the {@code wal-files} thread; back on the
 * node's loop a mark record (and the current hard state) goes into the log, and once that is fsynced
 * the oldest segments whose entries the snapshot covers are deleted, in order, with older snapshots.
 */
public final class WalStorage implements Storage, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WalStorage.class.getName());
  private static final int BUFFER_BYTES_RETAINED = 4 << 20;

  /** @param segmentBytes size of each preallocated segment file; bounds the largest record */
  public record Options(int segmentBytes) {
    public Options {
      if (segmentBytes < 64 << 10) {
        throw new IllegalArgumentException("segments must be at least 64 KiB, got " + segmentBytes);
      }
    }

    public static Options defaults() {
      return new Options(64 << 20);
    }

    /** The largest entry data a record can carry. */
    public int entryDataBytesMax() {
      return segmentBytes - WalFormat.SEGMENT_HEADER_BYTES - WalFormat.RECORD_OVERHEAD_BYTES
          - WalFormat.ENTRY_PAYLOAD_FIXED_BYTES;
    }
  }

  /** Observes the log; {@code synced} is called on the sync thread, {@code written} on the node's. */
  public interface Metrics {
    Metrics NONE = new Metrics() {};

    default void synced(int records, long nanos) {}

    default void written(int records, int bytes) {}
  }

  private final Path dir;
  private final Options options;
  private final Executor nodeLoop;
  private final Metrics metrics;
  private final Consumer<Throwable> fatal;

  private WalSegment current;
  private SegmentAllocator allocator;
  /** Writes snapshot files and deletes compacted segments: slow file work off the node's thread. */
  private final ExecutorService fileWorker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "wal-files");
    t.setDaemon(true);
    return t;
  });
  /** Every segment on disk that holds (or held) records, by sequence number: its highest entry index. */
  private final TreeMap<Long, Long> segmentMaxIndex = new TreeMap<>();
  /** The last hard state written; rewritten after a snapshot mark so compaction never loses it. */
  private HardState lastHardState;
  /** Index of the newest durable snapshot, 0 for none. */
  private long snapshotIndex;
  private WalSyncer syncer;
  /** Held while the log is open; released (with its channel) by {@link #close}. */
  private FileLock lock;
  /** Reused for encoding; grows for large batches, shrinks back after them. */
  private ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10);
  /** Index of the last entry written (durable or not). */
  private long lastIndex;
  /** Entries up to here are known fsynced; read by metrics on other threads. */
  private volatile long syncedIndex;
  /** Records written since the last sync request: what the next fsync makes durable. */
  private int recordsUnsynced;
  /** Counts writes, to order truncations against sync completions. */
  private long writeSeq;
  /** Truncations not yet covered by a completed sync: {writeSeq, firstOverwrittenIndex}. */
  private final ArrayDeque<long[]> truncations = new ArrayDeque<>();
  /** Set by {@link #close}: completions still queued on the node's loop then find nothing to write to. */
  private volatile boolean closed;

  /**
   * @param dir the log directory, created if missing
   * @param nodeLoop the node's event loop, where completions run
   * @param fatal called when the disk fails: the node must stop (called on the failing thread)
   */
  public WalStorage(Path dir, Options options, Executor nodeLoop, Metrics metrics, Consumer<Throwable> fatal) {
    this.dir = dir;
    this.options = options;
    this.nodeLoop = nodeLoop;
    this.metrics = metrics;
    this.fatal = fatal;
  }

  @Override
  public Recovered load() {
    try {
      Files.createDirectories(dir);
      lock = lockDirectory();
      WalRecovery.Result r = WalRecovery.recover(dir);
      if (r.repairNote() != null) {
        LOG.log(System.Logger.Level.WARNING, "write-ahead log recovery: " + r.repairNote());
      }
      long nextSeq = r.nextSeq();
      current = r.current() != null ? r.current() : WalSegment.create(dir, nextSeq++, options.segmentBytes());
      allocator = new SegmentAllocator(dir, options.segmentBytes(), r.spares(), nextSeq);
      syncer = new WalSyncer("wal-sync", nodeLoop, metrics::synced, fatal);
      segmentMaxIndex.putAll(r.segmentMaxIndex());
      segmentMaxIndex.putIfAbsent(current.seq(), 0L);
      snapshotIndex = r.snapshot() == null ? 0 : r.snapshot().index();
      lastHardState = r.hardState();
      lastIndex = snapshotIndex + r.entries().size();
      syncedIndex = lastIndex;
      LOG.log(System.Logger.Level.INFO, "recovered " + (r.snapshot() == null ? "no snapshot" : r.snapshot()) + ", "
          + r.entries().size() + " entries after it and " + r.hardState() + " from " + dir);
      return new Recovered(r.hardState(), r.snapshot(), r.entries());
    } catch (IOException e) {
      throw new StorageException("cannot read the write-ahead log in " + dir + ": " + e, e);
    }
  }

  /** Two processes appending to one log would interleave records: the second one refuses to start. */
  private FileLock lockDirectory() throws IOException {
    FileChannel ch = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      throw new StorageException("the log in " + dir + " is in use by another node process (" + dir.resolve("LOCK")
          + " is locked); refusing to start");
    }
    return l;
  }

  @Override
  public void persist(HardState hardState, List<LogEntry> entries, boolean sync, Runnable done) {
    try {
      int records = write(hardState, entries);
      recordsUnsynced += records;
    } catch (IOException e) {
      fatal.accept(e);
      throw new StorageException("write to the log in " + dir + " failed: " + e, e);
    }
    if (!sync) {
      nodeLoop.execute(done);
      return;
    }
    long coveredIndex = lastIndex;
    long coveredSeq = writeSeq;
    syncer.submit(new WalSyncer.Request(current, recordsUnsynced, () -> {
      onSynced(coveredSeq, coveredIndex);
      done.run();
    }));
    recordsUnsynced = 0;
  }

  /** Encodes and writes the batch, rolling segments as they fill; returns the number of records. */
  private int write(HardState hardState, List<LogEntry> entries) throws IOException {
    writeSeq++;
    buffer.clear();
    int records = 0;
    for (LogEntry e : entries) {
      reserve(WalFormat.entryRecordBytes(e));
      WalFormat.putEntry(buffer, current.writeOffset() + buffer.position(), e);
      segmentMaxIndex.merge(current.seq(), e.index(), Math::max);
      records++;
    }
    if (hardState != null) {
      reserve(WalFormat.hardStateRecordBytes());
      WalFormat.putHardState(buffer, current.writeOffset() + buffer.position(), hardState);
      lastHardState = hardState;
      records++;
    }
    int bytes = buffer.position();
    writeBuffer();
    if (buffer.capacity() > BUFFER_BYTES_RETAINED) {
      buffer = ByteBuffer.allocateDirect(64 << 10);
    }
    if (!entries.isEmpty()) {
      long first = entries.get(0).index();
      if (first <= lastIndex) {
        truncations.addLast(new long[] {writeSeq, first});
        syncedIndex = Math.min(syncedIndex, first - 1);
      }
      lastIndex = entries.get(entries.size() - 1).index();
    }
    metrics.written(records, bytes);
    return records;
  }

  /** Makes room for a record of {@code bytes}: grows the buffer, or rolls to the next segment. */
  private void reserve(int bytes) throws IOException {
    if (bytes > current.remainingBytes() - buffer.position()) {
      writeBuffer();
      roll();
      if (bytes > current.remainingBytes()) {
        throw new StorageException("a record of " + bytes + " bytes exceeds the segment size "
            + options.segmentBytes() + "; raise the segment size");
      }
    }
    if (bytes > buffer.remaining()) {
      ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
      bigger.put(buffer.flip());
      buffer = bigger;
    }
  }

  private void writeBuffer() throws IOException {
    buffer.flip();
    current.write(buffer);
    buffer.clear();
  }

  private void roll() throws IOException {
    current.force(); // on this thread: the next segment must not hold data while this one may tear
    syncer.closeAfterPending(current);
    current = allocator.take();
    segmentMaxIndex.putIfAbsent(current.seq(), 0L);
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * Writes the snapshot file on the file worker (temp, fsync, rename, directory fsync); back on the
   * node's loop, appends a mark record and the current hard state, completes, and once those are
   * fsynced deletes the segments and older snapshots the new one makes unnecessary.
   */
  @Override
  public void saveSnapshot(Snapshot snapshot, Runnable done) {
    fileWorker.execute(() -> {
      try {
        SnapshotFiles.write(dir, snapshot);
      } catch (IOException | RuntimeException e) {
        fatal.accept(e);
        return;
      }
      nodeLoop.execute(() -> onSnapshotDurable(snapshot, done));
    });
  }

  private void onSnapshotDurable(Snapshot snapshot, Runnable done) {
    if (closed) {
      // The log closed while the snapshot file was written. The file is durable and recovery finds
      // it; the mark only lets compaction run, so nothing is lost and nothing is owed to the node.
      return;
    }
    long markSeq;
    try {
      buffer.clear();
      reserve(WalFormat.markRecordBytes() + WalFormat.hardStateRecordBytes());
      markSeq = current.seq();
      WalFormat.putSnapshotMark(buffer, current.writeOffset(), snapshot.index(), snapshot.term());
      WalFormat.putHardState(buffer, current.writeOffset() + buffer.position(), lastHardState);
      writeBuffer();
      recordsUnsynced += 2;
    } catch (IOException e) {
      fatal.accept(e);
      throw new StorageException("writing the snapshot mark to " + dir + " failed: " + e, e);
    }
    snapshotIndex = Math.max(snapshotIndex, snapshot.index());
    lastIndex = Math.max(lastIndex, snapshot.index());
    syncedIndex = Math.max(syncedIndex, snapshot.index());
    done.run();
    long compactTo = snapshot.index();
    syncer.submit(new WalSyncer.Request(current, recordsUnsynced, () -> compact(compactTo, markSeq)));
    recordsUnsynced = 0;
  }

  /**
   * Deletes, oldest first, the segments before the one holding the snapshot's mark whose entries
   * the snapshot covers, then older snapshot files. Only a prefix of the segments ever goes, so what
   * remains is contiguous.
   */
  private void compact(long snapshotIndex, long markSeq) {
    List<Path> doomed = new ArrayList<>();
    while (!segmentMaxIndex.isEmpty()) {
      Map.Entry<Long, Long> oldest = segmentMaxIndex.firstEntry();
      if (oldest.getKey() >= markSeq || oldest.getValue() > snapshotIndex) {
        break;
      }
      segmentMaxIndex.pollFirstEntry();
      doomed.add(WalSegment.pathOf(dir, oldest.getKey()));
    }
    fileWorker.execute(() -> {
      try {
        for (Path p : doomed) {
          Files.deleteIfExists(p);
        }
        for (Path p : SnapshotFiles.list(dir)) {
          if (SnapshotFiles.indexOf(p) < snapshotIndex) {
            Files.deleteIfExists(p);
          }
        }
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "compacting the log in " + dir + ": " + e + "; will retry at the"
            + " next snapshot");
      }
    });
  }

  /** On the node's loop: the sync of writes up to {@code seq} completed. */
  private void onSynced(long seq, long coveredIndex) {
    long cap = coveredIndex;
    for (long[] t : truncations) {
      if (t[0] > seq) {
        cap = Math.min(cap, t[1] - 1); // overwritten after this sync's writes: not covered
      }
    }
    while (!truncations.isEmpty() && truncations.peekFirst()[0] <= seq) {
      truncations.pollFirst();
    }
    syncedIndex = Math.max(syncedIndex, cap);
  }

  /** The highest entry index known fsynced on this node; any thread. */
  public long syncedIndex() {
    return syncedIndex;
  }

  /** Finishes pending syncs, forces and closes the log. Call on the node's thread or after it stopped. */
  @Override
  public void close() throws IOException {
    closed = true;
    try {
      fileWorker.shutdown();
      fileWorker.awaitTermination(30, TimeUnit.SECONDS); // a snapshot being written completes or stays a .tmp
      if (syncer != null) {
        syncer.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (current != null) {
      current.force();
      current.close();
    }
    if (allocator != null) {
      allocator.close();
    }
    if (lock != null) {
      lock.channel().close();
    }
  }
}
