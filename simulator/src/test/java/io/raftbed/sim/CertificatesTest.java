package io.raftbed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Message;
import io.raftbed.raft.Role;
import io.raftbed.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each certificate invariant fires on a planted violation (a world whose durable state or messages
 * do not back a node's decision) and stays silent on the same decision properly backed.
 */
class CertificatesTest {
  private static final Membership THREE = Membership.ofVoters(List.of(1, 2, 3));

  /** A node's running state, set by hand. */
  static final class Node implements Certificates.NodeView {
    Role role = Role.FOLLOWER;
    long term;
    int votedFor;
    long commit;
    final TreeMap<Long, LogEntry> log = new TreeMap<>();
    final Map<Integer, Long> match = new TreeMap<>();
    Membership membership = THREE;
    /** Configurations by the index of their entry; the founding one is {@link #membership} when empty. */
    final TreeMap<Long, Membership> configurations = new TreeMap<>();
    long stable;
    Snapshot snapshot;
    long installed;

    Node append(long term, LogEntry.Type type, byte[] data) {
      long index = log.isEmpty() ? 1 : log.lastKey() + 1;
      log.put(index, new LogEntry(term, index, type, data));
      return this;
    }

    Node entries(long... terms) {
      for (long t : terms) {
        append(t, LogEntry.Type.COMMAND, new byte[] {1});
      }
      return this;
    }

    public Role role() {
      return role;
    }

    public long term() {
      return term;
    }

    public int votedFor() {
      return votedFor;
    }

    public long commitIndex() {
      return commit;
    }

    public long firstIndex() {
      return 1;
    }

    public long lastIndex() {
      return log.isEmpty() ? 0 : log.lastKey();
    }

    public long termAt(long index) {
      return index == 0 ? 0 : log.containsKey(index) ? log.get(index).term() : -1;
    }

    public LogEntry entryAt(long index) {
      return log.get(index);
    }

    public long matchIndexOf(int peer) {
      return match.getOrDefault(peer, -1L);
    }

    public Membership membership() {
      return membership;
    }

    public Membership membershipAt(long index) {
      Map.Entry<Long, Membership> e = configurations.floorEntry(index);
      return e == null ? membership : e.getValue();
    }

    public long stableIndex() {
      return stable;
    }

    public Snapshot latestSnapshot() {
      return snapshot;
    }

    public long snapshotsInstalled() {
      return installed;
    }
  }

  /** A disk, set by hand. */
  static final class Disk implements Certificates.DurableView {
    HardState hardState = HardState.EMPTY;
    Snapshot snapshot;
    final TreeMap<Long, Long> terms = new TreeMap<>();

    public HardState hardState() {
      return hardState;
    }

    public Snapshot snapshot() {
      return snapshot;
    }

    public long termAt(long index) {
      return terms.getOrDefault(index, index == 0 ? 0L : -1L);
    }

    public long lastIndex() {
      return terms.isEmpty() ? 0 : terms.lastKey();
    }
  }

  private final Map<Integer, Node> nodes = new TreeMap<>();
  private final Map<Integer, Disk> disks = new TreeMap<>();
  private final Map<Long, Long> committed = new TreeMap<>();
  private final List<String> violations = new ArrayList<>();
  private final Certificates certificates = new Certificates(new Certificates.World() {
    public Certificates.NodeView node(int id) {
      return nodes.get(id);
    }

    public Certificates.DurableView durable(int id) {
      return disks.computeIfAbsent(id, i -> new Disk());
    }

    public long committedTermAt(long index) {
      return committed.getOrDefault(index, -1L);
    }

    public void violation(String kind, String message) {
      violations.add(kind + ": " + message);
    }
  }, 4);

  private Node leader(int id, long term) {
    Node n = new Node();
    n.role = Role.LEADER;
    n.term = term;
    n.votedFor = id;
    nodes.put(id, n);
    return n;
  }

  private void assertFired(String kind) {
    assertEquals(1, violations.size(), "one violation: " + violations);
    assertTrue(violations.get(0).startsWith(kind + ":"), violations.get(0));
  }

  // ---------------------------------------------------------------- votes

  @Test
  void aLeaderWithoutAQuorumOfDurableVotesIsCaught() {
    leader(1, 3);
    certificates.hardStateDurable(1, new HardState(3, 1, 0));
    certificates.hardStateDurable(2, new HardState(3, 3, 0)); // node 2 voted for 3, not for 1
    certificates.leaderElected(1, 3);
    assertFired("vote-certificate");
  }

  @Test
  void aLeaderWithAQuorumOfDurableVotesPasses() {
    leader(1, 3);
    certificates.hardStateDurable(2, new HardState(3, 1, 0)); // its own vote is still in its batch
    certificates.leaderElected(1, 3);
    assertEquals(List.of(), violations);
  }

  @Test
  void aVoteOvertakenByALaterTermCountsOnlyIfItWasSent() {
    leader(1, 3);
    HardState past = new HardState(4, 0, 0); // node 2's disk went from term 2 to 4
    disks.computeIfAbsent(2, i -> new Disk()).hardState = past;
    certificates.hardStateDurable(2, past);
    certificates.leaderElected(1, 3);
    assertFired("vote-certificate");
    violations.clear();
    certificates.messageSent(new Message.VoteResponse(2, 1, 3, true, false));
    certificates.leaderElected(1, 3);
    assertEquals(List.of(), violations);
  }

  @Test
  void aDurableVoteThatChangesWithinItsTermIsCaught() {
    certificates.hardStateDurable(2, new HardState(5, 1, 0));
    certificates.hardStateDurable(2, new HardState(5, 1, 7)); // the commit index moved: fine
    assertEquals(List.of(), violations);
    certificates.hardStateDurable(2, new HardState(5, 3, 7));
    assertFired("vote-certificate");
  }

  // ---------------------------------------------------------------- match

  @Test
  void aMatchIndexNobodyAcknowledgedIsCaught() {
    Node l = leader(1, 2).entries(1, 1, 2);
    l.match.put(2, 3L);
    disks.computeIfAbsent(2, i -> new Disk()).terms.putAll(Map.of(1L, 1L, 2L, 1L, 3L, 2L));
    certificates.afterEvent(1, 0);
    assertFired("match-certificate");
  }

  @Test
  void aMatchIndexRaisedByAnAnswerFromAnEarlierTermIsCaught() {
    Node l = leader(1, 4).entries(1, 1, 4);
    certificates.messageSent(new Message.AppendResponse(2, 1, 2, true, 3, 0, 2)); // acked to 1 when it led term 2
    disks.computeIfAbsent(2, i -> new Disk()).terms.putAll(Map.of(1L, 1L, 2L, 1L, 3L, 2L));
    l.match.put(2, 3L);
    certificates.afterEvent(1, 0);
    assertFired("match-certificate");
  }

  @Test
  void aMatchIndexOverAnEntryTheFollowerDoesNotHoldIsCaught() {
    Node l = leader(1, 2).entries(1, 1, 2);
    certificates.messageSent(new Message.AppendResponse(2, 1, 2, true, 3, 0, 2));
    disks.computeIfAbsent(2, i -> new Disk()).terms.putAll(Map.of(1L, 1L, 2L, 1L, 3L, 1L)); // term 1 at 3
    l.match.put(2, 3L);
    certificates.afterEvent(1, 0);
    assertFired("match-certificate");
  }

  @Test
  void anAcknowledgedDurableMatchPasses() {
    Node l = leader(1, 2).entries(1, 1, 2);
    certificates.messageSent(new Message.AppendResponse(2, 1, 2, true, 3, 0, 2));
    disks.computeIfAbsent(2, i -> new Disk()).terms.putAll(Map.of(1L, 1L, 2L, 1L, 3L, 2L));
    l.match.put(2, 3L);
    certificates.afterEvent(1, 0);
    assertEquals(List.of(), violations);
  }

  // ---------------------------------------------------------------- leader commit

  /** Follower {@code peer} acknowledged, durably, the leader's log up to {@code index}; the leader records it. */
  private void held(Node l, int peer, long index) {
    Disk d = disks.computeIfAbsent(peer, i -> new Disk());
    for (long i = 1; i <= index; i++) {
      d.terms.put(i, l.termAt(i));
    }
    certificates.messageSent(new Message.AppendResponse(peer, 1, l.term, true, index, 0, l.termAt(index)));
    l.match.put(peer, index);
  }

  @Test
  void aLeaderThatDoesNotCommitWhatAQuorumHoldsIsCaught() {
    Node l = leader(1, 2).entries(1, 2, 2);
    l.stable = 3;
    held(l, 2, 3);
    held(l, 3, 1);
    l.commit = 1; // nodes 1 and 2 hold index 3, of this term
    certificates.afterEvent(1, 1);
    assertFired("leader-commit");
    violations.clear();
    l.commit = 3;
    certificates.afterEvent(1, 1);
    assertEquals(List.of(), violations);
  }

  @Test
  void aQuorumOfEntriesFromAnEarlierTermDoesNotCommitByCounting() {
    Node l = leader(1, 3).entries(1, 2, 2); // nothing of term 3 yet (§5.4.2)
    l.stable = 3;
    held(l, 2, 3);
    held(l, 3, 3);
    certificates.afterEvent(1, 1);
    assertEquals(List.of(), violations);
  }

  @Test
  void aLeaderThatJustShrankItsConfigurationNeedsTheOldQuorumToo() {
    Node l = leader(1, 2).entries(1, 2, 2, 2, 2);
    Membership four = Membership.ofVoters(List.of(1, 2, 3, 4));
    l.membership = Membership.ofVoters(List.of(1, 2, 3)); // appended at 5, not committed
    l.configurations.put(0L, four);
    l.configurations.put(5L, l.membership);
    l.stable = 5;
    held(l, 2, 4);
    l.commit = 1;
    // {1, 2} hold 4: a quorum of {1, 2, 3} but not of {1, 2, 3, 4}; the leader commits at the next answer
    certificates.afterEvent(1, 1);
    assertEquals(List.of(), violations);
    held(l, 3, 4); // now three of the four hold 4 as well
    certificates.afterEvent(1, 1);
    assertFired("leader-commit");
  }

  // ---------------------------------------------------------------- configurations

  @Test
  void aConfigurationBeforeTheLeadersFirstCommitIsCaught() {
    Node l = leader(1, 2).entries(1, 1, 2);
    l.commit = 2; // entries of term 1 only: this leader has committed nothing of its own
    l.append(2, LogEntry.Type.CONFIG, Membership.ofVoters(List.of(1, 2)).encode());
    certificates.afterEvent(1, 2);
    assertFired("config-certificate");
  }

  @Test
  void aConfigurationWhileAnotherIsUncommittedIsCaught() {
    Node l = leader(1, 2).entries(1, 2);
    l.commit = 2;
    l.append(2, LogEntry.Type.CONFIG, Membership.ofVoters(List.of(1, 2, 3, 4)).encode());
    certificates.afterEvent(1, 2);
    assertEquals(List.of(), violations, "the first change is fine");
    l.append(2, LogEntry.Type.CONFIG, Membership.ofVoters(List.of(1, 2, 3, 4, 5)).encode());
    certificates.afterEvent(1, 2);
    assertFired("config-certificate");
  }

  // ---------------------------------------------------------------- snapshots

  @Test
  void aSnapshotInstalledBelowTheCommitIndexIsCaught() {
    Node f = new Node().entries(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    nodes.put(2, f);
    f.commit = 8; // restored to the snapshot's index
    f.snapshot = new Snapshot(8, 1, THREE, new byte[0]);
    f.installed = 1;
    certificates.afterEvent(2, 10);
    assertFired("snapshot-certificate");
  }

  @Test
  void aSnapshotOfUncommittedStateIsCaughtAndOneOfCommittedStatePasses() {
    Node f = new Node().entries(1, 1);
    nodes.put(2, f);
    committed.putAll(Map.of(1L, 1L, 2L, 1L, 3L, 2L, 4L, 2L));
    f.snapshot = new Snapshot(4, 2, THREE, new byte[0]);
    f.installed = 1;
    certificates.afterEvent(2, 2);
    assertEquals(List.of(), violations);
    f.snapshot = new Snapshot(4, 3, THREE, new byte[0]); // the committed entry at 4 has term 2
    f.installed = 2;
    certificates.afterEvent(2, 2);
    assertFired("snapshot-certificate");
  }

  // ---------------------------------------------------------------- commits

  @Test
  void aFollowerThatCommitsPastTheEntriesAnAppendCarriedIsCaught() {
    Node f = new Node().entries(1, 1, 1, 1, 1, 1, 1, 1);
    f.term = 2;
    nodes.put(2, f);
    f.commit = 8; // it holds 8 entries, but the append vouched only for 6
    certificates.delivered(2, new Message.AppendEntries(1, 2, 2, 5, 1, List.of(new LogEntry(1, 6, LogEntry.Type.NOOP,
        null)), 9), 5, false);
    assertFired("commit-certificate");
    violations.clear();
    f.commit = 6;
    certificates.delivered(2, new Message.AppendEntries(1, 2, 2, 5, 1, List.of(new LogEntry(1, 6, LogEntry.Type.NOOP,
        null)), 9), 5, false);
    assertEquals(List.of(), violations);
  }

  @Test
  void aFollowerThatCommitsAnEntryTheLeaderDoesNotHoldIsCaught() {
    leader(1, 2).entries(1, 2, 2);
    Node f = new Node().entries(1, 1, 1);
    f.term = 2;
    nodes.put(2, f);
    f.commit = 3;
    certificates.delivered(2, new Message.Heartbeat(1, 2, 2, 3, 0), 1, false);
    assertFired("commit-certificate");
  }

  @Test
  void aHeartbeatCommitBeyondWhatTheFollowerAcknowledgedIsCaught() {
    certificates.messageSent(new Message.AppendResponse(2, 1, 3, true, 4, 0, 3));
    certificates.messageSent(new Message.Heartbeat(1, 2, 3, 4, 0));
    assertEquals(List.of(), violations);
    certificates.messageSent(new Message.Heartbeat(1, 2, 3, 5, 0));
    assertFired("commit-certificate");
  }
}
