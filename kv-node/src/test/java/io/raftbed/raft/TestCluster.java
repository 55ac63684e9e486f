package io.raftbed.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * A hand-driven cluster of {@link RaftNode}s for unit tests and scenario transcripts: storage is an
 * in-memory list that is durable at once, messages wait in a queue until a test delivers them, and
 * time passes only when a test ticks a node. It carries out each Ready as its contract says.
 */
final class TestCluster {
  /** A node's durable state, as a restart would find it. */
  static final class Disk {
    HardState hardState = HardState.EMPTY;
    Snapshot snapshot;
    final List<LogEntry> log = new ArrayList<>();

    void persist(Ready r) {
      if (r.snapshot() != null) {
        snapshot = r.snapshot();
        log.clear();
      }
      if (r.hardState() != null) {
        hardState = r.hardState();
      }
      long base = snapshot == null ? 0 : snapshot.index();
      for (LogEntry e : r.entries()) {
        int position = (int) (e.index() - base - 1);
        if (position < log.size()) {
          log.subList(position, log.size()).clear();
        }
        log.add(e);
      }
    }
  }

  final Map<Integer, RaftNode> nodes = new TreeMap<>();
  final Map<Integer, Disk> disks = new TreeMap<>();
  final Map<Integer, List<LogEntry>> applied = new TreeMap<>();
  final Map<Integer, List<ReadState>> reads = new TreeMap<>();
  final ArrayDeque<Message> inFlight = new ArrayDeque<>();
  /** Directed links that drop messages: from * 1000 + to. */
  final List<Integer> cut = new ArrayList<>();
  private final List<Integer> ids;
  private final boolean preVoteAndCheckQuorum;
  private final boolean leaseReads;

  TestCluster(int size) {
    this(size, false);
  }

  TestCluster(int size, boolean preVoteAndCheckQuorum) {
    this(size, preVoteAndCheckQuorum, false);
  }

  TestCluster(int size, boolean preVoteAndCheckQuorum, boolean leaseReads) {
    this.ids = IntStream.rangeClosed(1, size).boxed().toList();
    this.preVoteAndCheckQuorum = preVoteAndCheckQuorum;
    this.leaseReads = leaseReads;
    for (int id : ids) {
      disks.put(id, new Disk());
      start(id);
    }
  }

  RaftConfig config(int id) {
    // Election timeouts of exactly 10 ticks keep transcripts readable; campaigns are explicit.
    return RaftConfig.defaults(id, ids).withTiming(10, 11, 2)
        .withPreVoteAndCheckQuorum(preVoteAndCheckQuorum, preVoteAndCheckQuorum)
        .withLeaseReads(leaseReads, 100);
  }

  /** A new machine that knows the initial voters but is not one: it waits to be added. */
  void addMachine(int id) {
    disks.put(id, new Disk());
    start(id);
  }

  /** (Re)starts a node from its disk, as after a crash. */
  void start(int id) {
    Disk d = disks.get(id);
    nodes.put(id, new RaftNode(config(id), new SplittableRandom(id), d.hardState, d.snapshot, d.log));
    applied.put(id, new ArrayList<>());
    reads.put(id, new ArrayList<>());
    inFlight.removeIf(m -> m.to() == id || m.from() == id);
  }

  RaftNode node(int id) {
    return nodes.get(id);
  }

  /** Carries out every Ready of every node: persist, then queue messages, then apply. */
  void flush() {
    boolean any = true;
    while (any) {
      any = false;
      for (Map.Entry<Integer, RaftNode> e : nodes.entrySet()) {
        RaftNode n = e.getValue();
        while (n.hasReady()) {
          any = true;
          Ready r = n.ready();
          disks.get(e.getKey()).persist(r);
          for (Message m : r.messages()) {
            if (!cut.contains(m.from() * 1000 + m.to())) {
              inFlight.addLast(m);
            }
          }
          applied.get(e.getKey()).addAll(r.committed());
          reads.get(e.getKey()).addAll(r.readStates());
          n.advance(r);
        }
      }
    }
  }

  /** Ticks a node until it starts a campaign (or a pre-campaign). */
  void campaign(int id) {
    RaftNode n = node(id);
    Role before = n.role();
    long term = n.term();
    for (int i = 0; i < 100 && n.role() == before && n.term() == term; i++) {
      n.tick();
    }
    flush();
  }

  void tick(int id, int times) {
    for (int i = 0; i < times; i++) {
      node(id).tick();
    }
    flush();
  }

  /** Delivers queued messages (and the messages they cause) until none matches; returns them in order. */
  List<Message> deliver(Predicate<Message> which) {
    List<Message> delivered = new ArrayList<>();
    flush();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Message m : new ArrayList<>(inFlight)) {
        if (which.test(m)) {
          inFlight.remove(m);
          delivered.add(m);
          nodes.get(m.to()).step(m);
          flush();
          progress = true;
          break;
        }
      }
    }
    return delivered;
  }

  List<Message> deliverAll() {
    return deliver(m -> true);
  }

  void isolate(int id) {
    for (int other : ids) {
      if (other != id) {
        cut.add(id * 1000 + other);
        cut.add(other * 1000 + id);
      }
    }
    inFlight.removeIf(m -> m.from() == id || m.to() == id);
  }

  void heal() {
    cut.clear();
  }

  long propose(int id, String data) {
    long index = node(id).propose(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    flush();
    return index;
  }

  int leader() {
    return nodes.values().stream().filter(n -> n.role() == Role.LEADER).mapToInt(RaftNode::id).max().orElse(0);
  }
}
