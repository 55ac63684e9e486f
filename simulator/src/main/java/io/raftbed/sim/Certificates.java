package io.raftbed.sim;

import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Message;
import io.raftbed.raft.RaftNode;
import io.raftbed.raft.Role;
import io.raftbed.raft.Snapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * Certificate invariants: every decision a node makes on the word of others is checked, at the step
 * it is made, against what those others actually sent or made durable. End-state checks catch a bug
 * when its damage shows, which for bugs in rare interleavings (a response from an earlier term, a
 * configuration proposed right after an election) is seldom; these catch the bug at the step.
 *
 * <ul>
 *   <li>vote: a node that becomes leader of term t has a quorum of its configuration whose durable
 *       vote in t is for it; a durable vote never changes within its term;
 *   <li>match: when a leader's match index for a follower rises to i, the follower acknowledged i
 *       (or more) to this leader in this term, and its durable log holds the leader's entry at i;
 *   <li>configuration: a leader appends a configuration entry only once it has committed an entry
 *       of its own term, and only when the previous configuration entry is committed;
 *   <li>snapshot: a follower installs a leader's snapshot only above its commit index, and only of
 *       the committed entry at that index;
 *   <li>leader commit: after each event a leader's commit index has reached every index of its
 *       term that a quorum of voters holds by its own record (match indexes, and its own durable
 *       log); in Raft's words, "if there exists an N such that N > commitIndex, a majority of
 *       matchIndex[i] >= N, and log[N].term == currentTerm: set commitIndex = N" (Figure 2), taken
 *       as soon as the leader learns it. While a configuration change is uncommitted the quorum
 *       must hold in both the old and the new configuration: a leader that shrinks its
 *       configuration commits what the smaller quorum holds at its next acknowledgement, not when it
 *       appends the change;
 *   <li>commit: a follower's commit index rises only as far as the message it handles vouches
 *       (an append: its leader commit, capped at the last entry it carried; a heartbeat: its commit;
 *       a snapshot: its index), onto the sender's own entry; a heartbeat vouches only for what the
 *       follower acknowledged in this term.
 * </ul>
 *
 * <p>Checks only: they read the world and never change it, so a run's events and digest are the
 * same with or without them. Single-threaded, one per {@link Simulation}.
 */
final class Certificates {
  /** What a certificate check may read of one node's running state (a view of its {@link RaftNode}). */
  interface NodeView {
    Role role();
    long term();
    int votedFor();
    long commitIndex();
    long firstIndex();
    long lastIndex();
    /** The term at {@code index}, or -1 when the node does not hold it. */
    long termAt(long index);
    LogEntry entryAt(long index);
    /** The leader's match index of {@code peer}, or -1 when it tracks none. */
    long matchIndexOf(int peer);
    Membership membership();
    /** The configuration in effect at {@code index} (the newest configuration entry at or below it). */
    Membership membershipAt(long index);
    /** How far the node's own log is durable. */
    long stableIndex();
    Snapshot latestSnapshot();
    long snapshotsInstalled();
  }

  /** What a node has made durable. */
  interface DurableView {
    HardState hardState();
    Snapshot snapshot();
    /** The term of the durable entry at {@code index} (the snapshot's at its index), or -1. */
    long termAt(long index);
    long lastIndex();
  }

  /** The world the checks read and report to. */
  interface World {
    /** The running node {@code id}, or null when it is down. */
    NodeView node(int id);
    DurableView durable(int id);
    /** The term of the committed entry at {@code index}, or -1 when not known. */
    long committedTermAt(long index);
    void violation(String kind, String message);
  }

  /** A {@link NodeView} of a running core. */
  static NodeView view(RaftNode r) {
    return new NodeView() {
      public Role role() {
        return r.role();
      }

      public long term() {
        return r.term();
      }

      public int votedFor() {
        return r.votedFor();
      }

      public long commitIndex() {
        return r.commitIndex();
      }

      public long firstIndex() {
        return r.firstIndex();
      }

      public long lastIndex() {
        return r.lastIndex();
      }

      public long termAt(long index) {
        return r.termAt(index);
      }

      public LogEntry entryAt(long index) {
        return r.entryAt(index);
      }

      public long matchIndexOf(int peer) {
        return r.matchIndexOf(peer);
      }

      public Membership membership() {
        return r.membership();
      }

      public Membership membershipAt(long index) {
        return r.membershipAt(index);
      }

      public long stableIndex() {
        return r.stableIndex();
      }

      public Snapshot latestSnapshot() {
        return r.latestSnapshot();
      }

      public long snapshotsInstalled() {
        return r.stats().snapshotsInstalled;
      }
    };
  }

