package io.raftbed.node;

import io.raftbed.kv.Command;
import io.raftbed.kv.KvStateMachine;
import io.raftbed.kv.Request;
import io.raftbed.kv.RequestCodec;
import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply.Sink;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Message;
import io.raftbed.raft.RaftNode;
import io.raftbed.raft.ReadState;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Ready;
import io.raftbed.raft.Role;
import io.raftbed.raft.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The node driver: owns a {@link RaftNode} and the {@link KvStateMachine}, turns client requests into
 * proposals and ReadIndex reads, and carries out each {@link Ready} batch through the ports. The
 * simulator and the real runtime run this same class; only the ports differ.
 *
 * <p>Threading: handlers run one at a time on the node's thread and never block; port completions
 * ({@link Storage#persist} callbacks, timers) arrive on that same thread. Ordering: at most one
 * batch is being persisted at a time; its messages go out only after it is durable (unless the
 * {@link NodeConfig.Unsafe#NO_FSYNC} canary is on), and committed entries are applied in order.
 */
public final class KvNode {
  /** A proposed entry waiting to be applied: a client write or a configuration change. */
  private record PendingWrite(long term, ClientRequest request, Sink sink, long deadlineTick) {}

  /** A learner to promote to voter once it has caught up. */
  private record Promotion(String address, Sink sink, long deadlineTick) {}

  /** A leadership transfer waiting for the target to win. */
  private record PendingTransfer(int target, Sink sink, long deadlineTick) {}

  private record PendingRead(ClientRequest request, Sink sink, long deadlineTick, long index) {
    PendingRead withIndex(long readIndex) {
      return new PendingRead(request, sink, deadlineTick, readIndex);
    }
  }

  private final NodeConfig config;
  private final int id;
  private final Transport transport;
  private final Storage storage;
  private final Timers timers;
  private final NodeListener listener;
  private final RandomGenerator random;

  private RaftNode raft;
  private KvStateMachine stateMachine;
  /** Proposed writes by log index, waiting to be applied. */
  private final TreeMap<Long, PendingWrite> pendingWrites = new TreeMap<>();
  /** Reads by read id: without an index they wait for the leader's confirmation. */
  private final TreeMap<Long, PendingRead> pendingReads = new TreeMap<>();
  /** Confirmed reads waiting for the state machine to reach their index, in confirmation order. */
  private final ArrayDeque<Long> confirmedReads = new ArrayDeque<>();
  private final TreeMap<Integer, Promotion> promotions = new TreeMap<>();
  private PendingTransfer pendingTransfer;
  /** A local snapshot is being saved; the next one waits for it. */
  private boolean snapshotting;
  private long lastSnapshotIndex;
  private long nextReadId = 1;
  /** Raft ticks taken so far; deadlines of pending requests are in ticks. */
  private long ticks;
  /** The clock reading at which the last tick was due; ticks are taken in whole intervals. */
  private long lastTickMillis;
  private boolean persisting;
  private boolean running;
  /** A drive() is queued for the end of this loop turn. */
  private boolean driveScheduled;

  public KvNode(NodeConfig config, Transport transport, Storage storage, Timers timers, RandomGenerator random,
      NodeListener listener) {
    this.config = config;
    this.id = config.raft().id();
    this.transport = transport;
    this.storage = storage;
    this.timers = timers;
    this.random = random;
    this.listener = listener;
  }

  /** Recovers from storage and starts ticking. Throws {@link Storage.StorageException} on corruption. */
  public void start() {
    Storage.Recovered recovered = storage.load();
    stateMachine = new KvStateMachine(config.sessionsMax());
    if (recovered.snapshot() != null) {
      stateMachine.restore(recovered.snapshot().data());
      lastSnapshotIndex = recovered.snapshot().index();
    }
    raft = new RaftNode(config.raft(), random, recovered.hardState(), recovered.snapshot(), recovered.entries());
    running = true;
    lastTickMillis = timers.nowMillis();
    scheduleTick();
    drive();
  }

  /** Stops handling input; pending timers and completions become no-ops. */
  public void stop() {
    running = false;
  }

  private void scheduleTick() {
    timers.schedule(config.tickIntervalMillis(), this::onTick);
  }

  private void onTick() {
    if (!running) {
      return;
    }
    catchUpTicks();
    expireRequests();
    promoteCaughtUpLearners();
    drive();
    scheduleTick();
  }

  /**
   * Takes every tick that the clock says is due, before any other input is handled: after a pause
   * a leader must see at once how much time passed, or it could serve a read on an expired lease.
   */
  private void catchUpTicks() {
    long due = (timers.nowMillis() - lastTickMillis) / config.tickIntervalMillis();
    if (due > 0) {
      ticks += due;
      raft.tick(due);
      lastTickMillis += due * config.tickIntervalMillis();
    }
  }

  /** A message from a peer. */
  public void receive(Message message) {
    if (!running) {
      return;
    }
    catchUpTicks();
    raft.step(message);
    drive();
  }

  /** A client's request; the reply goes to {@code sink} on this node's thread. */
  public void submit(ClientRequest request, Sink sink) {
    if (!running) {
      return;
    }
    catchUpTicks();
    ClientReply.Rejected invalid = validate(request.command());
    if (invalid != null) {
      reply(request, sink, invalid);
      return;
    }
    if (request.command() instanceof Command.Get get) {
      read(request, get, sink);
    } else {
      write(request, sink);
    }
    scheduleDrive();
  }

  /**
   * Requests that arrive in one turn of the node's loop share one batch: their reads share one
   * heartbeat round, their writes one append per follower.
   */
  private void scheduleDrive() {
    if (!driveScheduled) {
      driveScheduled = true;
      timers.schedule(0, () -> {
        driveScheduled = false;
        drive();
      });
    }
  }

  /** Checks a command against the limits; returns the rejection, or null when it is acceptable. */
  private ClientReply.Rejected validate(Command c) {
    int keyBytes = c.key().getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes == 0) {
      return new ClientReply.Rejected("key is empty", false);
    }
    if (keyBytes > config.keyBytesMax()) {
      return new ClientReply.Rejected("key of " + keyBytes + " bytes exceeds the limit of " + config.keyBytesMax(),
          true);
    }
    byte[][] values = switch (c) {
      case Command.Put p -> new byte[][] {p.value()};
      case Command.Cas cas -> new byte[][] {cas.expected(), cas.value()};
      case Command.Get g -> new byte[0][];
      case Command.Delete d -> new byte[0][];
    };
    for (byte[] v : values) {
      if (v != null && v.length > config.valueBytesMax()) {
        return new ClientReply.Rejected("value of " + v.length + " bytes exceeds the limit of "
            + config.valueBytesMax(), true);
      }
    }
    boolean addsKey = (c instanceof Command.Put || c instanceof Command.Cas) && !stateMachine.containsKey(c.key());
    if (addsKey && stateMachine.size() >= config.keysMax()) {
      return new ClientReply.Rejected("the store holds " + stateMachine.size() + " keys, the limit", true);
    }
    return null;
  }

  private void read(ClientRequest request, Command.Get get, Sink sink) {
    if (request.readMode() == ReadMode.STALE || config.isUnsafe(NodeConfig.Unsafe.STALE_READS)) {
      reply(request, sink, new ClientReply.Done(stateMachine.read(get.key())));
      return;
    }
    if (raft.role() != Role.LEADER) {
      reply(request, sink, new ClientReply.NotLeader(raft.leaderId()));
      return;
    }
    long readId = nextReadId++;
    if (!raft.readIndex(readId)) {
      reply(request, sink, new ClientReply.Unavailable("too many reads pending"));
      return;
    }
    pendingReads.put(readId, new PendingRead(request, sink, ticks + config.requestTimeoutTicks(), -1));
  }

  private void write(ClientRequest request, Sink sink) {
    long index = raft.propose(RequestCodec.encode(request.toRequest()));
    if (index == RaftNode.NOT_LEADER) {
      reply(request, sink, new ClientReply.NotLeader(raft.leaderId()));
    } else if (index == RaftNode.BUSY) {
      reply(request, sink, new ClientReply.Unavailable("too many uncommitted entries"));
    } else {
      pendingWrites.put(index, new PendingWrite(raft.term(), request, sink, ticks + config.requestTimeoutTicks()));
    }
  }

  // ---------------------------------------------------------------- the Ready loop

  /** Carries out Ready batches until none is left or one is being persisted. */
  private void drive() {
    while (running && !persisting && raft.hasReady()) {
      Ready ready = raft.ready();
      if (ready.softState() != null) {
        onSoftState(ready.softState());
      }
      if (ready.membership() != null) {
        transport.membershipChanged(ready.membership()); // before any message to a new member
      }
      if (!ready.needsPersist()) {
        finish(ready);
        continue;
      }
      if (config.isUnsafe(NodeConfig.Unsafe.NO_FSYNC)) {
        // The canary: write without fsync and acknowledge at once.
        storage.persist(ready.hardState(), ready.entries(), false, () -> {});
        listener.persisted(id, ready.entries().size(), false);
        finish(ready);
        continue;
      }
      persisting = true;
      for (Message m : ready.messages()) {
        if (Ready.mayPrecedePersistence(m)) {
          send(m); // replication overlaps the leader's own fsync (§10.2.1)
        }
      }
      if (ready.snapshot() != null) {
        // The leader's snapshot replaces our log: durable first, then the rest of the batch.
        storage.saveSnapshot(ready.snapshot(), () -> storage.persist(ready.hardState(), ready.entries(),
            ready.mustSync(), () -> onPersisted(ready)));
      } else {
        storage.persist(ready.hardState(), ready.entries(), ready.mustSync(), () -> onPersisted(ready));
      }
    }
  }

  /** Sends what the batch holds back until it is durable (everything, when nothing was persisted). */
  private void sendHeldMessages(Ready ready, boolean persisted) {
    for (Message m : ready.messages()) {
      if (!persisted || !Ready.mayPrecedePersistence(m)) {
        send(m);
      }
    }
  }

  private void send(Message m) {
    if (m instanceof Message.RequestVote && id != 1 && config.isUnsafe(NodeConfig.Unsafe.ONE_CANDIDATE)) {
      return; // the canary
    }
    transport.send(m);
  }

  private void onPersisted(Ready ready) {
    if (!running) {
      return;
    }
    persisting = false;
    listener.persisted(id, ready.entries().size(), ready.mustSync());
    finish(ready);
    drive();
  }

  private void finish(Ready ready) {
    sendHeldMessages(ready, ready.needsPersist() && !config.isUnsafe(NodeConfig.Unsafe.NO_FSYNC));
    if (ready.snapshot() != null) {
      installSnapshot(ready.snapshot());
    }
    for (LogEntry e : ready.committed()) {
      apply(e);
    }
    for (ReadState rs : ready.readStates()) {
      PendingRead p = pendingReads.get(rs.readId());
      if (p != null) {
        pendingReads.put(rs.readId(), p.withIndex(rs.index()));
        confirmedReads.addLast(rs.readId());
      }
    }
    raft.advance(ready);
    serveConfirmedReads();
    maybeSnapshot();
  }

  private void installSnapshot(Snapshot s) {
    stateMachine.restore(s.data());
    lastSnapshotIndex = s.index();
    // Writes we proposed at or below the snapshot may or may not be in it: we cannot tell.
    while (!pendingWrites.isEmpty() && pendingWrites.firstKey() <= s.index()) {
      PendingWrite p = pendingWrites.pollFirstEntry().getValue();
      reply(p.request, p.sink, new ClientReply.Unknown("replaced by the leader's snapshot; the write may have applied"));
    }
  }

  /** §7: snapshot the state machine every so many entries and let Raft compact its log behind it. */
  private void maybeSnapshot() {
    long applied = stateMachine.appliedIndex();
    if (config.snapshotEveryEntries() == 0 || snapshotting || applied - lastSnapshotIndex < config.snapshotEveryEntries()) {
      return;
    }
    long term = raft.termAt(applied);
    if (term < 1) {
      // Raft has accepted a leader's snapshot past our state (it replaced the log) that the state
      // machine has not restored yet: ours would have no term or configuration to carry.
      return;
    }
    Snapshot s = new Snapshot(applied, term, raft.membershipAt(applied), stateMachine.snapshot());
    snapshotting = true;
    storage.saveSnapshot(s, () -> {
      if (!running) {
        return;
      }
      snapshotting = false;
      lastSnapshotIndex = Math.max(lastSnapshotIndex, s.index());
      raft.snapshotTaken(s, s.index() - config.snapshotRetainEntries());
      listener.snapshotSaved(id, s);
    });
  }

  private void apply(LogEntry e) {
    Result result = null;
    if (e.type() == LogEntry.Type.COMMAND) {
      Request request = RequestCodec.decode(e.data());
      result = stateMachine.apply(e.index(), request);
    } else {
      stateMachine.skip(e.index());
    }
    listener.applied(id, e, result);
    PendingWrite p = pendingWrites.remove(e.index());
    if (p != null) {
      // Another leader's entry at our index means ours was overwritten and can never commit.
      ClientReply reply = p.term == e.term() ? new ClientReply.Done(result == null ? Result.OK : result)
          : new ClientReply.Unavailable("leadership changed before the write committed");
      reply(p.request, p.sink, reply);
    }
  }

  private void serveConfirmedReads() {
    while (!confirmedReads.isEmpty()) {
      PendingRead p = pendingReads.get(confirmedReads.peekFirst());
      if (p == null) {
        confirmedReads.removeFirst(); // expired meanwhile
        continue;
      }
      if (p.index > stateMachine.appliedIndex()) {
        return;
      }
      pendingReads.remove(confirmedReads.removeFirst());
      reply(p.request, p.sink, new ClientReply.Done(stateMachine.read(p.request.command().key())));
    }
  }

  private void onSoftState(Ready.SoftState s) {
    listener.softStateChanged(id, s);
    // A transfer is done once this node follows the target; another leader means it went elsewhere.
    if (pendingTransfer != null && s.leaderId() != 0 && s.leaderId() != id) {
      boolean handedOver = s.leaderId() == pendingTransfer.target;
      reply(null, pendingTransfer.sink, handedOver ? new ClientReply.Done(Result.OK)
          : new ClientReply.Unavailable("node " + s.leaderId() + " took over, not node " + pendingTransfer.target));
      pendingTransfer = null;
    }
    if (s.role() != Role.LEADER && !pendingReads.isEmpty()) {
      // Reads have no effect, so failing them is always safe.
      for (Map.Entry<Long, PendingRead> e : pendingReads.entrySet()) {
        reply(e.getValue().request, e.getValue().sink, new ClientReply.NotLeader(s.leaderId()));
      }
      pendingReads.clear();
      confirmedReads.clear();
    }
  }

  // ---------------------------------------------------------------- administration

  /**
   * Changes the configuration one server at a time. The reply is {@code Done} once the change is
   * applied here (for {@link MembershipChange.AddVoter}: once the learner is promoted), {@code NotLeader}
   * on a follower, {@code Unavailable} while another change is in progress.
   */
  public void changeMembership(MembershipChange change, Sink sink) {
    if (!running) {
      return;
    }
    catchUpTicks();
    Membership current = raft.membership();
    switch (change) {
      case MembershipChange.AddLearner a -> {
        if (current.isVoter(a.nodeId())) {
          reply(null, sink, new ClientReply.Rejected("node " + a.nodeId() + " is a voter; remove it first to make it "
              + "a learner", false));
          return;
        }
        proposeMembership(current.withLearner(a.nodeId(), a.address()), sink);
      }
      case MembershipChange.AddVoter a -> {
        if (current.isVoter(a.nodeId())) {
          reply(null, sink, new ClientReply.Done(Result.OK));
          return;
        }
        if (raft.role() != Role.LEADER) {
          reply(null, sink, new ClientReply.NotLeader(raft.leaderId()));
          return;
        }
        promotions.put(a.nodeId(), new Promotion(a.address(), sink, ticks + 10L * config.requestTimeoutTicks()));
        if (!current.isMember(a.nodeId())) {
          proposeMembership(current.withLearner(a.nodeId(), a.address()), null);
        }
      }
      case MembershipChange.Remove r -> proposeMembership(current.without(r.nodeId()), sink);
    }
    drive();
  }

  /** Proposes a configuration; replies to {@code sink} (if any) when it is applied or refused. */
  private void proposeMembership(Membership next, Sink sink) {
    long index = raft.proposeMembership(next);
    ClientReply refusal = index == RaftNode.NOT_LEADER ? new ClientReply.NotLeader(raft.leaderId())
        : index == RaftNode.BUSY ? new ClientReply.Unavailable("another configuration change or a transfer is in progress")
        : index == RaftNode.INVALID ? new ClientReply.Rejected("not a single-server change: " + next, false) : null;
    if (refusal != null) {
      if (sink != null) {
        reply(null, sink, refusal);
      }
      return;
    }
    if (sink != null) {
      pendingWrites.put(index, new PendingWrite(raft.term(), null, sink, ticks + config.requestTimeoutTicks()));
    }
  }

  /** The leader promotes learners whose logs reached the commit index (§4.2.1: catch up first). */
  private void promoteCaughtUpLearners() {
    if (promotions.isEmpty() || raft.role() != Role.LEADER) {
      return;
    }
    Map.Entry<Integer, Promotion> first = promotions.firstEntry();
    int learner = first.getKey();
    Promotion p = first.getValue();
    Membership current = raft.membership();
    if (p.deadlineTick <= ticks) {
      promotions.remove(learner);
      reply(null, p.sink, new ClientReply.Unknown("node " + learner + " did not catch up in time; it stays a learner"));
    } else if (current.isVoter(learner)) {
      promotions.remove(learner);
    } else if (current.isMember(learner) && raft.matchIndexOf(learner) >= raft.commitIndex()) {
      long index = raft.proposeMembership(current.withVoter(learner, p.address));
      if (index > 0) {
        promotions.remove(learner);
        pendingWrites.put(index, new PendingWrite(raft.term(), null, p.sink, ticks + config.requestTimeoutTicks()));
      }
    } else if (!current.isMember(learner)) {
      proposeMembership(current.withLearner(learner, p.address), null); // retry after a lost proposal
    }
  }

  /** Hands leadership to {@code target} (§3.10); the reply comes once it leads, or the transfer fails. */
  public void transferLeadership(int target, Sink sink) {
    if (!running) {
      return;
    }
    catchUpTicks();
    if (raft.role() != Role.LEADER) {
      reply(null, sink, new ClientReply.NotLeader(raft.leaderId()));
      return;
    }
    if (pendingTransfer != null || raft.transferTarget() != 0) {
      reply(null, sink, new ClientReply.Unavailable("a transfer to node " + raft.transferTarget() + " is running"));
      return;
    }
    if (!raft.transferLeadership(target)) {
      reply(null, sink, new ClientReply.Rejected("cannot transfer to " + target + ": not another voter", false));
      return;
    }
    pendingTransfer = new PendingTransfer(target, sink, ticks + 2L * config.raft().electionTicksMax());
    drive();
  }

  private void expireRequests() {
    if (pendingTransfer != null && raft.role() == Role.LEADER && raft.transferTarget() == 0) {
      reply(null, pendingTransfer.sink, new ClientReply.Unavailable("node " + pendingTransfer.target
          + " did not take over in time; this node still leads"));
      pendingTransfer = null;
    } else if (pendingTransfer != null && pendingTransfer.deadlineTick <= ticks) {
      reply(null, pendingTransfer.sink, new ClientReply.Unknown("no leader known yet after the transfer to node "
          + pendingTransfer.target));
      pendingTransfer = null;
    }
    for (Iterator<PendingWrite> it = pendingWrites.values().iterator(); it.hasNext(); ) {
      PendingWrite p = it.next();
      if (p.deadlineTick <= ticks) {
        it.remove();
        reply(p.request, p.sink, new ClientReply.Unknown("timed out waiting for commit; the write may still apply"));
      }
    }
    for (Iterator<PendingRead> it = pendingReads.values().iterator(); it.hasNext(); ) {
      PendingRead p = it.next();
      if (p.deadlineTick <= ticks) {
        it.remove();
        reply(p.request, p.sink, new ClientReply.Unavailable("timed out confirming leadership for the read"));
      }
    }
  }

  /** Replies to a client; {@code request} is null for administrative operations. */
  private void reply(ClientRequest request, Sink sink, ClientReply reply) {
    if (request != null) {
      listener.replied(id, request, reply);
    }
    sink.reply(reply);
  }

  // ---------------------------------------------------------------- observation

  public int id() {
    return id;
  }

  public boolean isRunning() {
    return running;
  }

  /** The consensus core, for inspection by invariant checks and status pages; do not drive it. */
  public RaftNode raft() {
    return raft;
  }

  public KvStateMachine stateMachine() {
    return stateMachine;
  }

  public NodeConfig config() {
    return config;
  }

  public int pendingRequests() {
    return pendingWrites.size() + pendingReads.size();
  }

  /** Checks the driver's and the core's invariants; the simulator calls this after every event. */
  public void checkInvariants() {
    raft.checkInvariants();
    // While a leader's snapshot is being persisted, Raft already stands at it; the state machine
    // catches up when the batch completes.
    if (!persisting && stateMachine.appliedIndex() != raft.appliedIndex()) {
      throw new AssertionError("node " + id + ": state machine applied " + stateMachine.appliedIndex()
          + " but raft says " + raft.appliedIndex());
    }
  }
}
