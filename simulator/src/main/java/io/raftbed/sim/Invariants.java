package io.raftbed.sim;

import io.raftbed.kv.Request;
import io.raftbed.kv.RequestCodec;
import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.node.KvNode;
import io.raftbed.node.NodeListener;
import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Message;
import io.raftbed.raft.RaftNode;
import io.raftbed.raft.Ready;
import io.raftbed.raft.Role;
import io.raftbed.raft.Snapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The online safety checks of Raft (Figure 3 of the paper), run after every event on the node
 * the event touched, plus the driver's durability contract on every message sent. Each check is
 * incremental (constant work per event or per new entry) so that it can run on every event.
 *
 * <ul>
 *   <li>Election safety: at most one leader per term.
 *   <li>Log matching: two entries with the same index and term have the same command and the same
 *       predecessor term, checked inductively as entries are persisted.
 *   <li>Leader completeness: a new leader holds every entry known committed.
 *   <li>State machine safety: every node applies the same entry at each index.
 *   <li>Commit index never decreases within a node's incarnation, and never passes its log; a
 *       leader advances it only to an entry of its own term (§5.4.2), on a durable quorum.
 *   <li>Durability before acknowledgement: a granted vote, an append acknowledgement, a candidate's
 *       vote for itself, is on disk.
 *   <li>Certificates ({@link Certificates}): each decision taken on the word of others rests on what
 *       they sent and made durable.
 * </ul>
 */
final class Invariants implements NodeListener {
  /**
   * A majority of {@code m}'s voters, counted here: the checks never take the core's own
   * {@link Membership#quorum()}, which a bug (or a mutant) in the core could make unreachable, and
   * then every check that asks whether progress is owed would see no quorum and pass.
   */
  static int majority(Membership m) {
    return m.voters().size() / 2 + 1;
  }

  private record Fingerprint(long dataHash, long previousTerm) {}

  private final Simulation sim;
  /** Term of the committed entry at each index (1-based; slot 0 unused). */
  private long[] committedTerms = new long[1024];
  private long[] committedHashes = new long[1024];
  /**
   * A term by which each index was known committed: the term of the node that first showed it
   * committed (at least the term of the leader that committed it). Never decreasing with the index.
   */
  private long[] commitTerms = new long[1024];
  /** Highest index whose committed term is known. */
  private long committedKnown;
  /** Leader of each term seen. */
  private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
  /** Content of each (index, term) ever persisted, keyed by index * 2^20 + term. */
  private final Map<Long, Fingerprint> entriesSeen = new HashMap<>();
  /** Sessions' requests known committed: clientId * 2^32 + seq. */
  private final Set<Long> committedRequests = new HashSet<>();
  /** Committed configurations by index; index 0 holds the founding voters. */
  private final java.util.TreeMap<Long, Membership> committedConfigurations = new java.util.TreeMap<>();
  /** Fingerprint of the state machine snapshot at each index any node saved. */
  private final Map<Long, Long> snapshotHashes = new HashMap<>();
  long snapshotsSaved;
  /** Commit index last seen per node in its current incarnation. */
  private final long[] lastCommit;
  long leadersElected;
  long configurationsCommitted;
  private final Certificates certificates;

  Invariants(Simulation sim, int nodes) {
    this.sim = sim;
    this.lastCommit = new long[nodes + 1];
    this.certificates = new Certificates(new SimWorld(sim, this), nodes);
    this.committedConfigurations.put(0L, Membership.ofVoters(
        java.util.stream.IntStream.rangeClosed(1, sim.config().nodes()).boxed().toList()));
  }

  long committedKnown() {
    return committedKnown;
  }

  /** The term of the committed entry at {@code index}, or -1 when it is not known yet. */
  long committedTermAt(long index) {
    return index >= 1 && index <= committedKnown ? committedTerms[(int) index] : -1;
  }

  Certificates certificates() {
    return certificates;
  }

