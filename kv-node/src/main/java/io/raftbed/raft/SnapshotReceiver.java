package io.raftbed.raft;

import io.raftbed.raft.Message.InstallSnapshot;

/**
 * A follower's assembly of a snapshot arriving in chunks. Chunks must arrive in order; a gap or a
 * duplicate is answered with the offset expected next, so the leader resumes from there. A chunk of
 * a different snapshot starts over. Memory: one buffer of the snapshot's size, at most
 * {@link #SNAPSHOT_BYTES_MAX}.
 */
final class SnapshotReceiver {
  /** The largest snapshot a follower accepts into memory. */
  static final long SNAPSHOT_BYTES_MAX = 1L << 30;

  private long index = -1;
  private long term;
  private byte[] buffer;
  private int received;

  /** The offset this receiver expects next for the snapshot {@code m} belongs to. */
  long expectedOffset(InstallSnapshot m) {
    return m.index() == index && m.snapshotTerm() == term ? received : 0;
  }

  /**
   * Takes a chunk. Returns the complete snapshot when this chunk finished it, else null (the caller
   * then answers with {@link #expectedOffset}).
   */
  Snapshot accept(InstallSnapshot m) {
    if (m.totalBytes() < 0 || m.totalBytes() > SNAPSHOT_BYTES_MAX) {
      throw new IllegalArgumentException("snapshot of " + m.totalBytes() + " bytes exceeds " + SNAPSHOT_BYTES_MAX);
    }
    if (m.index() != index || m.snapshotTerm() != term) {
      if (m.offset() != 0) {
        return null;
      }
      index = m.index();
      term = m.snapshotTerm();
      buffer = new byte[(int) m.totalBytes()];
      received = 0;
    }
    if (m.offset() != received || received + m.chunk().length > buffer.length) {
      return null;
    }
    System.arraycopy(m.chunk(), 0, buffer, received, m.chunk().length);
    received += m.chunk().length;
    if (received < buffer.length) {
      return null;
    }
    Snapshot done = new Snapshot(index, term, m.membership(), buffer);
    index = -1;
    buffer = null;
    received = 0;
    return done;
  }
}
