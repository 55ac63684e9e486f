package io.raftbed.raft;

import io.raftbed.raft.Message.AppendEntries;
import io.raftbed.raft.Message.AppendResponse;
import io.raftbed.raft.Message.Heartbeat;
import io.raftbed.raft.Message.HeartbeatResponse;
import io.raftbed.raft.Message.InstallSnapshot;
import io.raftbed.raft.Message.RequestVote;
import io.raftbed.raft.Message.SnapshotResponse;
import io.raftbed.raft.Message.TimeoutNow;
import io.raftbed.raft.Message.VoteResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The Raft consensus core: a pure state machine in the style of etcd's raft. It is driven only by
 * {@link #tick()} (its only notion of time), {@link #step(Message)}, proposals and
 * {@link #readIndex(long)}, and it answers with a {@link Ready} batch that says what to persist,
 * send and apply. It never blocks, reads a clock, starts a thread or does I/O; its only randomness
 * (election jitter) comes from the injected generator.
 *
 * <p>Beyond the basic algorithm: pre-vote and check-quorum (§9.6, §6.2), ReadIndex and lease reads
 * (§6.4), snapshots sent in resumable chunks (§7), single-server membership changes with learners
 * (§4.1-4.2), and leadership transfer (§3.10).
 *
 * <p>Threading: not thread-safe; one owner thread calls every method. Ordering: the owner takes at
 * most one {@link Ready} at a time and returns it with {@link #advance(Ready)} after carrying it out
 * as its javadoc says; inputs may keep arriving in between.
 */
public final class RaftNode {
  /** Proposal result: this node is not the leader. */
  public static final long NOT_LEADER = -1;
  /** Proposal result: too many uncommitted entries, or a transfer or configuration change is under way. */
  public static final long BUSY = -2;
  /** Proposal result: the configuration change is not a valid single-server change. */
  public static final long INVALID = -3;

  private final RaftConfig config;
  private final int id;
  private final RandomGenerator random;
  private final RaftLog log;
  private final Configurations configurations;

  private long term;
  private int votedFor;
  private Role role = Role.FOLLOWER;
  private int leaderId;

  /** Ticks since this node started: its only clock. */
  private long now;
  /** With lease reads: the leader may serve reads locally while {@code now < leaseUntilTick}. */
  private long leaseUntilTick;
  /** After a restart a node refuses votes for an election timeout: it may have vouched for a lease. */
  private final long votesRefusedUntilTick;
  /** Ticks since the last election reset (follower, candidate) or check-quorum round (leader). */
  private int electionElapsed;
  private int heartbeatElapsed;
  /** Drawn from [electionTicksMin, electionTicksMax) at every reset (§5.2). */
  private int randomizedElectionTicks;
  /** Votes received in the current (pre-)campaign, by voter; true means granted. */
  private final Map<Integer, Boolean> votes = new TreeMap<>();
  /** The leader's view of every other member (voters and learners); empty unless leader. */
  private final Map<Integer, Progress> progress = new TreeMap<>();
  private final ReadIndexQueue reads;
  /** The leader has new entries that followers in REPLICATE have not been sent yet. */
  private boolean appendsPending;
  /** A leadership transfer in progress: its target (0 for none) and ticks since it started. */
  private int transferTarget;
  private int transferElapsed;

  /** The newest durable snapshot, which the leader sends to followers behind its log; may be null. */
  private Snapshot latestSnapshot;
  private final SnapshotReceiver snapshotReceiver = new SnapshotReceiver();
  /** A snapshot received from the leader, to hand out in the next Ready. */
  private Snapshot snapshotToInstall;

  private final List<Message> outbox = new ArrayList<>();
  private final List<ReadState> readStates = new ArrayList<>();
  private HardState persistedHardState;
  private Ready.SoftState lastSoftState;
  /** Why the soft state last changed; for logs only, never read by the protocol. */
  private String roleReason = "start";
  private Membership lastMembership;
  /** Highest index handed out in {@link Ready#committed()} or by a snapshot. */
  private long committedHandedOut;
  private Ready inflight;
  private final Stats stats = new Stats();

  /** Counters for summaries and metrics. */
  public static final class Stats {
    public long electionsWon;
    public long snapshotsSent;
    public long snapshotsInstalled;
    public long transfersStarted;
    public long configurationsAppended;
  }

  public RaftNode(RaftConfig config, RandomGenerator random, HardState hardState, List<LogEntry> entries) {
    this(config, random, hardState, null, entries);
  }

  /**
   * Starts (or restarts) a node from what its storage recovered.
   *
   * @param hardState the persisted hard state ({@link HardState#EMPTY} on first start)
   * @param snapshot the persisted snapshot, or null
   * @param entries the persisted log entries after the snapshot, contiguous, in index order
   */
  public RaftNode(RaftConfig config, RandomGenerator random, HardState hardState, Snapshot snapshot,
      List<LogEntry> entries) {
    this.config = config;
    this.id = config.id();
    this.random = random;
    long base = snapshot == null ? 0 : snapshot.index();
    this.log = new RaftLog(entries, base, snapshot == null ? 0 : snapshot.term(), hardState.commitIndex());
    this.configurations = new Configurations(base,
        snapshot == null ? Membership.ofVoters(config.voters()) : snapshot.membership());
    for (LogEntry e : entries) {
      if (e.index() > base && e.type() == LogEntry.Type.CONFIG) {
        configurations.append(e.index(), Membership.decode(e.data()));
      }
    }
    this.latestSnapshot = snapshot;
    this.term = hardState.term();
    this.votedFor = hardState.votedFor();
    this.persistedHardState = hardState;
    this.committedHandedOut = log.appliedIndex();
    this.reads = new ReadIndexQueue(config.readsPendingMax());
    // A node that has taken part in some term may have vouched for a leader's lease before it
    // crashed; it keeps that promise for an election timeout after it restarts.
    this.votesRefusedUntilTick = config.checkQuorum() && hardState.term() > 0 ? config.electionTicksMin() : 0;
    resetElectionTimer();
  }

  // ---------------------------------------------------------------- inputs

  /**
   * {@code n} units of time passed at once (a late timer, a paused process). The clock moves by all
   * of them, so a lease expires as it should; the per-tick work runs for at most an election
   * timeout's worth, so a node back from a long pause campaigns (or checks its quorum) once, not
   * once per missed timeout.
   */
  public void tick(long n) {
    if (n <= 0) {
      return;
    }
    long replayed = Math.min(n, config.electionTicksMin());
    now += n - replayed;
    for (long i = 0; i < replayed; i++) {
      tick();
    }
  }

  /** One unit of time passed on this node's clock. */
  public void tick() {
    now++;
    if (role == Role.LEADER) {
      tickLeader();
    } else {
      electionElapsed++;
      if (electionElapsed >= randomizedElectionTicks && mayCampaign()) {
        roleReason = "election timeout: no leader heard from for " + electionElapsed + " ticks";
        campaign(config.preVote(), false);
      }
    }
  }

  /**
   * A voter of its newest configuration campaigns; so does one that an uncommitted configuration
   * removes while the committed one still counts it (dissertation §4.2.2: it votes and counts by the
   * newest configuration, and steps down once that commits). Without this, a removed node holding
   * the only complete log could leave the rest, who still need its vote, without a leader (swarm
   * seeds 5962 and 6410 of the --membership campaign).
   */
  private boolean mayCampaign() {
    return membership().isVoter(id) || configurations.at(log.commitIndex()).isVoter(id);
  }

  private void tickLeader() {
    heartbeatElapsed++;
    electionElapsed++;
    if (transferTarget != 0 && ++transferElapsed >= config.electionTicksMin()) {
      transferTarget = 0; // the target did not take over in time: lead on
    }
    if (electionElapsed >= config.electionTicksMin()) {
      electionElapsed = 0;
      if (config.checkQuorum() && !quorumActive()) {
        roleReason = "check-quorum: no quorum heard from within an election timeout";
        becomeFollower(term, 0); // §6.2: a leader cut off from a quorum steps down
        return;
      }
    }
    if (heartbeatElapsed >= config.heartbeatTicks()) {
      heartbeatElapsed = 0;
      broadcastHeartbeat();
    }
  }

  /**
   * Appends a command if this node is the leader.
   *
   * @return the index the entry will have if it commits, or {@link #NOT_LEADER} or {@link #BUSY}
   */
  public long propose(byte[] command) {
    long refusal = refuseProposal();
    return refusal != 0 ? refusal : append(LogEntry.Type.COMMAND, command);
  }

  /**
   * Proposes the next configuration (§4.1): at most one voter added or removed, learners freely.
   * Refused while an earlier change is uncommitted, and until this leader has committed an entry of
   * its own term (the correction to single-server changes in Ongaro's 2015 note).
   *
   * @return the entry's index, or {@link #NOT_LEADER}, {@link #BUSY} or {@link #INVALID}
   */
  public long proposeMembership(Membership next) {
    long refusal = refuseProposal();
    if (refusal != 0) {
      return refusal;
    }
    if (configurations.latestIndex() > log.commitIndex() || log.term(log.commitIndex()) != term) {
      return BUSY;
    }
    if (next.voterDifference(membership()) > 1 || next.voters().isEmpty()) {
      return INVALID;
    }
    return append(LogEntry.Type.CONFIG, next.encode());
  }

  private long refuseProposal() {
    if (role != Role.LEADER) {
      return NOT_LEADER;
    }
    if (transferTarget != 0 || log.lastIndex() - log.commitIndex() >= config.uncommittedEntriesMax()) {
      return BUSY;
    }
    return 0;
  }

  private long append(LogEntry.Type type, byte[] data) {
    long index = log.lastIndex() + 1;
    log.appendNew(new LogEntry(term, index, type, data));
    if (type == LogEntry.Type.CONFIG) {
      onConfigurationAppended(index, Membership.decode(data));
    }
    appendsPending = true;
    return index;
  }

  /**
   * Hands leadership to {@code target} (§3.10): once its log is caught up, it is told to campaign
   * at once. Proposals are refused meanwhile. Returns false when this node is not the leader or
   * the target is not another voter.
   */
  public boolean transferLeadership(int target) {
    if (role != Role.LEADER || target == id || !membership().isVoter(target)) {
      return false;
    }
    transferTarget = target;
    transferElapsed = 0;
    leaseUntilTick = 0; // the target's campaign overrides followers' lease promises
    stats.transfersStarted++;
    Progress p = progress.get(target);
    if (p.match == log.lastIndex()) {
      send(new TimeoutNow(id, target, term));
    } else {
      sendAppend(target, p);
    }
    return true;
  }

  /**
   * Asks for a linearizable read point (§6.4). On success a {@link ReadState} with {@code readId}
   * appears in a later {@link Ready}; if leadership is lost first, it never does (the driver sees
   * the role change in {@link Ready#softState()} and fails its reads).
   *
   * @return false when this node is not the leader or too many reads are pending
   */
  public boolean readIndex(long readId) {
    if (role != Role.LEADER || reads.isFull()) {
      return false;
    }
    if (log.term(log.commitIndex()) != term) {
      reads.waitForTermCommit(readId);
    } else if (hasLease()) {
      readStates.add(new ReadState(readId, log.commitIndex())); // §6.4.1: no round needed
    } else {
      reads.add(readId, log.commitIndex());
    }
    return true;
  }

  /** Whether this leader holds a read lease now (only with {@link RaftConfig#leaseReads()}). */
  public boolean hasLease() {
    return config.leaseReads() && role == Role.LEADER && transferTarget == 0 && now < leaseUntilTick;
  }

  /** Handles a message from a peer. */
  public void step(Message m) {
    if (m.to() != id) {
      throw new IllegalArgumentException("message for " + m.to() + " delivered to " + id + ": " + m);
    }
    if (m.term() > term) {
      if (!stepHigherTerm(m)) {
        return;
      }
    } else if (m.term() < term) {
      stepLowerTerm(m);
      return;
    }
    switch (m) {
      case RequestVote rv -> handleRequestVote(rv);
      case VoteResponse vr -> handleVoteResponse(vr);
      case AppendEntries ae -> handleAppendEntries(ae);
      case AppendResponse ar -> handleAppendResponse(ar);
      case Heartbeat hb -> handleHeartbeat(hb);
      case HeartbeatResponse hr -> handleHeartbeatResponse(hr);
      case InstallSnapshot is -> handleInstallSnapshot(is);
      case SnapshotResponse sr -> handleSnapshotResponse(sr);
      case TimeoutNow tn -> handleTimeoutNow(tn);
    }
  }

  /** Returns whether to go on handling {@code m} after seeing its higher term. */
  private boolean stepHigherTerm(Message m) {
    if (m instanceof RequestVote rv) {
      boolean inLease = config.checkQuorum()
          && ((leaderId != 0 && electionElapsed < config.electionTicksMin()) || now < votesRefusedUntilTick);
      if (inLease && !rv.transfer()) {
        return false; // §4.2.3: a node that hears from a leader ignores disruptive campaigns
      }
      if (rv.preVote()) {
        return true; // a pre-vote changes no state (§9.6)
      }
    }
    if (m instanceof VoteResponse vr && vr.preVote() && vr.granted()) {
      return true; // carries the term we would campaign in, not a newer leader's
    }
    boolean fromLeader = m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot;
    roleReason = "saw the higher term " + m.term() + " in " + m.getClass().getSimpleName() + " from n" + m.from();
    becomeFollower(m.term(), fromLeader ? m.from() : 0);
    return true;
  }

  private void stepLowerTerm(Message m) {
    switch (m) {
      // A stale leader (say, healed from a partition) learns the new term from the answer and steps
      // down; without this, pre-vote and check-quorum could leave it unaware forever.
      case AppendEntries ae -> send(new AppendResponse(id, ae.from(), term, false, ae.prevLogIndex(), 0, 0));
      case Heartbeat hb -> send(new HeartbeatResponse(id, hb.from(), term, 0, log.lastIndex()));
      case InstallSnapshot is -> send(new SnapshotResponse(id, is.from(), term, is.index(), 0, false));
      case RequestVote rv when rv.preVote() -> send(new VoteResponse(id, rv.from(), term, false, true));
      default -> { } // stale: ignore
    }
  }

  // ---------------------------------------------------------------- elections

  private void campaign(boolean preVote, boolean transfer) {
    long campaignTerm;
    if (preVote) {
      role = Role.PRE_CANDIDATE;
      campaignTerm = term + 1;
    } else {
      role = Role.CANDIDATE;
      term++;
      votedFor = id;
      campaignTerm = term;
    }
    leaderId = 0;
    resetElectionTimer();
    votes.clear();
    votes.put(id, true);
    if (tallyVotes(preVote)) {
      return;
    }
    for (int peer : membership().voters().keySet()) {
      if (peer != id) {
        send(new RequestVote(id, peer, campaignTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
      }
    }
  }

  /** Acts on the votes so far; returns whether the campaign ended. */
  private boolean tallyVotes(boolean preVote) {
    Membership m = membership();
    long granted = votes.entrySet().stream().filter(e -> e.getValue() && m.isVoter(e.getKey())).count();
    long rejected = votes.entrySet().stream().filter(e -> !e.getValue() && m.isVoter(e.getKey())).count();
    if (granted >= m.quorum()) {
      roleReason = (preVote ? "pre-vote" : "vote") + " granted by " + granted + " of " + m.voters().size() + " voters";
      if (preVote) {
        campaign(false, false);
      } else {
        becomeLeader();
      }
      return true;
    }
    if (rejected >= m.quorum()) {
      roleReason = (preVote ? "pre-vote" : "vote") + " refused by " + rejected + " of " + m.voters().size() + " voters";
      becomeFollower(term, 0);
      return true;
    }
    return false;
  }

  private void handleRequestVote(RequestVote rv) {
    // §5.2, §5.4.1: one vote per term, only for a log at least as up-to-date as ours. A pre-vote
    // for a later term is granted on the log alone, since it binds nothing.
    boolean canVote = votedFor == rv.from()
        || (votedFor == HardState.NO_VOTE && leaderId == 0)
        || (rv.preVote() && rv.term() > term);
    boolean grant = canVote && log.isUpToDate(rv.lastLogIndex(), rv.lastLogTerm());
    if (grant && !rv.preVote()) {
      votedFor = rv.from();
      electionElapsed = 0;
    }
    long replyTerm = grant && rv.preVote() ? rv.term() : term;
    send(new VoteResponse(id, rv.from(), replyTerm, grant, rv.preVote()));
  }

  private void handleVoteResponse(VoteResponse vr) {
    boolean expected = vr.preVote() ? role == Role.PRE_CANDIDATE && vr.term() == term + 1
        : role == Role.CANDIDATE && vr.term() == term;
    if (!expected && !(vr.preVote() && role == Role.PRE_CANDIDATE && !vr.granted())) {
      return;
    }
    votes.put(vr.from(), vr.granted());
    tallyVotes(vr.preVote());
  }

  private void handleTimeoutNow(TimeoutNow tn) {
    if (role == Role.FOLLOWER && membership().isVoter(id)) {
      roleReason = "leadership transfer: n" + tn.from() + " handed over";
      campaign(false, true); // the leader handed over: skip pre-vote, override leases (§3.10)
    }
  }

  private void becomeFollower(long newTerm, int leader) {
    if (newTerm > term) {
      term = newTerm;
      votedFor = HardState.NO_VOTE;
    }
    role = Role.FOLLOWER;
    leaderId = leader;
    leaseUntilTick = 0;
    transferTarget = 0;
    progress.clear();
    reads.clear();
    votes.clear();
    appendsPending = false;
    resetElectionTimer();
  }

  private void becomeLeader() {
    role = Role.LEADER;
    leaderId = id;
    stats.electionsWon++;
    votes.clear();
    reads.clear();
    heartbeatElapsed = 0;
    electionElapsed = 0;
    transferTarget = 0;
    progress.clear();
    refreshProgress();
    // §5.4.2, §8: commit an entry of this term so that earlier entries and reads can be decided.
    append(LogEntry.Type.NOOP, null);
    maybeCommit();
  }

  private void resetElectionTimer() {
    electionElapsed = 0;
    randomizedElectionTicks = config.electionTicksMin()
        + random.nextInt(config.electionTicksMax() - config.electionTicksMin());
  }

  // ---------------------------------------------------------------- membership

  /** The configuration this node uses: the newest in its log, committed or not (§4.1). */
  public Membership membership() {
    return configurations.latest();
  }

  /** The configuration in effect at {@code index} (for a snapshot taken there). */
  public Membership membershipAt(long index) {
    return configurations.at(index);
  }

  private void onConfigurationAppended(long index, Membership m) {
    configurations.append(index, m);
    stats.configurationsAppended++;
    if (role == Role.LEADER) {
      refreshProgress();
    }
  }

  /** The leader tracks exactly the other members of the current configuration. */
  private void refreshProgress() {
    Membership m = membership();
    progress.keySet().removeIf(peer -> !m.isMember(peer));
    for (int peer : m.voters().keySet()) {
      addProgress(peer);
    }
    for (int peer : m.learners().keySet()) {
      addProgress(peer);
    }
  }

  private void addProgress(int peer) {
    if (peer != id && !progress.containsKey(peer)) {
      Progress p = new Progress(log.lastIndex() + 1, config.inflightAppendsMax());
      p.recentActive = true;
      progress.put(peer, p);
    }
  }

  // ---------------------------------------------------------------- replication: follower side

  private void handleAppendEntries(AppendEntries ae) {
    acceptLeader(ae.from());
    long commit = log.commitIndex();
    List<LogEntry> entries = ae.entries();
    long prevIndex = ae.prevLogIndex();
    long prevTerm = ae.prevLogTerm();
    if (prevIndex < commit) {
      // Our committed prefix matches any leader's (§5.4.3); only what follows it can be new.
      int skip = (int) Math.min(commit - prevIndex, entries.size());
      if (skip == entries.size()) {
        send(new AppendResponse(id, ae.from(), term, true, commit, 0, log.term(commit)));
        return;
      }
      prevIndex = commit;
      prevTerm = entries.get(skip - 1).term();
      entries = entries.subList(skip, entries.size());
    }
    long lastBefore = log.lastIndex();
    long lastNew = log.maybeAppend(prevIndex, prevTerm, entries);
    if (lastNew < 0) {
      long hint = log.rejectHint(ae.prevLogIndex(), ae.prevLogTerm());
      send(new AppendResponse(id, ae.from(), term, false, ae.prevLogIndex(), hint, 0));
      return;
    }
    long writtenFrom = log.lastWriteFrom();
    if (writtenFrom != Long.MAX_VALUE) {
      trackConfigurations(writtenFrom, entries);
      if (writtenFrom <= lastBefore) {
        // Entries were overwritten before any batch made them durable: acknowledgements of them
        // still waiting in the outbox would vouch for a log this node will never have on disk.
        outbox.removeIf(m -> m instanceof AppendResponse ar && ar.success() && ar.index() >= writtenFrom);
      }
    }
    log.commitTo(Math.min(ae.leaderCommit(), lastNew));
    send(new AppendResponse(id, ae.from(), term, true, lastNew, 0, log.term(lastNew)));
  }

  /** The log was (over)written from {@code from}: configurations follow what the log now holds. */
  private void trackConfigurations(long from, List<LogEntry> written) {
    configurations.truncateFrom(from);
    for (LogEntry e : written) {
      if (e.index() >= from && e.type() == LogEntry.Type.CONFIG) {
        onConfigurationAppended(e.index(), Membership.decode(e.data()));
      }
    }
  }

  private void handleHeartbeat(Heartbeat hb) {
    acceptLeader(hb.from());
    // The leader sends min(match, commit), which our log is known to hold.
    log.commitTo(Math.min(hb.commit(), log.lastIndex()));
    send(new HeartbeatResponse(id, hb.from(), term, hb.readRound(), log.lastIndex()));
  }

  private void handleInstallSnapshot(InstallSnapshot is) {
    acceptLeader(is.from());
    if (is.index() <= log.commitIndex() || log.matchTerm(is.index(), is.snapshotTerm())) {
      // We already hold everything the snapshot covers (§7: keep the log that follows it).
      log.commitTo(Math.min(is.index(), log.lastIndex()));
      send(new SnapshotResponse(id, is.from(), term, is.index(), is.totalBytes(), true));
      return;
    }
    Snapshot complete = snapshotReceiver.accept(is);
    if (complete == null) {
      send(new SnapshotResponse(id, is.from(), term, is.index(), snapshotReceiver.expectedOffset(is), false));
      return;
    }
    // §7: the snapshot supersedes the whole log; it is persisted before the answer goes out.
    log.restore(complete.index(), complete.term());
    configurations.reset(complete.index(), complete.membership());
    snapshotToInstall = complete;
    latestSnapshot = complete;
    committedHandedOut = complete.index();
    stats.snapshotsInstalled++;
    send(new SnapshotResponse(id, is.from(), term, is.index(), is.totalBytes(), true));
  }

  private void acceptLeader(int leader) {
    if (role != Role.FOLLOWER) {
      roleReason = "n" + leader + " won term " + term;
      becomeFollower(term, leader); // a candidate learns that someone won this term (§5.2)
    }
    leaderId = leader;
    electionElapsed = 0;
  }

  // ---------------------------------------------------------------- replication: leader side

  private void handleAppendResponse(AppendResponse ar) {
    Progress p = role == Role.LEADER ? progress.get(ar.from()) : null;
    if (p == null) {
      return;
    }
    p.recentActive = true;
    if (!ar.success()) {
      if (p.maybeDecrease(ar.index(), ar.rejectHint())) {
        sendAppend(ar.from(), p);
      }
      return;
    }
    boolean updated = p.maybeUpdate(ar.index());
    if (p.state == Progress.State.PROBE && (updated || p.match == ar.index())) {
      p.becomeReplicate(); // the probe found where the logs match: stream from here
    }
    if (updated) {
      maybeCommit();
    }
    if (ar.from() == transferTarget && p.match == log.lastIndex()) {
      send(new TimeoutNow(id, ar.from(), term));
    }
    if (p.next <= log.lastIndex()) {
      sendAppend(ar.from(), p);
    }
  }

  private void handleHeartbeatResponse(HeartbeatResponse hr) {
    Progress p = role == Role.LEADER ? progress.get(hr.from()) : null;
    if (p == null) {
      return;
    }
    p.recentActive = true;
    p.onHeartbeatResponse();
    if (hr.readRound() > p.readRoundAcked) {
      p.readRoundAcked = hr.readRound();
      Map<Integer, Long> acks = readAcks();
      reads.confirm(acks, membership().quorum(), readStates);
      extendLease(acks);
    }
    if (p.state == Progress.State.SNAPSHOT) {
      sendSnapshotChunk(hr.from(), p);
    } else if (p.match < log.lastIndex()) {
      sendAppend(hr.from(), p);
    }
  }

  private void handleSnapshotResponse(SnapshotResponse sr) {
    Progress p = role == Role.LEADER ? progress.get(sr.from()) : null;
    if (p == null || p.state != Progress.State.SNAPSHOT || sr.index() != p.snapshotIndex) {
      return;
    }
    p.recentActive = true;
    p.snapshotChunkSent = false;
    if (sr.done()) {
      p.snapshotDone(sr.index());
      sendAppend(sr.from(), p);
      return;
    }
    p.snapshotOffset = sr.nextOffset();
    sendSnapshotChunk(sr.from(), p);
  }

  private void sendAppend(int peer, Progress p) {
    if (p.state == Progress.State.SNAPSHOT) {
      sendSnapshotChunk(peer, p);
      return;
    }
    if (p.isPaused()) {
      return;
    }
    long prevIndex = p.next - 1;
    long prevTerm = log.term(prevIndex);
    if (prevTerm < 0) {
      // §7: the entries this follower needs are compacted; it gets the snapshot instead.
      p.becomeSnapshot(latestSnapshot.index());
      stats.snapshotsSent++;
      sendSnapshotChunk(peer, p);
      return;
    }
    sendEntriesFrom(peer, p, prevIndex, prevTerm);
    // Replicating, fill the window: a follower far behind gets inflightAppendsMax messages per
    // round trip, not one per answer (which would pin its catch-up to the rate of new entries).
    while (p.state == Progress.State.REPLICATE && !p.isPaused() && p.next <= log.lastIndex()) {
      sendEntriesFrom(peer, p, p.next - 1, log.term(p.next - 1));
    }
  }

  private void sendEntriesFrom(int peer, Progress p, long prevIndex, long prevTerm) {
    List<LogEntry> entries = p.next <= log.lastIndex() ? log.slice(p.next, config.appendBytesMax()) : List.of();
    send(new AppendEntries(id, peer, term, prevIndex, prevTerm, entries, log.commitIndex()));
    p.sent(prevIndex + entries.size(), !entries.isEmpty());
  }

  /** Sends the chunk at the follower's offset; one chunk in flight at a time. */
  private void sendSnapshotChunk(int peer, Progress p) {
    if (p.snapshotChunkSent) {
      return;
    }
    if (latestSnapshot.index() != p.snapshotIndex) {
      p.becomeSnapshot(latestSnapshot.index()); // a newer snapshot replaced the one being sent
    }
    byte[] data = latestSnapshot.data();
    int from = (int) Math.min(p.snapshotOffset, data.length);
    int to = Math.min(data.length, from + config.appendBytesMax());
    send(new InstallSnapshot(id, peer, term, latestSnapshot.index(), latestSnapshot.term(),
        latestSnapshot.membership(), data.length, from, Arrays.copyOfRange(data, from, to)));
    p.snapshotChunkSent = true;
  }

  private void broadcastAppends() {
    progress.forEach(this::sendAppend);
  }

  /** §6.4.1: a quorum answered a round, so no other leader can exist until the lease runs out. */
  private void extendLease(Map<Integer, Long> acks) {
    if (!config.leaseReads() || transferTarget != 0) {
      return;
    }
    long[] rounds = acks.values().stream().mapToLong(Long::longValue).sorted().toArray();
    long confirmed = rounds[rounds.length - membership().quorum()];
    long start = reads.startTickOf(confirmed);
    if (start >= 0) {
      leaseUntilTick = Math.max(leaseUntilTick, start + config.leaseTicks());
    }
  }

  private void broadcastHeartbeat() {
    // With leases every heartbeat is a new round, so that answers renew the lease.
    boolean newRound = reads.hasUnsent() || config.leaseReads();
    long round = newRound ? reads.startRound(now) : reads.round();
    progress.forEach((peer, p) -> send(new Heartbeat(id, peer, term, Math.min(p.match, log.commitIndex()), round)));
    if (newRound) {
      // The leader's own answer counts at once: a leader that is a quorum on its own confirms the
      // round here, whether a batch or a heartbeat tick started it (no one else will answer).
      Map<Integer, Long> acks = readAcks();
      reads.confirm(acks, membership().quorum(), readStates);
      extendLease(acks);
    }
  }

  /** §5.3, §5.4.2: commit the highest index a quorum of voters stores, if it is of the current term. */
  private void maybeCommit() {
    Membership m = membership();
    long[] matches = new long[m.voters().size()];
    int i = 0;
    for (int v : m.voters().keySet()) {
      matches[i++] = v == id ? log.stableIndex() : progress.get(v).match;
    }
    Arrays.sort(matches);
    long quorumIndex = matches[matches.length - m.quorum()];
    if (quorumIndex <= log.commitIndex() || log.term(quorumIndex) != term) {
      return;
    }
    boolean firstInTerm = log.term(log.commitIndex()) != term;
    log.commitTo(quorumIndex);
    if (firstInTerm) {
      reads.termCommitted(log.commitIndex());
    }
    if (!m.isVoter(id) && configurations.latestIndex() <= log.commitIndex()) {
      roleReason = "removed from the configuration";
      becomeFollower(term, 0); // §4.2.2: a leader removed from the configuration steps down once it commits
    }
  }

  private boolean quorumActive() {
    Membership m = membership();
    long active = (m.isVoter(id) ? 1 : 0)
        + progress.entrySet().stream().filter(e -> e.getValue().recentActive && m.isVoter(e.getKey())).count();
    progress.values().forEach(p -> p.recentActive = false);
    return active >= m.quorum();
  }

  private Map<Integer, Long> readAcks() {
    Map<Integer, Long> acks = new TreeMap<>();
    for (int v : membership().voters().keySet()) {
      acks.put(v, v == id ? reads.round() : progress.get(v).readRoundAcked);
    }
    return acks;
  }

  private void send(Message m) {
    outbox.add(m);
  }

  // ---------------------------------------------------------------- output

  /** Whether {@link #ready()} has anything to hand out; false while a batch is out. */
  public boolean hasReady() {
    if (inflight != null) {
      return false;
    }
    // Compared field by field: this runs after every input, and must not allocate.
    return !outbox.isEmpty() || !readStates.isEmpty() || appendsPending || reads.hasUnsent()
        || snapshotToInstall != null
        || log.stableIndex() < log.lastIndex()
        || Math.min(log.commitIndex(), log.stableIndex()) > committedHandedOut
        || term != persistedHardState.term() || votedFor != persistedHardState.votedFor()
        || log.commitIndex() != persistedHardState.commitIndex()
        || lastSoftState == null || role != lastSoftState.role() || leaderId != lastSoftState.leaderId()
        || term != lastSoftState.term()
        || membership() != lastMembership;
  }

  /** Takes the next batch; see {@link Ready} for what the caller must do with it. */
  public Ready ready() {
    if (inflight != null) {
      throw new IllegalStateException("ready() called before advance() of the previous batch");
    }
    if (role == Role.LEADER) {
      if (appendsPending) {
        appendsPending = false;
        broadcastAppends();
      }
      if (reads.hasUnsent()) {
        broadcastHeartbeat();
      }
    }
    Ready.SoftState soft = currentSoftState();
    HardState hard = currentHardState();
    List<LogEntry> entries = log.takeUnstableEntries();
    List<LogEntry> committed = log.nextCommitted(committedHandedOut);
    boolean hardChanged = !hard.equals(persistedHardState);
    boolean mustSync = !entries.isEmpty() || snapshotToInstall != null || hard.mustSyncAgainst(persistedHardState);
    Membership m = membership();
    Ready r = new Ready(soft.equals(lastSoftState) ? null : soft, hardChanged ? hard : null, snapshotToInstall,
        entries, outbox, committed, readStates, m == lastMembership ? null : m, mustSync);
    outbox.clear();
    readStates.clear();
    snapshotToInstall = null;
    lastSoftState = soft;
    lastMembership = m;
    if (!committed.isEmpty()) {
      committedHandedOut = committed.get(committed.size() - 1).index();
    }
    inflight = r;
    return r;
  }

  /** The caller carried out {@code r}: its entries and hard state are durable, its entries applied. */
  public void advance(Ready r) {
    if (r != inflight) {
      throw new IllegalStateException("advance() with a batch that is not the one handed out");
    }
    inflight = null;
    if (r.hardState() != null) {
      persistedHardState = r.hardState();
    }
    if (!r.entries().isEmpty()) {
      LogEntry last = r.entries().get(r.entries().size() - 1);
      log.stableTo(last.index(), last.term());
      if (role == Role.LEADER) {
        maybeCommit(); // our own entries now count towards the quorum
      }
    }
    if (!r.committed().isEmpty()) {
      long lastApplied = r.committed().get(r.committed().size() - 1).index();
      // A leader's snapshot installed while this batch was out already moved the applied index past it.
      if (lastApplied > log.appliedIndex()) {
        log.appliedTo(lastApplied);
      }
    }
  }

  /**
   * The driver made a snapshot of the state machine at an applied index durable: the leader sends
   * it to followers that fall behind, and entries up to {@code compactTo} leave memory (the
   * driver keeps some entries after the snapshot so that slightly slow followers need no snapshot).
   */
  public void snapshotTaken(Snapshot s, long compactTo) {
    if (s.index() > log.appliedIndex() || log.term(s.index()) != s.term() && s.index() > log.snapshotIndex()) {
      throw new IllegalArgumentException(s + " does not match the applied log (applied " + log.appliedIndex() + ")");
    }
    if (latestSnapshot == null || s.index() > latestSnapshot.index()) {
      latestSnapshot = s;
    }
    long limit = Math.min(compactTo, s.index());
    if (limit > log.snapshotIndex()) {
      log.compact(limit);
      configurations.compactTo(limit);
    }
  }

  private HardState currentHardState() {
    return new HardState(term, votedFor, log.commitIndex());
  }

  private Ready.SoftState currentSoftState() {
    return new Ready.SoftState(role, leaderId, term);
  }

  // ---------------------------------------------------------------- observation

  public int id() {
    return id;
  }

  public long term() {
    return term;
  }

  public int votedFor() {
    return votedFor;
  }

  /**
   * Why the role, term or leader last changed, in words, for logs (the runtime logs it with each
   * change); "start" before any change.
   */
  public String roleChangeReason() {
    return roleReason;
  }

  public Role role() {
    return role;
  }

  public int leaderId() {
    return leaderId;
  }

  public long commitIndex() {
    return log.commitIndex();
  }

  public long appliedIndex() {
    return log.appliedIndex();
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  public long stableIndex() {
    return log.stableIndex();
  }

  /** The first index still in memory; entries before it are in the snapshot. */
  public long firstIndex() {
    return log.firstIndex();
  }

  /** The term of the entry at {@code index}, or -1 if this node does not hold it. */
  public long termAt(long index) {
    return log.term(index);
  }

  public LogEntry entryAt(long index) {
    return log.entry(index);
  }

  /** The voters of the current configuration. */
  public List<Integer> voters() {
    return List.copyOf(membership().voters().keySet());
  }

  /** The leader's view of how far a peer's log matches, or -1 when not leader or not a member. */
  public long matchIndexOf(int peer) {
    Progress p = progress.get(peer);
    return p == null ? -1 : peer == id ? log.stableIndex() : p.match;
  }

  public int transferTarget() {
    return transferTarget;
  }

  /** Ticks this node has counted since it started: its own clock, for observers that bound its timers. */
  public long clockTicks() {
    return now;
  }

  public Snapshot latestSnapshot() {
    return latestSnapshot;
  }

  public long electionsWon() {
    return stats.electionsWon;
  }

  public Stats stats() {
    return stats;
  }

  public int pendingReads() {
    return reads.size();
  }

  /** Checks local invariants; the simulator calls this after every event. */
  public void checkInvariants() {
    log.checkInvariants();
    if (persistedHardState.term() > term) {
      throw new AssertionError("node " + id + ": term " + term + " below persisted " + persistedHardState.term());
    }
    if (role == Role.LEADER) {
      if (leaderId != id || votedFor != id) {
        throw new AssertionError("node " + id + ": leader of term " + term + " did not vote for itself");
      }
      progress.forEach((peer, p) -> p.checkInvariants(peer));
    } else if (!progress.isEmpty()) {
      throw new AssertionError("node " + id + ": " + role + " keeps leader progress");
    }
    if (committedHandedOut > log.commitIndex() || committedHandedOut > log.stableIndex()) {
      throw new AssertionError("node " + id + ": handed out committed entries up to " + committedHandedOut
          + " beyond commit " + log.commitIndex() + " or stable " + log.stableIndex());
    }
  }

  @Override
  public String toString() {
    return "RaftNode[" + id + " " + role + " term=" + term + " leader=" + leaderId + " last=" + log.lastIndex()
        + " commit=" + log.commitIndex() + " applied=" + log.appliedIndex() + " " + membership() + "]";
  }
}
