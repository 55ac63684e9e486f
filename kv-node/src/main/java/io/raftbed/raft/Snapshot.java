package io.raftbed.raft;

/**
 * A state machine snapshot and where it stands in the log (§7): it replaces every entry up to and
 * including {@code index}, and carries the configuration in effect there.
 *
 * @param index the last log index the snapshot covers
 * @param term the term of that entry
 * @param membership the configuration as of {@code index}
 * @param data the state machine's bytes (opaque to the core; never modified)
 */
public record Snapshot(long index, long term, Membership membership, byte[] data) {
  public Snapshot {
    if (index < 1 || term < 1 || membership == null || data == null) {
      throw new IllegalArgumentException("snapshot needs index >= 1, term >= 1, membership and data");
    }
  }

  @Override
  public String toString() {
    return "Snapshot[" + index + "@" + term + " " + membership + " " + data.length + "B]";
  }
}
