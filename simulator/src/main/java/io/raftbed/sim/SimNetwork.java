package io.raftbed.sim;

import io.raftbed.raft.Message;
import io.raftbed.sim.fault.Fault;
import java.util.SplittableRandom;

/**
 * The simulated network between nodes and clients. Every message gets a latency drawn uniformly
 * from the configured range, so messages reorder naturally; on top, the nemesis may cut directed
 * node-to-node links (partitions) and turn on loss, duplication and extra delay.
 *
 * <p>Partitions cut only node-to-node links: clients, like Jepsen's, sit outside the partitioned
 * network and can reach every node, but suffer the same message faults.
 *
 * <p>Single-threaded, driven by the {@link Simulation}'s loop.
 */
final class SimNetwork {
  private final Simulation sim;
  private final SimConfig config;
  private final SplittableRandom random;
  /** {@code blocked[from][to]}: the directed link is cut. Indexed by node id (1-based). */
  private final boolean[][] blocked;
  private Fault.NetFaults faults = new Fault.NetFaults(0, 0, 0);

  long peerMessagesSent;
  long peerMessagesDropped;
  long peerMessagesDuplicated;

  SimNetwork(Simulation sim, SimConfig config, SplittableRandom random) {
    this.sim = sim;
    this.config = config;
    this.random = random;
    this.blocked = new boolean[config.machines() + 1][config.machines() + 1];
  }

  void partition(Fault.Partition p) {
    heal();
    for (Fault.Link l : p.blocked()) {
      if (l.from() >= 1 && l.from() <= config.machines() && l.to() >= 1 && l.to() <= config.machines()) {
        blocked[l.from()][l.to()] = true;
      }
    }
  }

  void heal() {
    for (boolean[] row : blocked) {
      java.util.Arrays.fill(row, false);
    }
  }

  void setFaults(Fault.NetFaults f) {
    this.faults = f;
  }

  boolean isBlocked(int from, int to) {
    return blocked[from][to];
  }

  /** Whether any directed link is cut. */
  boolean anyBlocked() {
    for (boolean[] row : blocked) {
      for (boolean b : row) {
        if (b) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether message loss, duplication or extra delay is on. */
  boolean faultsActive() {
    return faults.lossPercent() > 0 || faults.duplicatePercent() > 0 || faults.delayMillis() > 0;
  }

  /** The node with the most cut links (in and out), lowest id first; 0 when none is cut. */
  int mostCutOff() {
    int best = 0;
    int bestCount = 0;
    for (int id = 1; id < blocked.length; id++) {
      int count = 0;
      for (int other = 1; other < blocked.length; other++) {
        count += (blocked[id][other] ? 1 : 0) + (blocked[other][id] ? 1 : 0);
      }
      if (count > bestCount) {
        best = id;
        bestCount = count;
      }
    }
    return best;
  }

  /** A Raft message from one node to another. */
  void sendPeer(Message m) {
    peerMessagesSent++;
    if (blocked[m.from()][m.to()] || lost()) {
      peerMessagesDropped++;
      return;
    }
    int copies = duplicated() ? 2 : 1;
    if (copies == 2) {
      peerMessagesDuplicated++;
    }
    long detail = Digests.of(m);
    for (int i = 0; i < copies; i++) {
      sim.schedule(sim.nowMicros() + latencyMicros(), EventKind.DELIVER_PEER, m.to(), detail,
          () -> sim.node(m.to()).deliver(m));
    }
  }

  /** A client's message to a node, or a node's reply to a client: faults apply, partitions do not. */
  void sendClient(EventKind kind, int target, long detail, Runnable delivery) {
    if (lost()) {
      return;
    }
    int copies = duplicated() ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      sim.schedule(sim.nowMicros() + latencyMicros(), kind, target, detail, delivery);
    }
  }

  private boolean lost() {
    return faults.lossPercent() > 0 && random.nextInt(100) < faults.lossPercent();
  }

  private boolean duplicated() {
    return faults.duplicatePercent() > 0 && random.nextInt(100) < faults.duplicatePercent();
  }

  private long latencyMicros() {
    long base = config.linkLatencyMinMicros()
        + random.nextLong(config.linkLatencyMaxMicros() - config.linkLatencyMinMicros() + 1);
    if (faults.delayMillis() > 0) {
      base += random.nextLong(faults.delayMillis() * 1000L + 1);
    }
    return base;
  }
}