  void nodeStarted(int nodeId) {
    lastCommit[nodeId] = 0;
    certificates.nodeStarted(nodeId);
  }

  /** Runs the per-node checks on the node an event touched. */
  void afterEvent(SimNode n) {
    KvNode node = n.node();
    if (node == null) {
      return;
    }
    node.checkInvariants();
    certificates.afterEvent(n.id, lastCommit[n.id]);
    RaftNode raft = node.raft();
    long commit = raft.commitIndex();
    if (commit < lastCommit[n.id]) {
      sim.violation("commit-monotonic", "node " + n.id + " commit index went from " + lastCommit[n.id] + " to "
          + commit);
      return;
    }
    if (commit > lastCommit[n.id] && raft.role() == Role.LEADER) {
      checkCommitTerm(n.id, raft, commit);
      checkCommitQuorum(n.id, raft, commit);
    }
    lastCommit[n.id] = commit;
    learnCommitted(n.id, raft, commit);
  }

  /**
   * §5.4.2: a leader commits by counting replicas only an entry of its own term (earlier entries
   * commit with it). A leader that counts replicas of an older term's entry can commit an entry a
   * later leader overwrites (Figure 8), a bug the rest of the checks see only in rare schedules.
   */
  private void checkCommitTerm(int leader, RaftNode raft, long commit) {
    long entryTerm = raft.termAt(commit);
    if (entryTerm != -1 && entryTerm != raft.term()) {
      sim.violation("commit-term", "leader " + leader + " of term " + raft.term() + " advanced its commit index to "
          + commit + ", an entry of term " + entryTerm
          + " (§5.4.2: only entries of the leader's term commit by counting replicas)");
    }
  }

  /**
   * A leader's commit must rest on a majority of the voters of the configuration it uses now, each
   * holding the entry durably: a decision made by a stale configuration, or counting learners or
   * removed nodes, fails here (§4.1, §5.4).
   */
  private void checkCommitQuorum(int leader, RaftNode raft, long commit) {
    Membership m = raft.membership();
    long term = raft.termAt(commit);
    int holders = 0;
    for (int v : m.voters().keySet()) {
      SimDisk d = sim.node(v).disk;
      Snapshot snap = d.durableSnapshot();
      if (d.durableTermAt(commit) == term || (snap != null && snap.index() >= commit)) {
        holders++;
      }
    }
    if (holders < majority(m)) {
      sim.violation("commit-quorum", "leader " + leader + " committed index " + commit + " (term " + term
          + ") but only " + holders + " of the voters " + m.voters().keySet() + " hold it durably");
    }
  }

  /** Everything up to {@code commit} on this node is committed: record it, or compare it. */
  private void learnCommitted(int nodeId, RaftNode raft, long commit) {
    if (commit <= committedKnown) {
      long mine = raft.termAt(commit);
      if (commit > 0 && mine != -1 && mine != committedTerms[(int) commit]) {
        sim.violation("state-machine-safety", "node " + nodeId + " has term " + mine + " at committed index "
            + commit + ", but the committed entry there has term " + committedTerms[(int) commit]);
      }
      return;
    }
    if (committedKnown + 1 < raft.firstIndex()) {
      return; // a snapshot covers what we have not seen; the applier or the leader will tell
    }
    for (long i = committedKnown + 1; i <= commit; i++) {
      record(raft.entryAt(i), raft.term());
    }
  }

