package io.raftbed.sim;

import io.raftbed.raft.HardState;
import io.raftbed.raft.Snapshot;

/** The simulated world as the {@link Certificates} see it: running cores and durable disks. */
final class SimWorld implements Certificates.World {
  private final Simulation sim;
  private final Invariants invariants;

  SimWorld(Simulation sim, Invariants invariants) {
    this.sim = sim;
    this.invariants = invariants;
  }

  @Override
  public Certificates.NodeView node(int id) {
    SimNode n = sim.node(id);
    return n.node() == null ? null : Certificates.view(n.node().raft());
  }

  @Override
  public Certificates.DurableView durable(int id) {
    SimDisk d = sim.node(id).disk;
    return new Certificates.DurableView() {
      public HardState hardState() {
        return d.durableHardState();
      }

      public Snapshot snapshot() {
        return d.durableSnapshot();
      }

      public long termAt(long index) {
        return d.durableTermAt(index);
      }

      public long lastIndex() {
        return d.durableLastIndex();
      }
    };
  }

  @Override
  public long committedTermAt(long index) {
    return invariants.committedTermAt(index);
  }

  @Override
  public void violation(String kind, String message) {
    sim.violation(kind, message);
  }
}
