package io.raftbed.sim;

import io.raftbed.node.Storage;
import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * One node's simulated disk. Writes complete in issue order after a write latency (plus an fsync
 * latency when synced). A completed write sits in the page cache until an fsync, or until the
 * kernel writes it back on its own after {@link #WRITEBACK_MICROS}; a crash loses what is only in
 * the page cache, and with a torn write keeps a random prefix of it, cutting one record in half.
 * A corrupted record is caught by its checksum when the node next starts: a torn tail is
 * truncated, corruption before the tail stops the node (as the real write-ahead log does).
 *
 * <p>Survives the node's crashes: the {@link SimNode} keeps it across incarnations.
 */
final class SimDisk {
  /** Dirty pages are written back by the kernel after this long even without fsync. */
  static final long WRITEBACK_MICROS = 5_000_000;

  private record Write(HardState hardState, List<LogEntry> entries, long completedMicros) {}

  private final Simulation sim;
  private final int nodeId;
  private final SimConfig config;
  private final SplittableRandom random;

  private HardState durableHardState = HardState.EMPTY;
  /** The durable snapshot, or null; the log starts after it. */
  private Snapshot durableSnapshot;
  /** Durable entries after the snapshot; {@code durableLog.get(i)} has index {@code base() + 1 + i}. */
  private final ArrayList<LogEntry> durableLog = new ArrayList<>();
  /** Indexes of durable records whose checksum will not match. */
  private final TreeSet<Long> corrupt = new TreeSet<>();
  /** Completed but unsynced writes, oldest first. */
  private final ArrayDeque<Write> pageCache = new ArrayDeque<>();
  /** Writes are serial: the next one starts when the previous one is done. */
  private long busyUntilMicros;
  /** Bumped by every crash: completions of writes issued before it are void. */
  private int epoch;
  private boolean full;

  long writes;
  long syncs;

  SimDisk(Simulation sim, int nodeId, SimConfig config, SplittableRandom random) {
    this.sim = sim;
    this.nodeId = nodeId;
    this.config = config;
    this.random = random;
  }

  /** The {@link Storage} port of one incarnation of the node. */
  Storage port(SimNode owner) {
    return new Storage() {
      @Override
      public Recovered load() {
        return SimDisk.this.load();
      }

      @Override
      public void persist(HardState hardState, List<LogEntry> entries, boolean sync, Runnable done) {
        SimDisk.this.persist(owner, hardState, entries, sync, done);
      }

      @Override
      public void saveSnapshot(Snapshot snapshot, Runnable done) {
        SimDisk.this.saveSnapshot(owner, snapshot, done);
      }
    };
  }

  /**
   * A snapshot is written to a temporary file, fsynced and renamed: it is durable, whole, when the
   * operation completes, and absent if the node crashes first. Writing it flushes earlier writes.
   */
  private void saveSnapshot(SimNode owner, Snapshot snapshot, Runnable done) {
    long start = Math.max(sim.nowMicros(), busyUntilMicros);
    long finish = start + config.diskWriteMicros() * (1 + snapshot.data().length / 65_536) + config.diskSyncMicros();
    busyUntilMicros = finish;
    int issuedEpoch = epoch;
    sim.schedule(finish, EventKind.DISK_DONE, nodeId, snapshot.index(), () -> {
      if (issuedEpoch != epoch) {
        return;
      }
      if (full) {
        owner.diskFailed("disk full: cannot write snapshot " + snapshot.index());
        return;
      }
      flush(pageCache.size());
      syncs++;
      installDurably(snapshot);
      owner.deliverCompletion(done);
    });
  }

  private void installDurably(Snapshot snapshot) {
    if (durableSnapshot != null && snapshot.index() <= durableSnapshot.index()) {
      return;
    }
    long oldBase = base();
    boolean keepsLog = durableTermAt(snapshot.index()) == snapshot.term();
    if (keepsLog) {
      int drop = (int) Math.min(durableLog.size(), snapshot.index() - oldBase);
      durableLog.subList(0, drop).clear();
    } else {
      durableLog.clear();
    }
    corrupt.headSet(snapshot.index() + 1).clear();
    if (!keepsLog) {
      corrupt.clear();
    }
    durableSnapshot = snapshot;
  }

  private long base() {
    return durableSnapshot == null ? 0 : durableSnapshot.index();
  }

  private void persist(SimNode owner, HardState hardState, List<LogEntry> entries, boolean sync, Runnable done) {
    if (!entries.isEmpty()) {
      sim.entriesPersisted(owner, entries);
    }
    long start = Math.max(sim.nowMicros(), busyUntilMicros);
    long finish = start + config.diskWriteMicros() + (sync ? config.diskSyncMicros() : 0);
    busyUntilMicros = finish;
    int issuedEpoch = epoch;
    sim.schedule(finish, EventKind.DISK_DONE, nodeId, entries.size(), () -> {
      if (issuedEpoch != epoch) {
        return; // the node crashed before this write completed: it never reached the disk
      }
      if (full) {
        owner.diskFailed("disk full: cannot write " + entries.size() + " entries");
        return;
      }
      writes++;
      pageCache.addLast(new Write(hardState, entries, sim.nowMicros()));
      if (sync) {
        syncs++;
        flush(pageCache.size());
      } else {
        writeBack();
      }
      owner.deliverCompletion(done);
    });
  }

  private void writeBack() {
    int due = 0;
    for (Write w : pageCache) {
      if (w.completedMicros + WRITEBACK_MICROS > sim.nowMicros()) {
        break;
      }
      due++;
    }
    flush(due);
  }

  /** Makes the oldest {@code count} cached writes durable. */
  private void flush(int count) {
    for (int i = 0; i < count; i++) {
      Write w = pageCache.removeFirst();
      apply(w.hardState, w.entries, w.entries.size());
    }
  }

  private void apply(HardState hardState, List<LogEntry> entries, int entriesKept) {
    if (hardState != null) {
      durableHardState = hardState;
      sim.invariants().certificates().hardStateDurable(nodeId, hardState);
    }
    for (int i = 0; i < entriesKept; i++) {
      LogEntry e = entries.get(i);
      if (e.index() <= base()) {
        continue; // a snapshot saved since this write was issued already covers it
      }
      int position = (int) (e.index() - base() - 1);
      if (position > durableLog.size()) {
        throw new IllegalStateException("node " + nodeId + " wrote entry " + e.index() + " past the end of its log ("
            + durableLog.size() + "): the driver skipped entries");
      }
      if (position < durableLog.size()) {
        durableLog.subList(position, durableLog.size()).clear();
        corrupt.tailSet(e.index()).clear();
      }
      durableLog.add(e);
    }
  }

  /** The node crashed: unsynced writes are lost; with {@code torn}, a prefix survives, torn at the end. */
  void crash(boolean torn) {
    epoch++;
    busyUntilMicros = sim.nowMicros();
    writeBack();
    if (torn && !pageCache.isEmpty()) {
      int survivors = random.nextInt(pageCache.size());
      flush(survivors);
      Write half = pageCache.removeFirst();
      if (!half.entries.isEmpty()) {
        int kept = 1 + random.nextInt(half.entries.size());
        apply(null, half.entries, kept); // the hard state record is written separately and atomically
        long tornIndex = half.entries.get(kept - 1).index(); // the last record is cut in half
        if (tornIndex > base() && tornIndex == durableLastIndex()) {
          corrupt.add(tornIndex);
        }
      }
    }
    pageCache.clear();
  }

  /** Corrupts a durable record before the last one (so the node must refuse to start). */
  void corruptRecord() {
    if (durableLog.size() >= 2) {
      corrupt.add(base() + 1 + random.nextInt(durableLog.size() - 1));
    }
  }

  void setFull(boolean isFull) {
    this.full = isFull;
  }

  boolean isFull() {
    return full;
  }

  private Storage.Recovered load() {
    if (!corrupt.isEmpty()) {
      long first = corrupt.first();
      if (first < durableLastIndex()) {
        throw new Storage.StorageException("node " + nodeId + ": checksum mismatch in log record " + first + " of "
            + durableLastIndex() + "; refusing to start on corruption before the tail");
      }
      // A torn tail: truncate it, as recovery of a real write-ahead log does.
      durableLog.remove(durableLog.size() - 1);
      corrupt.clear();
    }
    return new Storage.Recovered(durableHardState, durableSnapshot, durableLog);
  }

  // ---------------------------------------------------------------- inspection for invariants

  HardState durableHardState() {
    return durableHardState;
  }

  long durableLastIndex() {
    return base() + durableLog.size();
  }

  /** The term of the durable entry at {@code index}; the snapshot's term at its index; -1 if unknown. */
  long durableTermAt(long index) {
    if (index == base()) {
      return durableSnapshot == null ? 0 : durableSnapshot.term();
    }
    if (index < base() || index > durableLastIndex()) {
      return -1;
    }
    return durableLog.get((int) (index - base() - 1)).term();
  }

  Snapshot durableSnapshot() {
    return durableSnapshot;
  }
}