  private void record(LogEntry e, long observerTerm) {
    if (e.type() == LogEntry.Type.CONFIG) {
      configurationsCommitted++;
      committedConfigurations.put(e.index(), Membership.decode(e.data()));
    } else if (e.type() == LogEntry.Type.COMMAND) {
      Request r = RequestCodec.decode(e.data());
      if (r.hasSession()) {
        committedRequests.add(requestKey(r.clientId(), r.seq()));
      }
    }
    long index = e.index();
    long term = e.term();
    long dataHash = hash(e);
    int i = (int) index;
    if (i >= committedTerms.length) {
      committedTerms = Arrays.copyOf(committedTerms, Math.max(i + 1, committedTerms.length * 2));
      committedHashes = Arrays.copyOf(committedHashes, committedTerms.length);
      commitTerms = Arrays.copyOf(commitTerms, committedTerms.length);
    }
    committedTerms[i] = term;
    committedHashes[i] = dataHash;
    commitTerms[i] = Math.max(commitTerms[i - 1], Math.max(term, observerTerm));
    committedKnown = index;
  }

  @Override
  public void applied(int nodeId, LogEntry entry, Result result) {
    long index = entry.index();
    if (index > committedKnown) {
      // Applying implies committed; entries are applied in order, so this extends the known prefix.
      if (index != committedKnown + 1) {
        sim.violation("state-machine-safety", "node " + nodeId + " applied index " + index + " while only "
            + committedKnown + " entries are known committed");
        return;
      }
      record(entry, sim.node(nodeId).node().raft().term());
      return;
    }
    int i = (int) index;
    if (committedTerms[i] != entry.term() || committedHashes[i] != hash(entry)) {
      sim.violation("state-machine-safety", "node " + nodeId + " applied " + entry + " at index " + index
          + " but another node applied an entry of term " + committedTerms[i] + " there");
    }
  }

  @Override
  public void softStateChanged(int nodeId, Ready.SoftState s) {
    if (s.role() != Role.LEADER) {
      return;
    }
    leadersElected++;
    Integer previous = leaderOfTerm.putIfAbsent(s.term(), nodeId);
    if (previous != null && previous != nodeId) {
      sim.violation("election-safety", "nodes " + previous + " and " + nodeId + " are both leaders of term " + s.term());
      return;
    }
    certificates.leaderElected(nodeId, s.term());
    sim.admin().leaderElected(nodeId);
    // §5.4: an entry committed in some term is in the log of every leader of a later term. A leader
    // of an older term (a stale election completing late) owes nothing to what was committed since.
    RaftNode raft = sim.node(nodeId).node().raft();
    long index = lastCommittedBefore(s.term());
    if (index > 0 && index >= raft.firstIndex() && raft.termAt(index) != committedTerms[(int) index]) {
      sim.violation("leader-completeness", "node " + nodeId + " became leader of term " + s.term()
          + " without entry " + index + " (term " + committedTerms[(int) index] + "), committed by term "
          + commitTerms[(int) index] + "; its log has term " + raft.termAt(index) + " there and ends at "
          + raft.lastIndex());
    }
  }