  private final World sim;
  /** Durable vote of each (node, term), keyed by node * 2^40 + term. */
  private final Map<Long, Integer> durableVotes = new HashMap<>();
  /** Granted (not pre-) votes sent, by (voter, term) as for {@link #durableVotes}. */
  private final Map<Long, Integer> votesSent = new HashMap<>();
  /**
   * {@code [follower][leader]}: the term of the follower's latest acknowledgement to that leader, and
   * the highest index it vouched for in that term.
   */
  private final long[][] ackTerm;
  private final long[][] ackIndex;
  /** {@code [leader]}: the term whose match indexes {@code lastMatch[leader]} tracks. */
  private final long[] matchTerm;
  private final long[][] lastMatch;
  /** Last log index seen on each node, to find the entries a leader appended in an event. */
  private final long[] lastIndexSeen;
  /** Snapshots installed by each node's current incarnation, as its core counts them. */
  private final long[] installedSeen;

  Certificates(World world, int machines) {
    this.sim = world;
    this.ackTerm = new long[machines + 1][machines + 1];
    this.ackIndex = new long[machines + 1][machines + 1];
    this.matchTerm = new long[machines + 1];
    this.lastMatch = new long[machines + 1][machines + 1];
    this.lastIndexSeen = new long[machines + 1];
    this.installedSeen = new long[machines + 1];
  }

  void nodeStarted(int id) {
    matchTerm[id] = -1;
    lastIndexSeen[id] = 0;
    installedSeen[id] = 0;
  }

  // ---------------------------------------------------------------- votes

  /** A hard state reached {@code node}'s disk. */
  void hardStateDurable(int node, HardState hs) {
    if (hs.votedFor() == HardState.NO_VOTE) {
      Integer before = durableVotes.get(voteKey(node, hs.term()));
      if (before != null) {
        sim.violation("vote-certificate", "node " + node + " durably voted for " + before + " in term " + hs.term()
            + ", then its disk says it voted for no one in that term");
      }
      return;
    }
    Integer before = durableVotes.put(voteKey(node, hs.term()), hs.votedFor());
    if (before != null && before != hs.votedFor()) {
      sim.violation("vote-certificate", "node " + node + " durably voted for " + before + " and then for "
          + hs.votedFor() + " in term " + hs.term());
    }
  }

  /** §5.2: a leader of term {@code term} rests on a quorum of durable votes for it in that term. */
  void leaderElected(int leader, long term) {
    NodeView raft = sim.node(leader);
    Membership m = raft.membership();
    int votes = 0;
    StringBuilder seen = new StringBuilder();
    for (int v : m.voters().keySet()) {
      Integer vote = durableVotes.get(voteKey(v, term));
      Integer sent = votesSent.get(voteKey(v, term));
      // Its own vote is persisted in the batch that announces the leadership, before any message.
      // A voter whose vote was overtaken by a later term before its batch was written has no
      // durable vote in this term, but its disk is past it: it can vote for no one else in it.
      boolean forIt = (vote != null && vote == leader)
          || (v == leader && raft.term() == term && raft.votedFor() == leader)
          || (vote == null && sent != null && sent == leader && sim.durable(v).hardState().term() > term);
      votes += forIt ? 1 : 0;
      seen.append(' ').append(v).append('=').append(vote == null ? "-" : vote);
    }
    if (votes < Invariants.majority(m)) {
      sim.violation("vote-certificate", "node " + leader + " became leader of term " + term + " with " + votes
          + " durable votes for it among the voters " + m.voters().keySet() + " (quorum " + Invariants.majority(m)
          + "; durable votes in that term:" + seen + ")");
    }
  }

  private static long voteKey(int node, long term) {
    return node * (1L << 40) + term;
  }

  // ---------------------------------------------------------------- messages

  /** A node sends {@code m}: record what an acknowledgement vouches for, and check what a heartbeat vouches for. */
  void messageSent(Message m) {
    switch (m) {
      case Message.AppendResponse ar when ar.success() -> acknowledged(ar.from(), ar.to(), ar.term(), ar.index());
      case Message.SnapshotResponse sr when sr.done() -> acknowledged(sr.from(), sr.to(), sr.term(), sr.index());
      case Message.VoteResponse vr when vr.granted() && !vr.preVote() ->
          votesSent.put(voteKey(vr.from(), vr.term()), vr.to());
      case Message.Heartbeat hb -> {
        boolean acked = ackTerm[hb.to()][hb.from()] == hb.term() && ackIndex[hb.to()][hb.from()] >= hb.commit();
        if (hb.commit() > 0 && !acked) {
          sim.violation("commit-certificate", "leader " + hb.from() + " of term " + hb.term() + " told " + hb.to()
              + " to commit up to " + hb.commit() + " by heartbeat, but " + hb.to() + " acknowledged only "
              + (ackTerm[hb.to()][hb.from()] == hb.term() ? "up to " + ackIndex[hb.to()][hb.from()] : "nothing")
              + " to it in that term");
        }
      }
      default -> { }
    }
  }

