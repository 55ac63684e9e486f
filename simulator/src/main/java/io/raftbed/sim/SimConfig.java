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
 * @param staleReadPercent share of reads sent as stale reads (checked for plausibility, not
 *     linearizability)
 * @param unsafe unsafe node settings (canaries)
 */
public record SimConfig(int nodes, int clients, int keys, long virtualMillis, long healMillis, int tickMillis,
    int heartbeatTicks, int electionTicksMin, int electionTicksMax, long linkLatencyMinMicros,
    long linkLatencyMaxMicros, long diskWriteMicros, long diskSyncMicros, long attemptTimeoutMillis,
    long opTimeoutMillis, Set<FaultType> faultTypes, long faultIntervalMillis, int staleReadPercent,
    Set<NodeConfig.Unsafe> unsafe) {

  public SimConfig {
    faultTypes = faultTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faultTypes));
    unsafe = Set.copyOf(unsafe);
    if (nodes < 1 || nodes > 64 || clients < 1 || keys < 1) {
      throw new IllegalArgumentException("need 1..64 nodes, at least one client and one key");
    }
    if (healMillis >= virtualMillis) {
      throw new IllegalArgumentException("the heal phase (" + healMillis + " ms) must be shorter than the run ("
          + virtualMillis + " ms)");
    }
    if (linkLatencyMinMicros < 1 || linkLatencyMaxMicros < linkLatencyMinMicros) {
      throw new IllegalArgumentException("link latency range is empty");
    }
  }

  /** The standard workload: 5 nodes, 10 clients, links of 1-10 ms, heartbeat 50 ms, 60 s runs. */
  public static SimConfig standard() {
    return new SimConfig(5, 10, 5, 60_000, 10_000, 10, 5, 15, 30, 1_000, 10_000, 100, 1_000, 300, 2_000,
        EnumSet.of(FaultType.PARTITION, FaultType.CRASH, FaultType.MESSAGES), 3_000, 0, Set.of());
  }

  public SimConfig withNodes(int n) {
    return new SimConfig(n, clients, keys, virtualMillis, healMillis, tickMillis, heartbeatTicks, electionTicksMin,
        electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros, diskSyncMicros,
        attemptTimeoutMillis, opTimeoutMillis, faultTypes, faultIntervalMillis, staleReadPercent, unsafe);
  }

  public SimConfig withClients(int c) {
    return new SimConfig(nodes, c, keys, virtualMillis, healMillis, tickMillis, heartbeatTicks, electionTicksMin,
        electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros, diskSyncMicros,
        attemptTimeoutMillis, opTimeoutMillis, faultTypes, faultIntervalMillis, staleReadPercent, unsafe);
  }

  /** A run of {@code millis}, keeping the heal phase at a sixth of it (at most 10 s). */
  public SimConfig withVirtualMillis(long millis) {
    long heal = Math.min(10_000, Math.max(1, millis / 6));
    return new SimConfig(nodes, clients, keys, millis, heal, tickMillis, heartbeatTicks, electionTicksMin,
        electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros, diskSyncMicros,
        attemptTimeoutMillis, opTimeoutMillis, faultTypes, faultIntervalMillis, staleReadPercent, unsafe);
  }

  /** The same run length with a heal phase of {@code millis} (the fuzzer's minimizer keeps it while trimming). */
  public SimConfig withHealMillis(long millis) {
    return new SimConfig(nodes, clients, keys, virtualMillis, millis, tickMillis, heartbeatTicks, electionTicksMin,
        electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros, diskSyncMicros,
        attemptTimeoutMillis, opTimeoutMillis, faultTypes, faultIntervalMillis, staleReadPercent, unsafe);
  }

  public SimConfig withFaultTypes(Set<FaultType> types) {
    return new SimConfig(nodes, clients, keys, virtualMillis, healMillis, tickMillis, heartbeatTicks, electionTicksMin,
        electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros, diskSyncMicros,
        attemptTimeoutMillis, opTimeoutMillis, types, faultIntervalMillis, staleReadPercent, unsafe);
  }

  public SimConfig withFaultIntervalMillis(long millis) {
    return new SimConfig(nodes, clients, keys, virtualMillis, healMillis, tickMillis, heartbeatTicks, electionTicksMin,
        electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros, diskSyncMicros,
        attemptTimeoutMillis, opTimeoutMillis, faultTypes, millis, staleReadPercent, unsafe);
  }

  public SimConfig withStaleReadPercent(int percent) {
    return new SimConfig(nodes, clients, keys, virtualMillis, healMillis, tickMillis, heartbeatTicks, electionTicksMin,
        electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros, diskSyncMicros,
        attemptTimeoutMillis, opTimeoutMillis, faultTypes, faultIntervalMillis, percent, unsafe);
  }

  public SimConfig withUnsafe(Set<NodeConfig.Unsafe> u) {
    return new SimConfig(nodes, clients, keys, virtualMillis, healMillis, tickMillis, heartbeatTicks, electionTicksMin,
        electionTicksMax, linkLatencyMinMicros, linkLatencyMaxMicros, diskWriteMicros, diskSyncMicros,
        attemptTimeoutMillis, opTimeoutMillis, faultTypes, faultIntervalMillis, staleReadPercent, u);
  }

  /** Virtual time at which every fault is healed. */
  public long healAtMillis() {
    return virtualMillis - healMillis;
  }
}
