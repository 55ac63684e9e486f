package io.raftbed.node;

import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Snapshot;
import java.util.List;

/**
 * The node's durable state: hard state, snapshot and log. Called only on the node's thread; must not
 * block. Operations are carried out in the order they are issued.
 */
public interface Storage {
  /**
   * What survived: the last durable hard state, the newest durable snapshot (or null), and the log
   * entries after it, contiguous.
   */
  record Recovered(HardState hardState, Snapshot snapshot, List<LogEntry> entries) {
    public Recovered {
      entries = List.copyOf(entries);
    }

    public Recovered(HardState hardState, List<LogEntry> entries) {
      this(hardState, null, entries);
    }

    public static final Recovered EMPTY = new Recovered(HardState.EMPTY, List.of());
  }

  /** Reads the durable state at start-up; throws {@link StorageException} on corruption. */
  Recovered load();

  /**
   * Writes {@code hardState} (if not null) and {@code entries}: an entry at or below the last stored
   * index replaces the stored suffix from there. When {@code sync}, the write is durable (fsynced)
   * before {@code done} runs; otherwise {@code done} runs once it is written. {@code done} runs on
   * the node's thread.
   */
  void persist(HardState hardState, List<LogEntry> entries, boolean sync, Runnable done);

  /**
   * Makes {@code snapshot} durable, then drops the stored entries it covers; if the stored entry at
   * its index is not of its term (a snapshot from the leader that replaces a diverged log), every
   * stored entry is dropped. {@code done} runs on the node's thread once the snapshot is durable.
   * Storages that keep no snapshots leave this unsupported, and nodes over them run with snapshots
   * off ({@link NodeConfig#snapshotEveryEntries()} 0); a follower of a leader that sends one fails.
   */
  default void saveSnapshot(Snapshot snapshot, Runnable done) {
    throw new StorageException("this storage keeps no snapshots (snapshot " + snapshot.index() + " arrived)");
  }

  /** Storage failed: the node must stop rather than go on with state it cannot trust. */
  final class StorageException extends RuntimeException {
    public StorageException(String message) {
      super(message);
    }

    public StorageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
