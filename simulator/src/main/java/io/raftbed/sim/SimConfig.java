package io.raftbed.sim;

import io.raftbed.node.NodeConfig;
import io.raftbed.sim.fault.FaultType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Everything that shapes one simulated run besides its seed and its fault schedule. Times are
 * virtual: milliseconds or microseconds of the simulated clock, named by their unit.
 *
 * @param nodes cluster size
 * @param clients concurrent clients (Jepsen processes)
 * @param keys distinct keys the workload touches
 * @param virtualMillis length of the run
 * @param healMillis length of the final phase: every fault is healed at {@code virtualMillis -
 *     healMillis}, and the cluster must commit new writes before the end (liveness)
 * @param tickMillis node clock milliseconds per Raft tick
 * @param heartbeatTicks leader heartbeat interval
 * @param electionTicksMin election timeout lower bound
 * @param electionTicksMax election timeout upper bound (exclusive)
 * @param linkLatencyMinMicros one-way latency lower bound on every link
 * @param linkLatencyMaxMicros one-way latency upper bound on every link
 * @param diskWriteMicros latency of a write to the page cache
 * @param diskSyncMicros extra latency of an fsync
 * @param attemptTimeoutMillis a client retries a request it heard nothing about after this
 * @param opTimeoutMillis a client gives up an operation after this; a write it gave up is :info
 * @param faultTypes the fault types the generated schedule may use
 * @param faultIntervalMillis mean time between generated fault actions
 * @param readPercent share of operations that are reads; the rest are writes, compare-and-sets and
 *     deletes in the ratio 3:2:1
 * @param readOnlyClients how many of the clients only read (they follow a leader and never wait on a
 *     write, so they see what a deposed leader still serves); at least one client always writes
 * @param staleReadPercent share of reads sent as stale reads (checked for plausibility, not
 *     linearizability)
 * @param unsafe unsafe node settings (canaries)
 * @param leaseReads nodes serve linearizable reads from a leader lease (§6.4.1)
 * @param clockDriftBoundPermille the clock drift the nodes' leases assume (0 trusts clocks fully)
 * @param clockDriftMaxPermille how far clock faults push a node's clock rate from exact; below
 *     1000 rates stay within it and clocks never jump, at 1000 or more drift is unbounded
 * @param snapshotEveryEntries nodes snapshot their state machine every this many applied entries
 *     (0: never)
 * @param snapshotRetainEntries entries a node keeps behind its snapshot; followers further behind
 *     get the snapshot
 * @param preVote nodes run a pre-vote before campaigning (§9.6)
 * @param checkQuorum leaders step down without a quorum, and followers ignore campaigns while they
 *     hear from a leader (§6.2, §4.2.3)
 * @param spareNodes machines beyond the initial voters, running but not members until added
 * @param membershipIntervalMillis mean time between membership changes and leadership transfers
 *     issued by an administrator (0: none)
 * @param appendBytesMax entry bytes in one append message (at least one entry is always sent; 0:
 *     the node's default). Small values make a leader repair a log in many steps.
 * @param inflightAppendsMax append messages in flight to one follower (0: the node's default)
 * @param operatorTriggers an operator also acts on the cluster's state: it proposes a change right
 *     after an election, another while a change is uncommitted, and a transfer or change involving a
 *     node cut off by a partition (works with or without spare machines)
 */
public record SimConfig(int nodes, int clients, int keys, long virtualMillis, long healMillis, int tickMillis,
    int heartbeatTicks, int electionTicksMin, int electionTicksMax, long linkLatencyMinMicros,
    long linkLatencyMaxMicros, long diskWriteMicros, long diskSyncMicros, long attemptTimeoutMillis,
    long opTimeoutMillis, Set<FaultType> faultTypes, long faultIntervalMillis, int readPercent, int readOnlyClients,
    int staleReadPercent,
    Set<NodeConfig.Unsafe> unsafe, boolean leaseReads, int clockDriftBoundPermille, int clockDriftMaxPermille,
    int snapshotEveryEntries, int snapshotRetainEntries, boolean preVote, boolean checkQuorum, int spareNodes,
    long membershipIntervalMillis, int appendBytesMax, int inflightAppendsMax, boolean operatorTriggers) {

  public SimConfig {
    faultTypes = faultTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faultTypes));
    unsafe = Set.copyOf(unsafe);
    if (nodes < 1 || spareNodes < 0 || nodes + spareNodes > 64 || clients < 1 || keys < 1) {
      throw new IllegalArgumentException("need 1..64 machines, at least one node, one client and one key");
    }
    if (healMillis >= virtualMillis) {
      throw new IllegalArgumentException("the heal phase (" + healMillis + " ms) must be shorter than the run ("
          + virtualMillis + " ms)");
    }
    if (linkLatencyMinMicros < 1 || linkLatencyMaxMicros < linkLatencyMinMicros) {
      throw new IllegalArgumentException("link latency range is empty");
    }
    if (readPercent < 0 || readPercent > 100 || staleReadPercent < 0 || staleReadPercent > 100) {
      throw new IllegalArgumentException("read and stale read percentages must be in [0, 100]");
    }
    if (readOnlyClients < 0) {
      throw new IllegalArgumentException("read-only clients must not be negative");
    }
    if (leaseReads && !checkQuorum) {
      throw new IllegalArgumentException("lease reads need check-quorum");
    }
    if (clockDriftBoundPermille < 0 || clockDriftBoundPermille >= 1000 || clockDriftMaxPermille < 0) {
      throw new IllegalArgumentException("clock drift bound must be in [0, 1000) and the drift maximum >= 0");
    }
    if (appendBytesMax < 0 || inflightAppendsMax < 0) {
      throw new IllegalArgumentException("append limits must not be negative (0 means the node's default)");
    }
  }

  /** The standard workload: 5 nodes, 10 clients, links of 1-10 ms, heartbeat 50 ms, 60 s runs. */
  public static SimConfig standard() {
    return new SimConfig(5, 10, 5, 60_000, 10_000, 10, 5, 15, 30, 1_000, 10_000, 100, 1_000, 300, 2_000,
        EnumSet.of(FaultType.PARTITION, FaultType.CRASH, FaultType.MESSAGES), 3_000, 40, 2, 0, Set.of(), false, 100, 2_000,
        300, 30, true, true, 0, 0, 0, 0, false);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public SimConfig withNodes(int n) {
    return toBuilder().nodes(n).build();
  }

  public SimConfig withClients(int c) {
    return toBuilder().clients(c).build();
  }

  /** A run of {@code millis}, keeping the heal phase at a sixth of it (at most 10 s). */
  public SimConfig withVirtualMillis(long millis) {
    return toBuilder().virtualMillis(millis).healMillis(Math.min(10_000, Math.max(1, millis / 6))).build();
  }

  /** The same run length with a heal phase of {@code millis} (the fuzzer's minimizer keeps it while trimming). */
  public SimConfig withHealMillis(long millis) {
    return toBuilder().healMillis(millis).build();
  }

  public SimConfig withFaultTypes(Set<FaultType> types) {
    return toBuilder().faultTypes(types).build();
  }

  public SimConfig withFaultIntervalMillis(long millis) {
    return toBuilder().faultIntervalMillis(millis).build();
  }

  public SimConfig withStaleReadPercent(int percent) {
    return toBuilder().staleReadPercent(percent).build();
  }

  /** Append flow control: bytes per append message and appends in flight per follower (0: the node's defaults). */
  public SimConfig withFlowControl(int bytesMax, int inflightMax) {
    return toBuilder().appendBytesMax(bytesMax).inflightAppendsMax(inflightMax).build();
  }

  public SimConfig withUnsafe(Set<NodeConfig.Unsafe> u) {
    return toBuilder().unsafe(u).build();
  }

  /** Lease reads assuming clocks drift at most {@code boundPermille}; clock faults stay within {@code maxPermille}. */
  public SimConfig withLeaseReads(boolean on, int boundPermille, int maxPermille) {
    return toBuilder().leaseReads(on).clockDriftBoundPermille(boundPermille).clockDriftMaxPermille(maxPermille).build();
  }

  /** Every machine: the initial voters {@code 1..nodes} and the spares after them. */
  public int machines() {
    return nodes + spareNodes;
  }

  /**
   * Membership changes on (two spare machines, a change every few seconds, and changes timed against
   * the cluster's state) or off.
   */
  public SimConfig withMembership(boolean on) {
    return on ? toBuilder().spareNodes(Math.max(spareNodes, 2)).membershipIntervalMillis(4_000).operatorTriggers(true)
        .build() : this;
  }

  /** Whether an operator acts on this cluster at all, periodically or on triggers. */
  public boolean operatorActive() {
    return membershipIntervalMillis > 0 || operatorTriggers;
  }

  /** Whether clock faults may drift without bound and step clocks. */
  public boolean clockDriftUnbounded() {
    return clockDriftMaxPermille >= 1000;
  }

  /** The clients that only read: the configured number, leaving at least one that writes. */
  public int effectiveReadOnlyClients() {
    return Math.min(readOnlyClients, clients - 1);
  }

  /** Virtual time at which every fault is healed. */
  public long healAtMillis() {
    return virtualMillis - healMillis;
  }

  /** A mutable copy of a configuration, for changing a few fields. */
  public static final class Builder {
    private int nodes;
    private int clients;
    private int keys;
    private long virtualMillis;
    private long healMillis;
    private int tickMillis;
    private int heartbeatTicks;
    private int electionTicksMin;
    private int electionTicksMax;
    private long linkLatencyMinMicros;
    private long linkLatencyMaxMicros;
    private long diskWriteMicros;
    private long diskSyncMicros;
    private long attemptTimeoutMillis;
    private long opTimeoutMillis;
    private Set<FaultType> faultTypes;
    private long faultIntervalMillis;
    private int readPercent;
    private int readOnlyClients;
    private int staleReadPercent;
    private Set<NodeConfig.Unsafe> unsafe;
    private boolean leaseReads;
    private int clockDriftBoundPermille;
    private int clockDriftMaxPermille;
    private int snapshotEveryEntries;
    private int snapshotRetainEntries;
    private boolean preVote;
    private boolean checkQuorum;
    private int spareNodes;
    private long membershipIntervalMillis;
    private int appendBytesMax;
    private int inflightAppendsMax;
    private boolean operatorTriggers;

    private Builder(SimConfig c) {
      nodes = c.nodes;
      clients = c.clients;
      keys = c.keys;
      virtualMillis = c.virtualMillis;
      healMillis = c.healMillis;
      tickMillis = c.tickMillis;
      heartbeatTicks = c.heartbeatTicks;
      electionTicksMin = c.electionTicksMin;
      electionTicksMax = c.electionTicksMax;
      linkLatencyMinMicros = c.linkLatencyMinMicros;
      linkLatencyMaxMicros = c.linkLatencyMaxMicros;
      diskWriteMicros = c.diskWriteMicros;
      diskSyncMicros = c.diskSyncMicros;
      attemptTimeoutMillis = c.attemptTimeoutMillis;
      opTimeoutMillis = c.opTimeoutMillis;
      faultTypes = c.faultTypes;
      faultIntervalMillis = c.faultIntervalMillis;
      readPercent = c.readPercent;
      readOnlyClients = c.readOnlyClients;
      staleReadPercent = c.staleReadPercent;
      unsafe = c.unsafe;
      leaseReads = c.leaseReads;
      clockDriftBoundPermille = c.clockDriftBoundPermille;
      clockDriftMaxPermille = c.clockDriftMaxPermille;
      snapshotEveryEntries = c.snapshotEveryEntries;
      snapshotRetainEntries = c.snapshotRetainEntries;
      preVote = c.preVote;
      checkQuorum = c.checkQuorum;
      spareNodes = c.spareNodes;
      membershipIntervalMillis = c.membershipIntervalMillis;
      appendBytesMax = c.appendBytesMax;
      inflightAppendsMax = c.inflightAppendsMax;
      operatorTriggers = c.operatorTriggers;
    }

    public Builder nodes(int value) {
      nodes = value;
      return this;
    }

    public Builder clients(int value) {
      clients = value;
      return this;
    }

    public Builder keys(int value) {
      keys = value;
      return this;
    }

    public Builder virtualMillis(long value) {
      virtualMillis = value;
      return this;
    }

    public Builder healMillis(long value) {
      healMillis = value;
      return this;
    }

    public Builder tickMillis(int value) {
      tickMillis = value;
      return this;
    }

    public Builder heartbeatTicks(int value) {
      heartbeatTicks = value;
      return this;
    }

    public Builder electionTicksMin(int value) {
      electionTicksMin = value;
      return this;
    }

    public Builder electionTicksMax(int value) {
      electionTicksMax = value;
      return this;
    }

    public Builder linkLatencyMinMicros(long value) {
      linkLatencyMinMicros = value;
      return this;
    }

    public Builder linkLatencyMaxMicros(long value) {
      linkLatencyMaxMicros = value;
      return this;
    }

    public Builder diskWriteMicros(long value) {
      diskWriteMicros = value;
      return this;
    }

    public Builder diskSyncMicros(long value) {
      diskSyncMicros = value;
      return this;
    }

    public Builder attemptTimeoutMillis(long value) {
      attemptTimeoutMillis = value;
      return this;
    }

    public Builder opTimeoutMillis(long value) {
      opTimeoutMillis = value;
      return this;
    }

    public Builder faultTypes(Set<FaultType> value) {
      faultTypes = value;
      return this;
    }

    public Builder faultIntervalMillis(long value) {
      faultIntervalMillis = value;
      return this;
    }

    public Builder readPercent(int value) {
      readPercent = value;
      return this;
    }

    public Builder readOnlyClients(int value) {
      readOnlyClients = value;
      return this;
    }

    public Builder staleReadPercent(int value) {
      staleReadPercent = value;
      return this;
    }

    public Builder unsafe(Set<NodeConfig.Unsafe> value) {
      unsafe = value;
      return this;
    }

    public Builder leaseReads(boolean value) {
      leaseReads = value;
      return this;
    }

    public Builder clockDriftBoundPermille(int value) {
      clockDriftBoundPermille = value;
      return this;
    }

    public Builder clockDriftMaxPermille(int value) {
      clockDriftMaxPermille = value;
      return this;
    }

    public Builder snapshotEveryEntries(int value) {
      snapshotEveryEntries = value;
      return this;
    }

    public Builder snapshotRetainEntries(int value) {
      snapshotRetainEntries = value;
      return this;
    }

    public Builder preVote(boolean value) {
      preVote = value;
      return this;
    }

    public Builder checkQuorum(boolean value) {
      checkQuorum = value;
      return this;
    }

    public Builder spareNodes(int value) {
      spareNodes = value;
      return this;
    }

    public Builder membershipIntervalMillis(long value) {
      membershipIntervalMillis = value;
      return this;
    }

    public Builder appendBytesMax(int value) {
      appendBytesMax = value;
      return this;
    }

    public Builder inflightAppendsMax(int value) {
      inflightAppendsMax = value;
      return this;
    }

    public Builder operatorTriggers(boolean value) {
      operatorTriggers = value;
      return this;
    }

    public SimConfig build() {
      return new SimConfig(nodes, clients, keys, virtualMillis, healMillis, tickMillis, heartbeatTicks,
          electionTicksMin, electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros,
          diskSyncMicros, attemptTimeoutMillis, opTimeoutMillis, faultTypes, faultIntervalMillis, readPercent,
          readOnlyClients, staleReadPercent, unsafe, leaseReads, clockDriftBoundPermille, clockDriftMaxPermille,
          snapshotEveryEntries,
          snapshotRetainEntries, preVote, checkQuorum, spareNodes, membershipIntervalMillis, appendBytesMax,
          inflightAppendsMax, operatorTriggers);
    }
  }
}
