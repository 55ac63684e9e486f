package io.raftbed.sim;

import io.raftbed.linearizability.History;
import io.raftbed.linearizability.HistoryBuilder;
import io.raftbed.node.NodeConfig;
import io.raftbed.node.NodeListener;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Message;
import io.raftbed.raft.RaftConfig;
import io.raftbed.sim.EventQueue.Event;
import io.raftbed.sim.fault.Fault;
import io.raftbed.sim.fault.FaultSchedule;
import io.raftbed.sim.fault.ScheduleGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One deterministic run of the simulated world: nodes running the real {@link io.raftbed.node.KvNode},
 * simulated network and disks, clients recording a Jepsen history, and a fault schedule. The loop
 * pops the earliest event, runs it, folds it into the trace digest, and checks the invariants on the
 * node it touched. The same seed, configuration and schedule give the same run, event for event.
 *
 * <p>Single-threaded; not reusable: build one per run with {@link #run}.
 */
public final class Simulation {
  private final long seed;
  private final SimConfig config;
  private final FaultSchedule schedule;
  private final EventQueue queue = new EventQueue();
  private final SimNetwork network;
  private final SimNode[] nodes;
  private final List<SimClient> clients = new ArrayList<>();
  private final Invariants invariants;
  private final HistoryBuilder history = History.builder();
  private final TraceBuffer trace = new TraceBuffer(4096);
  private final RunStats stats = new RunStats();
  private final SimAdmin admin;
  private final InFaultLiveness liveness;

  private long nowMicros;
  private long digest = 0xcbf29ce484222325L;
  private Violation violation;
  private boolean endChecks = true;

  private Simulation(long seed, SimConfig config, FaultSchedule schedule) {
    this.seed = seed;
    this.config = config;
    this.schedule = schedule;
    this.network = new SimNetwork(this, config, Rng.stream(seed, "network"));
    this.invariants = new Invariants(this, config.machines());
    List<Integer> voters = IntStream.rangeClosed(1, config.nodes()).boxed().toList();
    this.nodes = new SimNode[config.machines() + 1];
    for (int id = 1; id <= config.machines(); id++) {
      RaftConfig raft = RaftConfig.defaults(id, voters)
          .withTiming(config.electionTicksMin(), config.electionTicksMax(), config.heartbeatTicks())
          .withPreVoteAndCheckQuorum(config.preVote(), config.checkQuorum())
          .withLeaseReads(config.leaseReads(), config.clockDriftBoundPermille());
      if (config.appendBytesMax() > 0 || config.inflightAppendsMax() > 0) {
        raft = raft.withFlowControl(config.appendBytesMax() > 0 ? config.appendBytesMax() : raft.appendBytesMax(),
            config.inflightAppendsMax() > 0 ? config.inflightAppendsMax() : raft.inflightAppendsMax());
      }
      NodeConfig nodeConfig = NodeConfig.defaults(raft)
          .withTicks(config.tickMillis(), (int) (config.opTimeoutMillis() / config.tickMillis()))
          .withUnsafe(config.unsafe())
          .withSnapshots(config.snapshotEveryEntries(), config.snapshotRetainEntries());
      nodes[id] = new SimNode(this, id, nodeConfig, new SimDisk(this, id, config, Rng.stream(seed, "disk-" + id)));
    }
    for (int i = 0; i < config.clients(); i++) {
      clients.add(new SimClient(this, i, config, Rng.stream(seed, "client-" + i)));
    }
    this.admin = new SimAdmin(this, config, Rng.stream(seed, "admin"), Rng.stream(seed, "operator"));
    this.liveness = new InFaultLiveness(this, config);
  }

  /** Runs seed {@code seed} with the fault schedule the seed draws from {@code config}'s fault types. */
  public static SimResult run(long seed, SimConfig config) {
    return run(seed, config, scheduleFor(seed, config));
  }

  /** The fault schedule seed {@code seed} draws. */
  public static FaultSchedule scheduleFor(long seed, SimConfig config) {
    return new ScheduleGenerator(config.machines(), config.faultTypes(), config.faultIntervalMillis(),
        config.healAtMillis(), config.clockDriftMaxPermille()).generate(Rng.stream(seed, "nemesis"));
  }

  /** Runs seed {@code seed} with {@code schedule} to the end, or to the first violation. */
  public static SimResult run(long seed, SimConfig config, FaultSchedule schedule) {
    return run(seed, config, schedule, true);
  }

  /**
   * Runs a seed; without {@code endChecks} it skips the end-of-run checks (linearizability,
   * liveness, convergence) and keeps only the online invariants, as a benchmark of the world does.
   */
  public static SimResult run(long seed, SimConfig config, FaultSchedule schedule, boolean endChecks) {
    Simulation s = new Simulation(seed, config, schedule);
    s.endChecks = endChecks;
    return s.execute();
  }

  /** Events at one virtual instant beyond which a run is a livelock, far beyond what a correct run makes. */
  static final long EVENTS_PER_INSTANT_MAX = 1_000_000;
  /** Events in one run beyond which it is a message storm (campaign runs peak near 7 million). */
  static final long EVENTS_PER_RUN_MAX = 200_000_000;

  private SimResult execute() {
    for (int id = 1; id <= config.machines(); id++) {
      startNode(id);
    }
    clients.forEach(SimClient::start);
    admin.start();
    for (FaultSchedule.Timed t : schedule.events()) {
      if (t.atMillis() * 1000 < healAtMicros()) {
        schedule(t.atMillis() * 1000, EventKind.FAULT, 0, t.fault().print().hashCode(), () -> applyFault(t.fault()));
      }
    }
    schedule(healAtMicros(), EventKind.FAULT, 0, 0, this::healEverything);
    long endMicros = config.virtualMillis() * 1000;
    long eventsAtThisInstant = 0;
    while (violation == null && queue.peekTime() <= endMicros) {
      Event e = queue.poll();
      eventsAtThisInstant = e.timeMicros == nowMicros ? eventsAtThisInstant + 1 : 0;
      nowMicros = e.timeMicros;
      if (eventsAtThisInstant > EVENTS_PER_INSTANT_MAX || stats.events > EVENTS_PER_RUN_MAX) {
        // A loop that schedules without delay, or a message storm: stop with a verdict, not a hang.
        violation("runaway", (eventsAtThisInstant > EVENTS_PER_INSTANT_MAX
            ? EVENTS_PER_INSTANT_MAX + " events without virtual time advancing"
            : "more than " + EVENTS_PER_RUN_MAX + " events in one run") + " (next: " + e.kind + " on " + e.node + ")");
        break;
      }
      digest = Digests.combine(digest, e.timeMicros, e.kind.ordinal() * 1024L + e.node, e.detail);
      trace.add(e);
      stats.events++;
      try {
        e.action.run();
        if (e.node >= 1 && e.node <= config.machines()) {
          invariants.afterEvent(nodes[e.node]);
          admin.afterEvent(nodes[e.node]);
        }
        liveness.afterEvent(nowMicros);
        if (stats.convergedAfterHealMicros < 0 && nowMicros >= healAtMicros() && (stats.events & 63) == 0) {
          noteConvergence();
        }
      } catch (AssertionError | RuntimeException ex) {
        violation("node-exception", ex.getClass().getSimpleName() + ": " + ex.getMessage());
        trace.noteException(ex);
      }
    }
    nowMicros = Math.max(nowMicros, violation == null ? endMicros : nowMicros);
    return new EndOfRun(this).finish(endChecks);
  }

  // ---------------------------------------------------------------- faults

  private void applyFault(Fault f) {
    switch (f) {
      case Fault.Partition p -> {
        network.partition(p);
        int cut = network.mostCutOff();
        if (cut != 0) {
          admin.partitioned(cut);
        }
      }
      case Fault.Heal h -> network.heal();
      case Fault.Crash c -> node(c.node()).crash(c.torn());
      case Fault.Restart r -> {
        if (!node(r.node()).isUp()) {
          startNode(r.node());
        }
      }
      case Fault.Pause p -> node(p.node()).pause();
      case Fault.Resume r -> node(r.node()).resume();
      case Fault.NetFaults n -> network.setFaults(n);
      case Fault.ClockRate c -> node(c.node()).setClockRate(c.ratePermille());
      case Fault.ClockJump j -> node(j.node()).jumpClock(j.millis());
      case Fault.Corrupt c -> node(c.node()).disk.corruptRecord();
      case Fault.DiskFull d -> node(d.node()).disk.setFull(d.full());
    }
  }

  /** The final phase: every fault heals and every node runs, so the cluster must make progress. */
  private void healEverything() {
    network.heal();
    network.setFaults(new Fault.NetFaults(0, 0, 0));
    for (int id = 1; id <= config.machines(); id++) {
      SimNode n = nodes[id];
      n.disk.setFull(false);
      n.setClockRate(1000);
      n.resume();
      if (!n.isUp()) {
        startNode(id);
      }
    }
    stats.committedAtHeal = invariants.committedKnown();
  }

  /** Records when every running node first applied what was committed when faults healed. */
  private void noteConvergence() {
    for (int id = 1; id <= config.machines(); id++) {
      SimNode n = nodes[id];
      if (n.isUp() && n.node().raft().membership().isMember(id)
          && n.node().raft().appliedIndex() < stats.committedAtHeal) {
        return;
      }
    }
    stats.convergedAfterHealMicros = nowMicros - healAtMicros();
  }

  private void startNode(int id) {
    invariants.nodeStarted(id);
    nodes[id].start();
    stats.nodeStarts++;
  }

  // ---------------------------------------------------------------- services for the world's parts

  void schedule(long atMicros, EventKind kind, int node, long detail, Runnable action) {
    queue.add(Math.max(atMicros, nowMicros), kind, node, detail, action);
  }

  long nowMicros() {
    return nowMicros;
  }

  long seed() {
    return seed;
  }

  SimConfig config() {
    return config;
  }

  SimNode node(int id) {
    return nodes[id];
  }

  SimNode[] nodes() {
    return nodes;
  }

  SimNetwork network() {
    return network;
  }

  HistoryBuilder history() {
    history.at(nowMicros * 1000);
    return history;
  }

  NodeListener listener() {
    return invariants;
  }

  Invariants invariants() {
    return invariants;
  }

  RunStats stats() {
    return stats;
  }

  SimAdmin admin() {
    return admin;
  }

  InFaultLiveness liveness() {
    return liveness;
  }

  TraceBuffer trace() {
    return trace;
  }

  long digest() {
    return digest;
  }

  Violation violationFound() {
    return violation;
  }

  FaultSchedule schedule() {
    return schedule;
  }

  long healAtMicros() {
    return config.healAtMillis() * 1000;
  }

  /** Clients invoke until the end; operations still open then are indeterminate, as in Jepsen. */
  long clientStopMicros() {
    return config.virtualMillis() * 1000;
  }

  void violation(String kind, String message) {
    if (violation == null) {
      violation = new Violation(kind, message, nowMicros);
    }
  }

  void checkDurableBeforeSend(SimNode n, Message m) {
    invariants.checkDurableBeforeSend(n, m);
  }

  void entriesPersisted(SimNode n, List<LogEntry> entries) {
    invariants.entriesPersisted(n.id, n.node().raft(), entries);
  }

  void noteNodeRefusedToStart(int id, String reason) {
    stats.refusedStarts++;
    trace.note(nowMicros, "node " + id + " refused to start: " + reason);
  }

  void noteDiskFailure(int id, String reason) {
    stats.diskFailures++;
    trace.note(nowMicros, "node " + id + " stopped on a disk failure: " + reason);
  }

  /** A write, cas or delete went through the log and its client heard so. */
  void noteWriteAcknowledged() {
    stats.writesAcknowledged++;
    if (nowMicros >= healAtMicros()) {
      stats.writesAcknowledgedAfterHeal++;
    }
  }

  /** A client invoked a write, cas or delete. */
  void noteWriteInvoked() {
    if (nowMicros >= healAtMicros() && nowMicros < healAtMicros() + config.healMillis() * 500) {
      stats.writesInvokedEarlyInHeal++;
    }
  }

  /** A linearizable read was answered. */
  void noteReadAcknowledged() {
    if (nowMicros >= healAtMicros()) {
      stats.readsAcknowledgedAfterHeal++;
    }
  }

  /** Every value a client tried to write, by key: a stale read may return any of them, or nil. */
  private final java.util.Map<String, java.util.Set<Object>> valuesWritten = new java.util.TreeMap<>();

  void noteValueWritten(String key, Object value) {
    valuesWritten.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(value);
  }

  /** A stale read may be old, but never made up: it returns nil or a value someone wrote there. */
  void checkStaleRead(String key, Object value) {
    stats.staleReads++;
    if (value != null && !valuesWritten.getOrDefault(key, java.util.Set.of()).contains(value)) {
      violation("stale-read-phantom", "a stale read of " + key + " returned " + value + ", which no client wrote there");
    }
  }
}
