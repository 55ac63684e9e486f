package io.raftbed.runtime.metrics;

import io.raftbed.kv.Command;
import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.node.NodeListener;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Ready;
import io.raftbed.raft.Role;
import io.raftbed.runtime.NodeStatus;
import io.raftbed.runtime.peer.PeerServer;
import io.raftbed.runtime.peer.PeerTransport;
import io.raftbed.runtime.wal.WalStorage;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Every metric of one node, rendered in the Prometheus text format by {@link #render}. It listens
 * to the driver, the log, the peer transport and the HTTP layer.
 *
 * <p>Threading: counters are lock-free adders, so each source updates them from its own thread
 * (node loop, sync thread, I/O threads). The driver callbacks ({@link NodeListener}) run on the node's
 * thread, which alone touches {@code lastAppliedUnsynced}.
 *
 * <p>The durability pair: {@code raftbed_client_writes_acknowledged_total} counts writes this node
 * acknowledged, and {@code raftbed_client_writes_acknowledged_unsynced_total} those of them whose
 * entry was not yet fsynced here when acknowledged; the second stays 0 unless fsync is turned off.
 */
public final class NodeMetrics implements NodeListener, WalStorage.Metrics, PeerTransport.Metrics,
    PeerServer.Metrics {
  private static final System.Logger LOG = System.getLogger(NodeMetrics.class.getName());
  private static final int STATUS_MAX = 600;

  /** Requests by operation label, then by status code (an array indexed by status). */
  private final Map<String, AtomicLongArray> httpRequests = new ConcurrentHashMap<>();
  private final ConnectionMetrics connections = new ConnectionMetrics();
  private final LongAdder forwarded = new LongAdder();
  private final LongAdder forwardFailures = new LongAdder();
  private final Histogram writeCommitSeconds = new Histogram("raftbed_write_commit_seconds",
      "Time from a write's submission on the leader to its acknowledgement (committed and applied).",
      Histogram.LATENCY_SECONDS);
  private final Histogram readSeconds = new Histogram("raftbed_linearizable_read_seconds",
      "Time from a linearizable read's submission on the leader to its answer.", Histogram.LATENCY_SECONDS);
  private final Histogram timerLatenessSeconds = new Histogram("raftbed_node_loop_timer_lateness_seconds",
      "How late the node loop ran its timers (ticks): a stall near the election timeout costs the leader.",
      Histogram.LATENCY_SECONDS);
  private final LongAdder fsyncs = new LongAdder();
  private final Histogram fsyncSeconds = new Histogram("raftbed_wal_fsync_seconds",
      "Duration of each write-ahead log fsync.", Histogram.LATENCY_SECONDS);
  private final Histogram recordsPerFsync = new Histogram("raftbed_wal_records_per_fsync",
      "Log records (entries and hard states) each fsync made durable: the group-commit batch size.",
      Histogram.COUNTS);
  private final LongAdder recordsWritten = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();
  private final LongAdder appliedEntries = new LongAdder();
  private final LongAdder appliedUnsynced = new LongAdder();
  private final LongAdder writesAcknowledged = new LongAdder();
  private final LongAdder writesAcknowledgedUnsynced = new LongAdder();
  private final LongAdder leaderChanges = new LongAdder();
  private final LongAdder configurationChanges = new LongAdder();
  private final LongAdder peerDropped = new LongAdder();
  private final LongAdder peerConnects = new LongAdder();
  private final LongAdder peerConnectFailures = new LongAdder();
  private final LongAdder peerRejected = new LongAdder();
  private volatile LongSupplier syncedIndex = () -> Long.MAX_VALUE;
  /** Node thread only: whether the entry applied last was not yet fsynced here. */
  private boolean lastAppliedUnsynced;
  private int lastLeaderId = -1;
  /** Node thread only: the soft state last seen, to tell what changed. */
  private Ready.SoftState lastSoftState;
  private volatile java.util.function.Supplier<String> roleReason = () -> "unknown";
  /** Role changes by the role entered. */
  private final Map<Role, LongAdder> roleChanges = new ConcurrentHashMap<>();
  private final LongAdder loopStalls = new LongAdder();
  private final Histogram loopStallSeconds = new Histogram("raftbed_node_loop_stall_seconds",
      "How long each stall of the node loop lasted (a queued task waited at least the stall threshold).",
      Histogram.LATENCY_SECONDS);

  /** Where to read the highest fsynced index from; set once the log is open. */
  public void syncedIndexSource(LongSupplier source) {
    this.syncedIndex = source;
  }

  // ---------------------------------------------------------------- HTTP

  /** Counts an answered request; {@code op} is one of a few constant labels. */
  public void httpRequest(String op, int status) {
    AtomicLongArray byStatus = httpRequests.get(op);
    if (byStatus == null) {
      byStatus = httpRequests.computeIfAbsent(op, k -> new AtomicLongArray(STATUS_MAX));
    }
    byStatus.incrementAndGet(Math.min(Math.max(status, 0), STATUS_MAX - 1));
  }

  /** Counters of connection limits, timeouts, TLS and credentials. */
  public ConnectionMetrics connections() {
    return connections;
  }

  public void forwarded(boolean ok) {
    (ok ? forwarded : forwardFailures).increment();
  }

  public void writeCommitted(long nanos) {
    writeCommitSeconds.observe(nanos / 1e9);
  }

  public void linearizableRead(long nanos) {
    readSeconds.observe(nanos / 1e9);
  }

  // ---------------------------------------------------------------- node (node thread)

  /** The node loop was stalled for {@code nanos} (any thread: the watchdog reports it). */
  public void loopStalled(long nanos) {
    loopStalls.increment();
    loopStallSeconds.observe(nanos / 1e9);
  }

  /** A timer ran {@code nanos} after it was due (stalls are logged by the loop's watchdog). */
  public void timerLateness(long nanos) {
    timerLatenessSeconds.observe(Math.max(0, nanos) / 1e9);
  }

  @Override
  public void applied(int nodeId, LogEntry entry, Result result) {
    appliedEntries.increment();
    lastAppliedUnsynced = entry.index() > syncedIndex.getAsLong();
    if (lastAppliedUnsynced) {
      appliedUnsynced.increment();
    }
  }

  @Override
  public void replied(int nodeId, ClientRequest request, ClientReply reply) {
    // The driver replies to a write right after applying its entry, so the flag is that entry's.
    if (reply instanceof ClientReply.Done && !(request.command() instanceof Command.Get)) {
      writesAcknowledged.increment();
      if (lastAppliedUnsynced) {
        writesAcknowledgedUnsynced.increment();
      }
    }
  }

  /** Where to read why the role last changed (the Raft node's words); node thread. */
  public void roleReasonSource(java.util.function.Supplier<String> source) {
    this.roleReason = source;
  }

  /**
   * Logs every change of role or term with its reason and the leader before it, and every new
   * leader; counts role changes by the role entered.
   */
  @Override
  public void softStateChanged(int nodeId, Ready.SoftState state) {
    Ready.SoftState before = lastSoftState;
    lastSoftState = state;
    if (before != null && (before.role() != state.role() || before.term() != state.term())) {
      if (before.role() != state.role()) {
        roleChanges.computeIfAbsent(state.role(), r -> new LongAdder()).increment();
      }
      LOG.log(state.role() == Role.LEADER || before.role() == Role.LEADER ? System.Logger.Level.WARNING
          : System.Logger.Level.INFO, "n" + nodeId + ": " + name(before.role()) + " -> " + name(state.role())
          + " in term " + state.term() + " (was term " + before.term() + ", leader " + leaderName(before.leaderId())
          + "): " + roleReason.get());
    }
    if (state.leaderId() != lastLeaderId && state.leaderId() != 0) {
      leaderChanges.increment();
      LOG.log(System.Logger.Level.INFO, "n" + nodeId + ": " + (state.leaderId() == nodeId ? "leads"
          : "follows leader n" + state.leaderId()) + " in term " + state.term() + " (previous leader "
          + leaderName(lastLeaderId) + ")");
    }
    if (state.leaderId() != 0) {
      lastLeaderId = state.leaderId();
    }
  }

  private static String name(Role r) {
    return r.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String leaderName(int id) {
    return id <= 0 ? "none" : "n" + id;
  }

  /** The configuration in use changed (node thread): logged, since operators look for it. */
  public void membershipChanged(Membership membership) {
    configurationChanges.increment();
    LOG.log(System.Logger.Level.INFO, "configuration: " + membership);
  }

  // ---------------------------------------------------------------- log

  @Override
  public void synced(int records, long nanos) {
    fsyncs.increment();
    fsyncSeconds.observe(nanos / 1e9);
    recordsPerFsync.observe(records);
  }

  @Override
  public void written(int records, int bytes) {
    recordsWritten.add(records);
    bytesWritten.add(bytes);
  }

  // ---------------------------------------------------------------- peers

  @Override
  public void dropped(int peerId) {
    peerDropped.increment();
  }

  @Override
  public void connected(int peerId) {
    peerConnects.increment();
  }

  @Override
  public void connectFailed(int peerId) {
    peerConnectFailures.increment();
  }

  @Override
  public void rejected() {
    peerRejected.increment();
  }

  @Override
  public void refused() {
    connections.peerRefused();
  }

  @Override
  public void evicted() {
    connections.peerEvicted();
  }

  @Override
  public void tlsHandshakeFailed() {
    connections.tlsHandshakeFailed();
  }

  @Override
  public void certificateRejected() {
    connections.peerCertificateRejected();
  }

  // ---------------------------------------------------------------- rendering

  /** The whole exposition; {@code status} supplies the gauges. */
  public String render(NodeStatus status) {
    StringBuilder out = new StringBuilder(4096);
    gauge(out, "raftbed_node_id", "This node's id.", status.id());
    gauge(out, "raftbed_term", "Current Raft term.", status.term());
    out.append("# HELP raftbed_role 1 for this node's current role.\n# TYPE raftbed_role gauge\n");
    for (Role r : Role.values()) {
      out.append("raftbed_role{role=\"").append(r.name().toLowerCase()).append("\"} ")
          .append(r == status.role() ? 1 : 0).append('\n');
    }
    gauge(out, "raftbed_leader_id", "The leader this node knows of; 0 for none.", status.leaderId());
    gauge(out, "raftbed_commit_index", "Highest log index known committed.", status.commitIndex());
    gauge(out, "raftbed_applied_index", "Highest log index applied to the store.", status.appliedIndex());
    gauge(out, "raftbed_last_index", "Index of the last log entry.", status.lastIndex());
    gauge(out, "raftbed_wal_synced_index", "Highest log index known fsynced on this node.", status.syncedIndex());
    gauge(out, "raftbed_keys", "Keys in the store.", status.keys());
    gauge(out, "raftbed_pending_requests", "Client requests waiting for commit or read confirmation.",
        status.pendingRequests());
    counter(out, "raftbed_elections_won_total", "Elections this node won since it started.", status.electionsWon());
    counter(out, "raftbed_leader_changes_total", "Times this node saw a new leader.", leaderChanges.sum());
    out.append("# HELP raftbed_role_changes_total Times this node changed role, by the role entered.\n")
        .append("# TYPE raftbed_role_changes_total counter\n");
    for (Role r : Role.values()) {
      LongAdder n = roleChanges.get(r);
      out.append("raftbed_role_changes_total{role=\"").append(name(r)).append("\"} ").append(n == null ? 0 : n.sum())
          .append('\n');
    }
    counter(out, "raftbed_node_loop_stalls_total", "Stalls of the node loop: a queued task waited at least the"
        + " stall threshold (GC pause, CPU starvation, blocking work); each is logged.", loopStalls.sum());
    loopStallSeconds.render(out);
    gauge(out, "raftbed_voters", "Voters in the configuration this node uses.", status.membership().voters().size());
    gauge(out, "raftbed_learners", "Learners in the configuration this node uses.",
        status.membership().learners().size());
    counter(out, "raftbed_configuration_changes_total", "Configurations this node switched to (the first at start"
        + " included).", configurationChanges.sum());
    counter(out, "raftbed_snapshots_sent_total", "Snapshots this node sent to followers as leader.",
        status.snapshotsSent());
    counter(out, "raftbed_snapshots_installed_total", "Leaders' snapshots this node installed.",
        status.snapshotsInstalled());
    out.append("# HELP raftbed_http_requests_total HTTP requests answered by this node, by operation and status.\n")
        .append("# TYPE raftbed_http_requests_total counter\n");
    new TreeMap<>(httpRequests).forEach((op, byStatus) -> {
      for (int code = 0; code < STATUS_MAX; code++) {
        long n = byStatus.get(code);
        if (n > 0) {
          out.append("raftbed_http_requests_total{op=\"").append(op).append("\",code=\"").append(code)
              .append("\"} ").append(n).append('\n');
        }
      }
    });
    counter(out, "raftbed_http_connections_rejected_total", "HTTP connections refused (503) over the connection"
        + " limits with no idle or stalled connection to evict.", connections.httpRefusedTotal());
    connections.render(out);
    counter(out, "raftbed_forwarded_requests_total", "Requests this follower forwarded to the leader.", forwarded.sum());
    counter(out, "raftbed_forward_failures_total", "Forwarded requests that got no answer from the leader.",
        forwardFailures.sum());
    timerLatenessSeconds.render(out);
    writeCommitSeconds.render(out);
    readSeconds.render(out);
    counter(out, "raftbed_client_writes_acknowledged_total", "Writes this node acknowledged to clients.",
        writesAcknowledged.sum());
    counter(out, "raftbed_client_writes_acknowledged_unsynced_total",
        "Acknowledged writes whose entry was not fsynced on this node first (0 unless fsync is off).",
        writesAcknowledgedUnsynced.sum());
    counter(out, "raftbed_applied_entries_total", "Log entries applied.", appliedEntries.sum());
    counter(out, "raftbed_applied_entries_unsynced_total", "Entries applied before this node fsynced them.",
        appliedUnsynced.sum());
    counter(out, "raftbed_wal_fsyncs_total", "fsyncs of the write-ahead log.", fsyncs.sum());
    fsyncSeconds.render(out);
    recordsPerFsync.render(out);
    counter(out, "raftbed_wal_records_written_total", "Records written to the log.", recordsWritten.sum());
    counter(out, "raftbed_wal_bytes_written_total", "Bytes written to the log.", bytesWritten.sum());
    counter(out, "raftbed_peer_messages_dropped_total", "Raft messages dropped: queue full or peer unreachable.",
        peerDropped.sum());
    counter(out, "raftbed_peer_connects_total", "Outbound peer connections established.", peerConnects.sum());
    counter(out, "raftbed_peer_connect_failures_total", "Outbound peer dials that failed.", peerConnectFailures.sum());
    counter(out, "raftbed_peer_connections_rejected_total",
        "Inbound peer connections closed for bad input (garbage, wrong cluster, bad handshake).", peerRejected.sum());
    JvmHeap.render(out);
    return out.toString();
  }

  static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name)
        .append(" gauge\n").append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name)
        .append(" counter\n").append(name).append(' ').append(value).append('\n');
  }
}
