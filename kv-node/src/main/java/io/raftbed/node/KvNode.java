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
import io.raftbed.raft.Ready;
import io.raftbed.raft.Role;
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
  private record PendingWrite(long term, ClientRequest request, Sink sink, long deadlineTick) {}

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
  private long nextReadId = 1;
  /** Raft ticks taken so far; deadlines of pending requests are in ticks. */
  private long ticks;
  /** The clock reading at which the last tick was due; ticks are taken in whole intervals. */
  private long lastTickMillis;
  private boolean persisting;
  private boolean running;

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
    raft = new RaftNode(config.raft(), random, recovered.hardState(), recovered.entries());
    stateMachine = new KvStateMachine(config.sessionsMax());
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
    drive();
    scheduleTick();
  }

  /**
   * Takes every tick that the clock says is due, before any other input is handled: after a pause
   * a leader must see at once how much time passed, or it could serve a read on an expired lease.
   */
  private void catchUpTicks() {
    long due = (timers.nowMillis() - lastTickMillis) / config.tickIntervalMillis();
    for (long i = 0; i < due; i++) {
      ticks++;
      raft.tick();
    }
    lastTickMillis += due * config.tickIntervalMillis();
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
    drive();
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
      storage.persist(ready.hardState(), ready.entries(), ready.mustSync(), () -> onPersisted(ready));
    }
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
    for (Message m : ready.messages()) {
      transport.send(m);
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
      ClientReply reply = p.term == e.term() ? new ClientReply.Done(result)
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
    if (s.role() != Role.LEADER && !pendingReads.isEmpty()) {
      // Reads have no effect, so failing them is always safe.
      for (Map.Entry<Long, PendingRead> e : pendingReads.entrySet()) {
        reply(e.getValue().request, e.getValue().sink, new ClientReply.NotLeader(s.leaderId()));
      }
      pendingReads.clear();
      confirmedReads.clear();
    }
  }

  private void expireRequests() {
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

  private void reply(ClientRequest request, Sink sink, ClientReply reply) {
    listener.replied(id, request, reply);
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
    if (stateMachine.appliedIndex() != raft.appliedIndex()) {
      throw new AssertionError("node " + id + ": state machine applied " + stateMachine.appliedIndex()
          + " but raft says " + raft.appliedIndex());
    }
  }
}
