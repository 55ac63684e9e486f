package io.raftbed.node;

import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import java.util.List;

/**
 * The node's durable state: hard state and log. Called only on the node's thread; must not block.
 * Writes are carried out in the order they are issued.
 */
public interface Storage {
  /** What survived: the last durable hard state and the log entries, contiguous from index 1. */
  record Recovered(HardState hardState, List<LogEntry> entries) {
    public Recovered {
      entries = List.copyOf(entries);
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