  private void acknowledged(int follower, int leader, long term, long index) {
    if (ackTerm[follower][leader] != term) {
      ackTerm[follower][leader] = term;
      ackIndex[follower][leader] = index;
    } else {
      ackIndex[follower][leader] = Math.max(ackIndex[follower][leader], index);
    }
  }

  /**
   * {@code node} handled {@code m}; its commit index was {@code commitBefore}. A follower's commit
   * rises only as far as the message vouches, onto entries the sender holds too.
   */
  void delivered(int id, Message m, long commitBefore, boolean wasLeader) {
    NodeView raft = sim.node(id);
    if (raft == null) {
      return;
    }
    long commit = raft.commitIndex();
    if (commit <= commitBefore || wasLeader || raft.role() == Role.LEADER) {
      // A leader's commits (also the last one of a removed leader, which then steps down) are
      // checked by the commit-term and commit-quorum invariants.
      return;
    }
    long vouched = switch (m) {
      case Message.AppendEntries ae -> Math.min(ae.leaderCommit(), ae.lastIndex());
      case Message.Heartbeat hb -> hb.commit();
      case Message.InstallSnapshot is -> is.index();
      default -> 0;
    };
    if (commit > vouched) {
      sim.violation("commit-certificate", "node " + id + " raised its commit index from " + commitBefore + " to "
          + commit + " on " + m.getClass().getSimpleName() + " from " + m.from() + " in term " + m.term()
          + ", which vouches only for " + vouched + " (its log ends at " + raft.lastIndex() + ")");
      return;
    }
    NodeView sender = sim.node(m.from());
    if (sender != null && sender.term() == m.term() && sender.role() == Role.LEADER) {
      long theirs = sender.termAt(commit);
      if (theirs != -1 && theirs != raft.termAt(commit) && raft.termAt(commit) != -1) {
        sim.violation("commit-certificate", "node " + id + " committed index " + commit + " holding an entry of term "
            + raft.termAt(commit) + ", but leader " + m.from() + " of term " + m.term() + " has term " + theirs
            + " there");
      }
    }
  }

  // ---------------------------------------------------------------- per event

  /** Runs on the node an event touched, before the per-node invariants update their view of it. */
  void afterEvent(int id, long commitBefore) {
    NodeView raft = sim.node(id);
    if (raft == null) {
      return;
    }
    checkSnapshotInstalled(id, raft, commitBefore);
    if (raft.role() == Role.LEADER) {
      checkMatches(id, raft);
      checkConfigurationsAppended(id, raft);
      checkLeaderCommit(id, raft);
    } else {
      matchTerm[id] = -1;
    }
    lastIndexSeen[id] = raft.lastIndex();
  }

  private void checkMatches(int leader, NodeView raft) {
    long term = raft.term();
    if (matchTerm[leader] != term) {
      matchTerm[leader] = term;
      java.util.Arrays.fill(lastMatch[leader], 0);
    }
    for (int peer = 1; peer < lastMatch[leader].length; peer++) {
      if (peer == leader) {
        continue;
      }
      long match = raft.matchIndexOf(peer);
      if (match > lastMatch[leader][peer] && match > 0) {
        checkMatch(leader, raft, peer, match);
      }
      lastMatch[leader][peer] = Math.max(0, match); // a follower dropped and added again starts over
    }
  }

  private void checkMatch(int leader, NodeView raft, int peer, long match) {
    long term = raft.term();
    if (ackTerm[peer][leader] != term || ackIndex[peer][leader] < match) {
      sim.violation("match-certificate", "leader " + leader + " of term " + term + " raised its match index of "
          + peer + " to " + match + ", but " + peer + " acknowledged "
          + (ackTerm[peer][leader] == term ? "only up to " + ackIndex[peer][leader] : "nothing")
          + " to it in that term" + (ackTerm[peer][leader] != 0 && ackTerm[peer][leader] != term
              ? " (its latest acknowledgement to it is of term " + ackTerm[peer][leader] + ")" : ""));
      return;
    }
    DurableView disk = sim.durable(peer);
    Snapshot snap = disk.snapshot();
    long expected = raft.termAt(match);
    if (expected == -1) {
      expected = sim.committedTermAt(match);
    }
    boolean holds = (snap != null && snap.index() >= match) || expected == -1 || disk.termAt(match) == expected
        || disk.hardState().term() > term; // it moved on to a newer leader, which may overwrite
    if (!holds) {
      sim.violation("match-certificate", "leader " + leader + " of term " + term + " raised its match index of "
          + peer + " to " + match + " (its entry there has term " + expected + "), but " + peer
          + "'s disk holds term " + disk.termAt(match) + " there and ends at " + disk.lastIndex());
    }
  }

