package io.raftbed.sim.fuzz;

import io.raftbed.sim.Rng;
import io.raftbed.sim.SimConfig;
import java.util.SplittableRandom;

/**
 * The cluster and workload half of a swarm seed: protocol options (pre-vote, check-quorum, lease
 * reads within a clock bound), timing, network latency, snapshot frequency, membership changes, the
 * client mix, and append flow control. Bugs hide in configurations the defaults never visit (a
 * leader that may serve reads alone, a heartbeat close to the election timeout, a log compacted
 * every few entries), so
 * each seed draws its own, from its {@code "swarm-cluster"} stream. Every draw is a configuration a
 * user could run safely: lease reads only with check-quorum and with clock faults inside the bound,
 * timeouts well above the network's latency. Immutable.
 */
public record ClusterProfile(int clients, int readOnlyClients, int keys, int readPercent, int staleReadPercent,
    boolean preVote,
    boolean checkQuorum, boolean leaseReads, int clockDriftBoundPermille, int heartbeatTicks, int electionTicksMin,
    int electionTicksMax, long linkLatencyMinMicros, long linkLatencyMaxMicros, int snapshotEveryEntries,
    int snapshotRetainEntries, boolean membership, int appendBytesMax, int inflightAppendsMax,
    boolean operatorTriggers) {

  private static final int[] CLIENTS = {3, 5, 10};
  private static final int[] KEYS = {2, 3, 5, 10};
  private static final int[] READ_PERCENT = {10, 40, 70, 90};
  private static final int[] SNAPSHOT_EVERY = {0, 50, 300, 2_000};
  private static final int[] SNAPSHOT_RETAIN = {0, 10, 100};
  /**
   * Append flow control, as pairs of {bytes per message, messages in flight} (0: the node's
   * defaults). An entry or two per message (64 bytes; snapshot chunks are as small) or one message
   * in flight makes a leader repair a log in many small steps, so acknowledgements land between
   * entries of different terms, where a commit rule that ignores terms (§5.4.2) shows. Never both
   * minimal: over a slow link that repairs too slowly for a follower to converge within the heal.
   */
  private static final int[][] FLOW = {{0, 0}, {0, 0}, {0, 0}, {64, 0}, {256, 0}, {256, 16}, {0, 1}, {0, 2}};
  /** Link latency ranges in microseconds: a LAN, the standard workload, a slow WAN. */
  private static final long[][] LATENCY_MICROS = {{100, 1_000}, {1_000, 10_000}, {5_000, 30_000}};

  public static ClusterProfile draw(long seed, SimConfig base) {
    SplittableRandom r = Rng.stream(seed, "swarm-cluster");
    boolean checkQuorum = r.nextInt(3) != 0; // off often: it masks read-safety bugs almost entirely
    boolean lease = checkQuorum && r.nextInt(5) == 0;
    long[] latency = LATENCY_MICROS[r.nextInt(LATENCY_MICROS.length)];
    // Elections must outlast a few round trips, or a slow network turns into an election storm.
    int electionMinFloor = (int) Math.max(5, 10 * latency[1] / 1000 / base.tickMillis());
    int electionMin = Math.max(electionMinFloor, r.nextBoolean() ? 10 : 30);
    int heartbeat = Math.max(1, electionMin / (r.nextBoolean() ? 3 : 6));
    int electionMax = electionMin + Math.max(1, electionMin * (r.nextBoolean() ? 1 : 2) / 2);
    // The draws below keep the order they had as constructor arguments: a seed's profile stays put.
    int clients = CLIENTS[r.nextInt(CLIENTS.length)];
    int readOnlyClients = r.nextInt(3);
    int keys = KEYS[r.nextInt(KEYS.length)];
    int readPercent = READ_PERCENT[r.nextInt(READ_PERCENT.length)];
    int staleReadPercent = r.nextInt(10) < 7 ? 0 : 10 + 20 * r.nextInt(2);
    boolean preVote = r.nextInt(3) != 0;
    int driftBound = 100 + 100 * r.nextInt(3);
    int snapshotEvery = SNAPSHOT_EVERY[r.nextInt(SNAPSHOT_EVERY.length)];
    int snapshotRetain = SNAPSHOT_RETAIN[r.nextInt(SNAPSHOT_RETAIN.length)];
    boolean membership = r.nextInt(4) == 0;
    // Flow control has a stream of its own, so adding it left every other draw of a seed unchanged.
    // Small messages only where round trips are short (over the slow WAN a learner added late needs
    // more than the heal phase to replay the log) and where a removed node that keeps campaigning
    // cannot depose leader after leader (pre-vote or check-quorum on, §4.2.3): each new leader
    // probes a learner afresh, and with small messages it would never catch up.
    boolean smallFlowFits = latency[1] <= 10_000 && (preVote || checkQuorum);
    int f = smallFlowFits ? Rng.stream(seed, "swarm-flow").nextInt(FLOW.length) : 0;
    // The operator's timed changes, from a stream of their own too: half the seeds, always with
    // membership. Without spare machines it removes and re-adds the founding voters, which a removed
    // node that keeps campaigning would answer with disruption unless pre-vote or check-quorum is on.
    boolean operator = membership || ((preVote || checkQuorum) && Rng.stream(seed, "swarm-operator").nextBoolean());
    return new ClusterProfile(clients, readOnlyClients, keys, readPercent, staleReadPercent, preVote, checkQuorum,
        lease, driftBound, heartbeat, electionMin, electionMax, latency[0], latency[1], snapshotEvery, snapshotRetain,
        membership, FLOW[f][0], FLOW[f][1], operator);
  }

  /** {@code base} with this profile's cluster and workload; faults and canaries are applied after. */
  public SimConfig applyTo(SimConfig base) {
    SimConfig c = base.toBuilder().clients(clients).readOnlyClients(readOnlyClients).keys(keys).readPercent(readPercent)
        .staleReadPercent(staleReadPercent).preVote(preVote).checkQuorum(checkQuorum).heartbeatTicks(heartbeatTicks)
        .electionTicksMin(electionTicksMin).electionTicksMax(electionTicksMax)
        .linkLatencyMinMicros(linkLatencyMinMicros).linkLatencyMaxMicros(linkLatencyMaxMicros)
        .snapshotEveryEntries(snapshotEveryEntries).snapshotRetainEntries(snapshotRetainEntries)
        .appendBytesMax(appendBytesMax).inflightAppendsMax(inflightAppendsMax).operatorTriggers(operatorTriggers).build()
        .withMembership(membership);
    // Safe leases: the clock faults stay inside the bound the lease assumes.
    return leaseReads ? c.withLeaseReads(true, clockDriftBoundPermille, clockDriftBoundPermille) : c;
  }

  /** One line, e.g. {@code clients=10 keys=5 reads=40% prevote checkquorum heartbeat=5 election=15..30 ...}. */
  public String describe() {
    return "clients=" + clients + " (" + readOnlyClients + " read-only) keys=" + keys + " reads=" + readPercent + "%"
        + (staleReadPercent > 0 ? " stale-reads=" + staleReadPercent + "%" : "")
        + (preVote ? " prevote" : " no-prevote") + (checkQuorum ? " checkquorum" : " no-checkquorum")
        + (leaseReads ? " lease(drift<=" + clockDriftBoundPermille + "‰)" : "")
        + " heartbeat=" + heartbeatTicks + " election=" + electionTicksMin + ".." + electionTicksMax
        + " latency=" + linkLatencyMinMicros / 1000.0 + ".." + linkLatencyMaxMicros / 1000.0 + "ms"
        + " snapshot-every=" + snapshotEveryEntries + "/retain=" + snapshotRetainEntries
        + (appendBytesMax > 0 ? " append-bytes=" + appendBytesMax : "")
        + (inflightAppendsMax > 0 ? " inflight=" + inflightAppendsMax : "")
        + (membership ? " membership" : operatorTriggers ? " operator" : "");
  }
}
