package io.raftbed.node;

import io.raftbed.raft.RaftConfig;
import java.util.Set;

/**
 * Settings of the node driver.
 *
 * @param raft the consensus settings
 * @param tickIntervalMillis milliseconds of the node's clock per Raft tick
 * @param requestTimeoutTicks ticks a proposed write or a pending read may wait before the node
 *     answers {@link ClientReply.Unknown} (writes) or {@link ClientReply.Unavailable} (reads)
 * @param keyBytesMax longest key in UTF-8 bytes
 * @param valueBytesMax largest value in bytes
 * @param keysMax most keys the store holds; a write of a new key beyond it is rejected
 * @param sessionsMax client sessions the state machine remembers (§6.3)
 * @param unsafe settings that real users choose and that break safety under faults: off by
 *     default, on only for canaries that prove the testbed catches them
 * @param snapshotEveryEntries take a snapshot of the state machine once this many entries were
 *     applied since the last one, and compact the log behind it (§7); 0 never snapshots
 * @param snapshotRetainEntries entries kept in memory behind a snapshot, so that a follower that is
 *     only a little behind gets entries rather than the whole snapshot
 */
public record NodeConfig(RaftConfig raft, int tickIntervalMillis, int requestTimeoutTicks, int keyBytesMax,
    int valueBytesMax, int keysMax, int sessionsMax, Set<Unsafe> unsafe, int snapshotEveryEntries,
    int snapshotRetainEntries) {

  /** Unsafe settings, each a canary for the fuzzer. */
  public enum Unsafe {
    /** Serve linearizable reads from local state on any node without confirming leadership. */
    STALE_READS,
    /** Acknowledge entries and votes before they are fsynced. */
    NO_FSYNC,
    /**
     * Only node 1 asks for votes: every other node's vote requests (pre-votes too) are dropped as they
     * leave. Safe, but a cluster whose node 1 is down or cut off stays leaderless: a liveness canary.
     */
    ONE_CANDIDATE
  }

  public NodeConfig {
    unsafe = Set.copyOf(unsafe);
    if (tickIntervalMillis < 1 || requestTimeoutTicks < 1) {
      throw new IllegalArgumentException("tick interval and request timeout must be positive");
    }
    if (keyBytesMax < 1 || valueBytesMax < 0 || keysMax < 1 || sessionsMax < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (snapshotEveryEntries < 0 || snapshotRetainEntries < 0) {
      throw new IllegalArgumentException("snapshot settings must not be negative");
    }
  }

  /** Limits for a real node; snapshots every 10,000 entries, keeping 1,000 behind. */
  public static NodeConfig defaults(RaftConfig raft) {
    return new NodeConfig(raft, 10, 300, 1024, 1 << 20, 1_000_000, 10_000, Set.of(), 10_000, 1_000);
  }

  public boolean isUnsafe(Unsafe u) {
    return unsafe.contains(u);
  }

  public NodeConfig withUnsafe(Set<Unsafe> newUnsafe) {
    return new NodeConfig(raft, tickIntervalMillis, requestTimeoutTicks, keyBytesMax, valueBytesMax, keysMax,
        sessionsMax, newUnsafe, snapshotEveryEntries, snapshotRetainEntries);
  }

  public NodeConfig withRaft(RaftConfig newRaft) {
    return new NodeConfig(newRaft, tickIntervalMillis, requestTimeoutTicks, keyBytesMax, valueBytesMax, keysMax,
        sessionsMax, unsafe, snapshotEveryEntries, snapshotRetainEntries);
  }

  public NodeConfig withTicks(int newTickIntervalMillis, int newRequestTimeoutTicks) {
    return new NodeConfig(raft, newTickIntervalMillis, newRequestTimeoutTicks, keyBytesMax, valueBytesMax, keysMax,
        sessionsMax, unsafe, snapshotEveryEntries, snapshotRetainEntries);
  }

  public NodeConfig withSnapshots(int everyEntries, int retainEntries) {
    return new NodeConfig(raft, tickIntervalMillis, requestTimeoutTicks, keyBytesMax, valueBytesMax, keysMax,
        sessionsMax, unsafe, everyEntries, retainEntries);
  }
}
