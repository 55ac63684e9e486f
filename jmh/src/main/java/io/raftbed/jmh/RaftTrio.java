package io.raftbed.jmh;

import io.raftbed.raft.HardState;
import io.raftbed.raft.Message;
import io.raftbed.raft.RaftConfig;
import io.raftbed.raft.RaftNode;
import io.raftbed.raft.Ready;
import io.raftbed.raft.Role;
import io.raftbed.raft.Snapshot;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Three {@link RaftNode}s wired together in memory, with nothing but the Raft core: every batch's
 * entries count as persisted at once, messages are delivered in order, committed entries are
 * counted as applied. Logs are compacted every {@value #COMPACT_EVERY_ENTRIES} entries, as a node
 * with snapshots would, so a long benchmark measures a steady state rather than a growing log.
 *
 * <p>Not thread-safe: one benchmark thread drives it.
 */
final class RaftTrio {
  static final int COMPACT_EVERY_ENTRIES = 10_000;
  static final int COMPACT_RETAIN_ENTRIES = 1_000;
  private static final int ELECTION_TICKS_MAX = 10_000;

  private final RaftNode[] nodes = new RaftNode[3];
  private final ArrayDeque<Message> wire = new ArrayDeque<>();
  private long appliedOnLeader;
  private long lastCompaction;

  RaftTrio() {
    for (int id = 1; id <= 3; id++) {
      nodes[id - 1] = new RaftNode(RaftConfig.defaults(id, List.of(1, 2, 3)), new SplittableRandom(id),
          HardState.EMPTY, List.of());
    }
    // Only node 1's clock runs: it campaigns and wins; nobody else ever times out.
    for (int t = 0; leader().role() != Role.LEADER; t++) {
      if (t > ELECTION_TICKS_MAX) {
        throw new IllegalStateException("node 1 did not become leader within " + ELECTION_TICKS_MAX + " ticks");
      }
      leader().tick();
      pump();
    }
  }

  RaftNode leader() {
    return nodes[0];
  }

  /** Proposes {@code command} on the leader; returns its index. */
  long propose(byte[] command) {
    long index = leader().propose(command);
    if (index < 0) {
      throw new IllegalStateException("the leader refused a proposal: " + index);
    }
    return index;
  }

  /** Runs every node until no batch or message is left; checks that {@code index} committed. */
  void commitThrough(long index) {
    pump();
    if (leader().commitIndex() < index) {
      throw new IllegalStateException("entry " + index + " did not commit (commit " + leader().commitIndex() + ")");
    }
    if (appliedOnLeader - lastCompaction >= COMPACT_EVERY_ENTRIES) {
      compact();
    }
  }

  long appliedOnLeader() {
    return appliedOnLeader;
  }

  private void pump() {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (RaftNode n : nodes) {
        while (n.hasReady()) {
          Ready r = n.ready();
          wire.addAll(r.messages());
          if (n == leader()) {
            appliedOnLeader += r.committed().size();
          }
          n.advance(r);
          progress = true;
        }
      }
      for (Message m = wire.poll(); m != null; m = wire.poll()) {
        nodes[m.to() - 1].step(m);
        progress = true;
      }
    }
  }

  private void compact() {
    for (RaftNode n : nodes) {
      long applied = n.appliedIndex();
      n.snapshotTaken(new Snapshot(applied, n.termAt(applied), n.membership(), new byte[0]),
          applied - COMPACT_RETAIN_ENTRIES);
    }
    lastCompaction = appliedOnLeader;
  }
}
