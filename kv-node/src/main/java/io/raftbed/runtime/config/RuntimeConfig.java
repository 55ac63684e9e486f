package io.raftbed.runtime.config;

import io.raftbed.node.NodeConfig;
import io.raftbed.raft.RaftConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Everything a real node needs to run, checked on construction. Built by {@code NodeMain} from
 * flags, environment and config file; tests build it directly.
 *
 * @param nodeId this node's id; must be one of {@code members}
 * @param clusterId a name all members share; peers with another one are refused at the handshake
 * @param members the members whose addresses this node knows from its configuration, this node
 *     included; members added later are learned from the log ({@link Member#address()})
 * @param initialVoters the cluster's founding voters: the configuration at log index 0, the same on
 *     every node of a cluster. A node that joins an existing cluster is not among them: it waits,
 *     never campaigning, until a leader adds it
 * @param listenHost the address both servers bind (127.0.0.1 unless told otherwise)
 * @param httpPort the HTTP API port; 0 picks a free one (tests)
 * @param peerPort the Raft peer port; 0 picks a free one (tests)
 * @param dataDir where the write-ahead log lives
 * @param timing Raft timing
 * @param elections pre-vote and check-quorum
 * @param limits request and resource limits
 * @param ioThreads Netty I/O threads for HTTP and inbound peer traffic; 0 runs them on the node's
 *     own loop thread (the cheapest setting on a machine with few cores)
 * @param walSegmentBytes size of each preallocated log segment
 * @param snapshotEveryEntries snapshot the store and compact the log once this many entries were
 *     applied since the last snapshot; 0 never snapshots (the log then grows without bound)
 * @param snapshotRetainEntries entries kept behind a snapshot for followers that are a little behind
 * @param unsafeNoFsync acknowledge before fsync (the driver's NO_FSYNC canary): benchmarks and
 *     fault-injection canaries only, never for data you want to keep
 * @param reads how the leader confirms linearizable reads
 * @param routes where this node dials other members, overriding every address it knows them by
 *     (configuration entry, {@code --peers}, hellos): a chaos cluster puts a fault proxy on each
 *     directed link this way. Routes change where this node connects, never what it tells others
 * @param connections connection limits and timeouts of both ports
 * @param security TLS and credentials (both off by default)
 */
public record RuntimeConfig(int nodeId, String clusterId, List<Member> members, List<Integer> initialVoters,
    String listenHost, int httpPort, int peerPort, Path dataDir, Timing timing, Elections elections, Limits limits,
    int ioThreads, int walSegmentBytes, int snapshotEveryEntries, int snapshotRetainEntries, boolean unsafeNoFsync,
    Reads reads, List<Member> routes, Connections connections, Security security) {

  /**
   * Raft timing, in ticks of {@code tickIntervalMillis}.
   *
   * @param requestTimeoutMillis how long a write may wait to commit (then 504) and a read to be
   *     confirmed (then 503)
   */
  public record Timing(int tickIntervalMillis, int heartbeatTicks, int electionTicksMin, int electionTicksMax,
      int requestTimeoutMillis) {
    public Timing {
      if (tickIntervalMillis < 1 || requestTimeoutMillis < tickIntervalMillis) {
        throw new IllegalArgumentException("tick interval must be >= 1 ms and the request timeout at least one tick");
      }
      if (heartbeatTicks < 1 || electionTicksMin <= heartbeatTicks || electionTicksMax <= electionTicksMin) {
        throw new IllegalArgumentException("need 1 <= heartbeat ticks < election ticks min < election ticks max, got "
            + heartbeatTicks + ", " + electionTicksMin + ", " + electionTicksMax);
      }
    }

    /** Tick 10 ms, heartbeat 5 ticks (50 ms), election timeout 15-30 ticks (150-300 ms), requests 5 s. */
    public static Timing defaults() {
      return new Timing(10, 5, 15, 30, 5_000);
    }
  }

  /**
   * How elections guard against disruption (dissertation §9.6): both on by default.
   *
   * @param preVote a node campaigns only after a pre-vote shows it could win, so a node that rejoins
   *     after a partition does not depose a healthy leader
   * @param checkQuorum a leader that has not heard from a quorum for an election timeout steps down,
   *     and followers that hear from a leader ignore vote requests
   */
  public record Elections(boolean preVote, boolean checkQuorum) {
    public static Elections defaults() {
      return new Elections(true, true);
    }
  }

  /**
   * How a leader confirms a linearizable read.
   *
   * @param leaseReads serve reads from the leader's lease (dissertation §6.4.1) instead of a
   *     heartbeat round per read (ReadIndex); needs check-quorum
   * @param clockDriftBoundPermille the most any member's clock may run fast or slow, in thousandths;
   *     the lease is shortened to stay safe within it, and reads are unsafe if a clock drifts beyond
   */
  public record Reads(boolean leaseReads, int clockDriftBoundPermille) {
    public Reads {
      if (clockDriftBoundPermille < 0 || clockDriftBoundPermille >= 1000) {
        throw new IllegalArgumentException("the clock drift bound must be in 0..999 permille, got "
            + clockDriftBoundPermille);
      }
    }

    /** ReadIndex, no leases; the drift bound (10%) matters only once leases are on. */
    public static Reads defaults() {
      return new Reads(false, 100);
    }
  }

  /**
   * Limits that protect the node from its clients.
   *
   * @param keyBytesMax longest key in UTF-8 bytes
   * @param valueBytesMax largest value in bytes
   * @param keysMax most keys the store holds
   * @param requestBytesMax largest HTTP request body
   * @param connectionsMax HTTP connections at once
   */
  public record Limits(int keyBytesMax, int valueBytesMax, int keysMax, int requestBytesMax, int connectionsMax) {
    public Limits {
      if (keyBytesMax < 1 || keyBytesMax > 0xffff || valueBytesMax < 0 || keysMax < 1 || requestBytesMax < 1
          || connectionsMax < 1) {
        throw new IllegalArgumentException("limits must be positive (key bytes at most 65535): " + this);
      }
    }

    public static Limits defaults() {
      return new Limits(1024, 1 << 20, 1_000_000, (1 << 20) + (64 << 10), 1024);
    }
  }

  /** A founding member of a cluster whose initial voters are exactly {@code members}. */
  public RuntimeConfig(int nodeId, String clusterId, List<Member> members, String listenHost, int httpPort,
      int peerPort, Path dataDir, Timing timing, Limits limits, int ioThreads, int walSegmentBytes,
      int snapshotEveryEntries, int snapshotRetainEntries, boolean unsafeNoFsync) {
    this(nodeId, clusterId, members, members.stream().map(Member::id).toList(), listenHost, httpPort, peerPort,
        dataDir, timing, Elections.defaults(), limits, ioThreads, walSegmentBytes, snapshotEveryEntries,
        snapshotRetainEntries, unsafeNoFsync, Reads.defaults(), List.of(), Connections.defaults()
            .withHttpReserved(Math.min(Connections.defaults().httpReserved(), limits.connectionsMax() / 8)),
        Security.NONE);
  }

  /** This configuration with other connection settings and security (tests). */
  public RuntimeConfig with(Connections c, Security s) {
    return new RuntimeConfig(nodeId, clusterId, members, initialVoters, listenHost, httpPort, peerPort, dataDir, timing,
        elections, limits, ioThreads, walSegmentBytes, snapshotEveryEntries, snapshotRetainEntries, unsafeNoFsync,
        reads, routes, c, s);
  }

  public RuntimeConfig {
    members = List.copyOf(members);
    initialVoters = List.copyOf(initialVoters);
    routes = List.copyOf(routes);
    if (routes.stream().anyMatch(r -> r.id() == nodeId)) {
      throw new IllegalArgumentException("a route names this node " + nodeId + "; routes are for the other members");
    }
    if (routes.stream().map(Member::id).distinct().count() != routes.size()) {
      throw new IllegalArgumentException("two routes name the same member: " + routes);
    }
    if (httpPort < 0 || httpPort > 65535 || peerPort < 0 || peerPort > 65535) {
      throw new IllegalArgumentException("ports must be 0..65535, got HTTP " + httpPort + " and peer " + peerPort);
    }
    if (connections.httpReserved() >= limits.connectionsMax()) {
      throw new IllegalArgumentException("the reserve of " + connections.httpReserved() + " HTTP connections must be"
          + " below --connections-max " + limits.connectionsMax());
    }
    if (reads.leaseReads() && !elections.checkQuorum()) {
      throw new IllegalArgumentException("lease reads need check-quorum (followers must refuse votes while a"
          + " lease may last); drop --no-check-quorum or --lease-reads");
    }
    if (members.stream().noneMatch(m -> m.id() == nodeId)) {
      throw new IllegalArgumentException("node id " + nodeId + " is not among the members " + members);
    }
    if (initialVoters.isEmpty() || initialVoters.stream().anyMatch(v -> v <= 0)
        || initialVoters.stream().distinct().count() != initialVoters.size()) {
      throw new IllegalArgumentException("initial voters must be distinct positive ids, got " + initialVoters);
    }
    if (clusterId.isBlank() || clusterId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("cluster id must be 1..255 bytes");
    }
    if (ioThreads < 0 || snapshotEveryEntries < 0 || snapshotRetainEntries < 0) {
      throw new IllegalArgumentException("io threads and snapshot settings must be >= 0");
    }
    long entryBytesMax = entryBytesMax(limits);
    if (walSegmentBytes < entryBytesMax + 4096) {
      throw new IllegalArgumentException("WAL segments of " + walSegmentBytes + " bytes cannot hold an entry of "
          + entryBytesMax + " bytes (two values of --value-bytes-max plus a key); raise --wal-segment-bytes");
    }
  }

  /** Largest entry a client request can produce: a compare-and-set carries two values and the key. */
  static long entryBytesMax(Limits limits) {
    return 2L * limits.valueBytesMax() + limits.keyBytesMax() + 64;
  }

  public Member self() {
    return members.stream().filter(m -> m.id() == nodeId).findFirst().orElseThrow();
  }

  public List<Member> peers() {
    return members.stream().filter(m -> m.id() != nodeId).toList();
  }

  /** Whether this node joins an existing cluster rather than founding it. */
  public boolean joining() {
    return !initialVoters.contains(nodeId);
  }

  /** The driver's configuration: Raft defaults with this timing, these election guards and these limits. */
  public NodeConfig nodeConfig() {
    RaftConfig raft = RaftConfig.defaults(nodeId, initialVoters)
        .withTiming(timing.electionTicksMin(), timing.electionTicksMax(), timing.heartbeatTicks())
        .withPreVoteAndCheckQuorum(elections.preVote(), elections.checkQuorum())
        .withLeaseReads(reads.leaseReads(), reads.clockDriftBoundPermille());
    int requestTimeoutTicks = Math.max(1, timing.requestTimeoutMillis() / timing.tickIntervalMillis());
    NodeConfig defaults = NodeConfig.defaults(raft);
    return new NodeConfig(raft, timing.tickIntervalMillis(), requestTimeoutTicks, limits.keyBytesMax(),
        limits.valueBytesMax(), limits.keysMax(), defaults.sessionsMax(),
        unsafeNoFsync ? Set.of(NodeConfig.Unsafe.NO_FSYNC) : Set.of(), snapshotEveryEntries, snapshotRetainEntries);
  }

  /** The largest peer frame: a full append batch plus one maximal entry over it, and headers. */
  public int peerFrameBytesMax() {
    long bytes = nodeConfig().raft().appendBytesMax() + 2 * entryBytesMax(limits) + 64 * 1024;
    return (int) Math.min(Integer.MAX_VALUE - 8, bytes);
  }
}
