package io.raftbed.sim;

import io.raftbed.node.ClientReply;
import io.raftbed.node.MembershipChange;
import io.raftbed.raft.Membership;
import io.raftbed.raft.RaftNode;
import io.raftbed.raft.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An operator changing the cluster while it runs: adds machines as voters, removes voters (keeping
 * at least three), and transfers leadership, over the simulated network, retrying at the leader a
 * node names. It reads the configuration the way an operator reads a status page: from the node it
 * talks to.
 *
 * <p>Two schedules: periodic operations at random intervals ({@link SimConfig#membershipIntervalMillis()}),
 * and, with {@link SimConfig#operatorTriggers()}, operations timed against the cluster's state, where
 * bugs in configuration changes live: a change proposed to a new leader at once (before it has
 * committed an entry of its term), a second change while a leader's change is uncommitted, and a
 * transfer to, removal of or addition of a node just cut off by a partition. A triggered operation
 * fires with probability one half, at most one per {@link #TRIGGER_GAP_MICROS}, and never in the heal
 * phase. Its draws come from a stream of their own, so the periodic schedule keeps its draws.
 */
final class SimAdmin {
  private static final int VOTERS_MIN = 3;
  static final long TRIGGER_GAP_MICROS = 200_000;

  private final Simulation sim;
  private final SimConfig config;
  private final SplittableRandom random;
  private final SplittableRandom triggerRandom;
  private int target = 1;
  private long opSeq;
  private long nextTriggerMicros;
  /** Per machine: the core last seen and how many configuration entries it had appended. */
  private final RaftNode[] raftSeen;
  private final long[] configurationsSeen;

  long changesRequested;
  long changesDone;
  long transfersRequested;
  long transfersDone;
  long triggered;

  SimAdmin(Simulation sim, SimConfig config, SplittableRandom random, SplittableRandom triggerRandom) {
    this.sim = sim;
    this.config = config;
    this.random = random;
    this.triggerRandom = triggerRandom;
    this.raftSeen = new RaftNode[config.machines() + 1];
    this.configurationsSeen = new long[config.machines() + 1];
  }

  int endpoint() {
    return 2000;
  }

  void start() {
    if (config.membershipIntervalMillis() > 0) {
      scheduleNext();
    }
  }

  // ---------------------------------------------------------------- triggers

  /** A node won an election: propose a change to it before it can have committed in its term. */
  void leaderElected(int leader) {
    if (mayTrigger()) {
      triggerAt(leader, triggerRandom.nextInt(3) != 0 ? Kind.CHANGE : Kind.TRANSFER, 0);
    }
  }

  /** A leader appended a configuration entry: propose another while it is uncommitted. */
  void configurationAppended(int leader) {
    if (mayTrigger()) {
      triggerAt(leader, Kind.CHANGE, 0);
    }
  }

  /** A partition cut {@code node} off: ask the leader to transfer to it, remove it or add it. */
  void partitioned(int node) {
    int leader = currentLeader();
    if (leader != 0 && mayTrigger()) {
      triggerAt(leader, triggerRandom.nextBoolean() ? Kind.TRANSFER : Kind.CHANGE, node);
    }
  }

  private enum Kind { CHANGE, TRANSFER }

  private boolean mayTrigger() {
    long now = sim.nowMicros();
    if (!config.operatorTriggers() || now >= sim.healAtMicros() || now < nextTriggerMicros
        || !triggerRandom.nextBoolean()) {
      return false;
    }
    nextTriggerMicros = now + TRIGGER_GAP_MICROS;
    return true;
  }

  /** An operation on {@code subject} (0: any) sent to {@code node}, read from that node's configuration. */
  private void triggerAt(int node, Kind kind, int subject) {
    SimNode n = sim.node(node);
    if (!n.isUp()) {
      return;
    }
    Membership m = n.node().raft().membership();
    List<Integer> voters = new ArrayList<>(m.voters().keySet());
    List<Integer> others = new ArrayList<>();
    for (int id = 1; id <= config.machines(); id++) {
      if (!m.isVoter(id)) {
        others.add(id);
      }
    }
    long op = ++opSeq;
    triggered++;
    if (kind == Kind.TRANSFER) {
      int to = subject != 0 ? subject : voters.get(triggerRandom.nextInt(voters.size()));
      transfersRequested++;
      send(node, op, k -> k.transferLeadership(to, reply -> done(op, reply, true)));
      return;
    }
    boolean add = subject != 0 ? !m.isVoter(subject)
        : !others.isEmpty() && (voters.size() <= VOTERS_MIN || triggerRandom.nextBoolean());
    if (add) {
      int id = subject != 0 ? subject : others.get(triggerRandom.nextInt(others.size()));
      changesRequested++;
      send(node, op, k -> k.changeMembership(new MembershipChange.AddVoter(id, "sim://" + id),
          reply -> done(op, reply, false)));
    } else if (voters.size() > VOTERS_MIN) {
      int id = subject != 0 ? subject : voters.get(triggerRandom.nextInt(voters.size()));
      changesRequested++;
      send(node, op, k -> k.changeMembership(new MembershipChange.Remove(id), reply -> done(op, reply, false)));
    }
  }

  /** The leader of the highest term among running nodes, or 0. */
  private int currentLeader() {
    int leader = 0;
    long term = -1;
    for (int id = 1; id <= config.machines(); id++) {
      SimNode n = sim.node(id);
      if (n.isUp() && n.node().raft().role() == Role.LEADER && n.node().raft().term() > term) {
        leader = id;
        term = n.node().raft().term();
      }
    }
    return leader;
  }

  /** After an event on {@code n}: a leader that appended a configuration entry is a trigger. */
  void afterEvent(SimNode n) {
    if (!config.operatorTriggers() || n.node() == null) {
      return;
    }
    RaftNode r = n.node().raft();
    long appended = r.stats().configurationsAppended;
    if (raftSeen[n.id] != r) {
      raftSeen[n.id] = r; // a new incarnation counts from zero
      configurationsSeen[n.id] = appended;
      return;
    }
    if (appended > configurationsSeen[n.id]) {
      configurationsSeen[n.id] = appended;
      if (r.role() == Role.LEADER) {
        configurationAppended(n.id);
      }
    }
  }

  // ---------------------------------------------------------------- periodic operations

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
    send(target, op, action);
  }

  private void send(int node, long op, java.util.function.Consumer<io.raftbed.node.KvNode> action) {
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
