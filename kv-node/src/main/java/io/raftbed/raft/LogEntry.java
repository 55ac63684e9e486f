package io.raftbed.raft;

import java.util.Arrays;

/**
 * One entry of the replicated log. Immutable; {@code data} is never modified after construction and
 * is shared, not copied, between the log, messages and storage.
 *
 * @param term the leader's term when the entry was created (§5.3)
 * @param index the 1-based position in the log
 * @param type what the entry carries
 * @param data the command bytes (opaque to the core); empty for {@link Type#NOOP}
 */
public record LogEntry(long term, long index, Type type, byte[] data) {

  /** The kinds of entries. The ordinal is part of the on-disk and wire formats: append only. */
  public enum Type {
    /** The blank entry a new leader appends to commit an entry of its own term (§5.4.2, §8). */
    NOOP,
    /** A state machine command. */
    COMMAND,
    /** A cluster configuration (membership change). */
    CONFIG;

    private static final Type[] VALUES = values();

    public static Type ofOrdinal(int ordinal) {
      if (ordinal < 0 || ordinal >= VALUES.length) {
        throw new IllegalArgumentException("unknown log entry type " + ordinal);
      }
      return VALUES[ordinal];
    }
  }

  private static final byte[] EMPTY = new byte[0];

  public LogEntry {
    if (term < 1 || index < 1) {
      throw new IllegalArgumentException("entry needs term >= 1 and index >= 1, got term=" + term + " index=" + index);
    }
    if (type == null) {
      throw new IllegalArgumentException("entry type is null");
    }
    if (data == null) {
      data = EMPTY;
    }
  }

  public static LogEntry noop(long term, long index) {
    return new LogEntry(term, index, Type.NOOP, EMPTY);
  }

  /** Approximate bytes this entry occupies in a message, used for batch limits. */
  public int sizeBytes() {
    return 24 + data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e && e.term == term && e.index == index && e.type == type && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(term) * 31 + Long.hashCode(index)) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "LogEntry[" + index + "@" + term + " " + type + " " + data.length + "B]";
  }
}
