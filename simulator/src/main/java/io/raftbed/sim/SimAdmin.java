package io.raftbed.sim;

import io.raftbed.node.ClientReply;
import io.raftbed.node.MembershipChange;
import io.raftbed.raft.Membership;
import io.raftbed.raft.RaftNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An operator changing the cluster while it runs: adds spare machines as voters, removes voters
 * (keeping at least three), and transfers leadership, one operation at a time over the simulated
 * network, retrying at the leader a node names. It reads the configuration the way an operator reads
 * a status page: from the node it talks to.
 */
final class SimAdmin {
  private static final int VOTERS_MIN = 3;

  private final Simulation sim;
  private final SimConfig config;
  private final SplittableRandom random;
  private int target = 1;
  private long opSeq;

  long changesRequested;
  long changesDone;
  long transfersRequested;
  long transfersDone;

  SimAdmin(Simulation sim, SimConfig config, SplittableRandom random) {
    this.sim = sim;
    this.config = config;
    this.random = random;
  }

  int endpoint() {
    return 2000;
  }

  void start() {
    scheduleNext();
  }

  private void scheduleNext() {
    long delayMicros = (long) (-Math.log(1 - random.nextDouble()) * config.membershipIntervalMillis() * 1000);
    sim.schedule(sim.nowMicros() + 1_000 + delayMicros, EventKind.CLIENT_TIMER, endpoint(), 0, this::next);
  }

  private void next() {
    if (sim.nowMicros() >= sim.healAtMicros()) {
      return; // the heal phase measures liveness on a settled configuration
    }
    SimNode node = sim.node(target);
    if (!node.isUp()) {
      target = 1 + random.nextInt(config.machines());
      scheduleNext();
      return;
    }
    RaftNode raft = node.node().raft();
    Membership m = raft.membership();
    long op = ++opSeq;
    int roll = random.nextInt(3);
    List<Integer> spares = new ArrayList<>();
    for (int id = 1; id <= config.machines(); id++) {
      if (!m.isVoter(id)) {
        spares.add(id);
      }
    }
    List<Integer> voters = new ArrayList<>(m.voters().keySet());
    if (roll == 0 && !spares.isEmpty()) {
      int id = spares.get(random.nextInt(spares.size()));
      changesRequested++;
      send(op, n -> n.changeMembership(new MembershipChange.AddVoter(id, "sim://" + id), reply -> done(op, reply, false)));
    } else if (roll == 1 && voters.size() > VOTERS_MIN) {
      int id = voters.get(random.nextInt(voters.size()));
      changesRequested++;
      send(op, n -> n.changeMembership(new MembershipChange.Remove(id), reply -> done(op, reply, false)));
    } else {
      int id = voters.get(random.nextInt(voters.size()));
      transfersRequested++;
      send(op, n -> n.transferLeadership(id, reply -> done(op, reply, true)));
    }
    scheduleNext();
  }

  private void send(long op, java.util.function.Consumer<io.raftbed.node.KvNode> action) {
    int node = target;
    sim.network().sendClient(EventKind.DELIVER_TO_NODE, node, Digests.combine(op, node, 7, 0), () -> {
      SimNode n = sim.node(node);
      if (n.isUp() && !n.isPaused()) {
        action.accept(n.node());
      }
    });
  }

  private void done(long op, ClientReply reply, boolean transfer) {
    sim.network().sendClient(EventKind.DELIVER_TO_CLIENT, endpoint(), Digests.combine(op, 8, 0, 0), () -> {
      switch (reply) {
        case ClientReply.Done d -> {
          if (transfer) {
            transfersDone++;
          } else {
            changesDone++;
          }
        }
        case ClientReply.NotLeader nl -> target = nl.leaderId() != 0 ? nl.leaderId() : 1 + random.nextInt(config.machines());
        default -> { }
      }
    });
  }
}