  /** The highest index known committed by a term before {@code term} (binary search: commit terms never decrease). */
  private long lastCommittedBefore(long term) {
    long lo = 0;
    long hi = committedKnown;
    while (lo < hi) {
      long mid = (lo + hi + 1) >>> 1;
      if (commitTerms[(int) mid] < term) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  @Override
  public void replied(int nodeId, ClientRequest request, ClientReply reply) {}

  /** Snapshots at the same index must be byte for byte the same on every node (deterministic state). */
  @Override
  public void snapshotSaved(int nodeId, Snapshot s) {
    snapshotsSaved++;
    long h = Rng.mix(s.term());
    for (byte b : s.data()) {
      h = Rng.mix(h ^ (b & 0xff));
    }
    // A snapshot carries the configuration in effect at its index: the newest committed one there.
    if (s.index() <= committedKnown && !committedConfigurations.floorEntry(s.index()).getValue().equals(s.membership())) {
      sim.violation("snapshot-certificate", "node " + nodeId + " saved a snapshot at " + s.index() + " with "
          + s.membership() + ", but the configuration in effect there is "
          + committedConfigurations.floorEntry(s.index()).getValue());
    }
    Long seen = snapshotHashes.putIfAbsent(s.index(), h);
    if (seen != null && seen != h) {
      sim.violation("state-machine-safety", "node " + nodeId + " saved a snapshot at index " + s.index()
          + " that differs from another node's snapshot at the same index");
    }
  }

  /**
   * A client was told its write took effect: the write must be committed by now (the node answers
   * only after applying it, and applies only what is committed).
   */
  void writeAcknowledged(long clientId, long seq) {
    if (!committedRequests.contains(requestKey(clientId, seq))) {
      sim.violation("durability", "client " + clientId + " was told request " + seq
          + " took effect, but no committed entry holds it");
    }
  }

  private static long requestKey(long clientId, long seq) {
    return clientId * (1L << 32) + seq;
  }

  /** Log matching, checked inductively on every persisted entry. */
  void entriesPersisted(int nodeId, RaftNode raft, List<LogEntry> entries) {
    long previousTerm = entries.isEmpty() ? 0 : raft.termAt(entries.get(0).index() - 1);
    for (LogEntry e : entries) {
      Fingerprint f = new Fingerprint(hash(e), previousTerm);
      Fingerprint seen = entriesSeen.putIfAbsent(e.index() * (1L << 20) + e.term(), f);
      if (seen != null && !seen.equals(f)) {
        sim.violation("log-matching", "node " + nodeId + " persisted " + e + " after an entry of term "
            + previousTerm + ", but another log has a different entry or predecessor at " + e.index() + "@"
            + e.term());
        return;
      }
      previousTerm = e.term();
    }
  }

  /** The driver's contract: what a message promises is durable before it leaves. */
  void checkDurableBeforeSend(SimNode n, Message m) {
    SimDisk disk = n.disk;
    certificates.messageSent(m);
    switch (m) {
      case Message.RequestVote rv when !rv.preVote() -> {
        HardState d = disk.durableHardState();
        // A campaign that a later term overtook before its batch was written may still go out: harmless.
        if (d.term() < rv.term() || (d.term() == rv.term() && d.votedFor() != rv.from())) {
          sim.violation("durability", "node " + n.id + " asked for votes in term " + rv.term()
              + " before persisting its vote for itself (disk has term " + d.term() + ", vote " + d.votedFor() + ")");
        }
      }
      case Message.VoteResponse vr when vr.granted() && !vr.preVote() -> {
        HardState d = disk.durableHardState();
        if (d.term() < vr.term() || (d.term() == vr.term() && d.votedFor() != vr.to())) {
          sim.violation("durability", "node " + n.id + " granted its vote in term " + vr.term() + " to " + vr.to()
              + " before persisting it (disk has term " + d.term() + ", vote " + d.votedFor() + ")");
        }
      }
      case Message.SnapshotResponse sr when sr.done() -> {
        Snapshot snap = disk.durableSnapshot();
        boolean covered = (snap != null && snap.index() >= sr.index()) || disk.durableLastIndex() >= sr.index();
        if (!covered) {
          sim.violation("durability", "node " + n.id + " acknowledged snapshot " + sr.index()
              + " before holding it durably");
        }
      }
      case Message.AppendResponse ar when ar.success() -> {
        Snapshot snap = disk.durableSnapshot();
        boolean inSnapshot = snap != null && snap.index() >= ar.index();
        if (ar.index() > 0 && !inSnapshot && disk.durableTermAt(ar.index()) != ar.logTerm()) {
          sim.violation("durability", "node " + n.id + " acknowledged entry " + ar.index() + "@" + ar.logTerm()
              + " before it was durable (disk holds " + disk.durableLastIndex() + " entries, term "
              + disk.durableTermAt(ar.index()) + " there)");
        }
      }
      default -> { }
    }
  }

  /** A content fingerprint of an entry (not of its index or term, which are compared separately). */
  static long hash(LogEntry e) {
    return Rng.mix(((long) e.type().ordinal() << 40) ^ ((long) e.data().length << 32)
        ^ (Arrays.hashCode(e.data()) & 0xffffffffL));
  }
}