  /** Figure 2's commit rule, applied as soon as the leader's own record shows a quorum (see the class comment). */
  private void checkLeaderCommit(int leader, NodeView raft) {
    long commit = raft.commitIndex();
    long quorumIndex = Math.min(quorumIndex(leader, raft, raft.membership()),
        quorumIndex(leader, raft, raft.membershipAt(commit)));
    if (quorumIndex > commit && raft.termAt(quorumIndex) == raft.term()) {
      sim.violation("leader-commit", "leader " + leader + " of term " + raft.term() + " has a quorum of "
          + raft.membership() + " holding its entries up to " + quorumIndex + " by its own record (match indexes "
          + matches(leader, raft, raft.membership()) + "), but its commit index is still " + commit);
    }
  }

  /** The highest index a quorum of {@code m}'s voters holds by the leader's record (0 for voters it does not track). */
  private static long quorumIndex(int leader, NodeView raft, Membership m) {
    long[] held = m.voters().keySet().stream().mapToLong(v -> held(leader, raft, v)).sorted().toArray();
    return held.length == 0 ? 0 : held[held.length - Invariants.majority(m)];
  }

  private static long held(int leader, NodeView raft, int voter) {
    return voter == leader ? raft.stableIndex() : Math.max(0, raft.matchIndexOf(voter));
  }

  private static String matches(int leader, NodeView raft, Membership m) {
    StringBuilder sb = new StringBuilder();
    for (int v : m.voters().keySet()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(v).append('=').append(held(leader, raft, v));
    }
    return sb.toString();
  }

  /** §4.1 with Ongaro's correction: one uncommitted configuration at a time, after a commit of this term. */
  private void checkConfigurationsAppended(int leader, NodeView raft) {
    long from = Math.max(lastIndexSeen[leader] + 1, raft.firstIndex());
    for (long i = from; i <= raft.lastIndex(); i++) {
      LogEntry e = raft.entryAt(i);
      if (e.type() != LogEntry.Type.CONFIG || e.term() != raft.term()) {
        continue;
      }
      long commit = raft.commitIndex();
      if (raft.termAt(commit) != raft.term()) {
        sim.violation("config-certificate", "leader " + leader + " of term " + raft.term()
            + " appended a configuration at " + i + " before committing an entry of its term (commit " + commit
            + " has term " + raft.termAt(commit) + ")");
        return;
      }
      long previous = previousConfiguration(raft, i);
      if (previous > commit) {
        sim.violation("config-certificate", "leader " + leader + " of term " + raft.term()
            + " appended a configuration at " + i + " while the one at " + previous + " is uncommitted (commit "
            + commit + ")");
        return;
      }
    }
  }

  /** The index of the configuration entry before {@code index} in the log, or 0 when the snapshot holds it. */
  private static long previousConfiguration(NodeView raft, long index) {
    for (long i = index - 1; i >= raft.firstIndex(); i--) {
      if (raft.entryAt(i).type() == LogEntry.Type.CONFIG) {
        return i;
      }
    }
    return 0;
  }

  /** §7: a leader's snapshot replaces only what lies above the commit index, with committed state. */
  private void checkSnapshotInstalled(int id, NodeView raft, long commitBefore) {
    long installed = raft.snapshotsInstalled();
    if (installed == installedSeen[id]) {
      return;
    }
    installedSeen[id] = installed;
    Snapshot s = raft.latestSnapshot();
    if (s.index() <= commitBefore) {
      sim.violation("snapshot-certificate", "node " + id + " installed a leader's snapshot at " + s.index()
          + ", not above its commit index " + commitBefore);
      return;
    }
    long committed = sim.committedTermAt(s.index());
    if (committed != -1 && committed != s.term()) {
      sim.violation("snapshot-certificate", "node " + id + " installed a snapshot at " + s.index() + "@" + s.term()
          + ", but the committed entry there has term " + committed);
    }
  }
}
