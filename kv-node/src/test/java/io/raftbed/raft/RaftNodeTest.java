package io.raftbed.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.raft.Message.AppendEntries;
import io.raftbed.raft.Message.RequestVote;
import io.raftbed.raft.Message.VoteResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Unit tests of the consensus core; each names the section of the Raft paper (or dissertation) it checks. */
class RaftNodeTest {

  @Test
  @DisplayName("§5.2: a follower that hears nothing campaigns, and wins with a majority of votes")
  void electionByMajority() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    assertEquals(Role.CANDIDATE, c.node(1).role());
    assertEquals(1, c.node(1).term());
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(1, c.node(2).leaderId());
    assertEquals(1, c.node(3).leaderId());
  }

  @Test
  @DisplayName("§5.2: a node grants at most one vote per term")
  void oneVotePerTerm() {
    RaftNode n = new RaftNode(RaftConfig.defaults(1, List.of(1, 2, 3)), new SplittableRandom(1), HardState.EMPTY,
        List.of());
    n.step(new RequestVote(2, 1, 1, 0, 0, false, false));
    n.step(new RequestVote(3, 1, 1, 0, 0, false, false));
    Ready r = n.ready();
    List<VoteResponse> votes = r.messages().stream().map(m -> (VoteResponse) m).toList();
    assertTrue(votes.get(0).granted(), "first candidate gets the vote");
    assertFalse(votes.get(1).granted(), "second candidate in the same term is refused");
    assertEquals(2, r.hardState().votedFor(), "the vote is in the hard state to persist");
    assertTrue(r.mustSync(), "a vote must be fsynced before the reply goes out");
  }

  @Test
  @DisplayName("§5.4.1: a node refuses its vote to a candidate whose log is less up-to-date")
  void electionRestriction() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliverAll();
    c.propose(1, "x");
    c.deliverAll();
    // Node 3 misses the next entry; it must then not win against the others' longer logs.
    c.isolate(3);
    c.propose(1, "y");
    c.deliverAll();
    c.heal();
    c.isolate(1);
    c.campaign(3);
    c.deliverAll();
    assertNotEquals(Role.LEADER, c.node(3).role(), "a stale log must not win");
    c.campaign(2);
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(2).role(), "the up-to-date node wins");
  }

  @Test
  @DisplayName("§5.3: the leader repairs a follower's conflicting suffix")
  void logRepair() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliverAll();
    c.isolate(1);
    c.propose(1, "lost-1"); // uncommitted entries of term 1 that only node 1 holds
    c.propose(1, "lost-2");
    c.campaign(2);
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(2).role());
    c.propose(2, "kept");
    c.deliverAll();
    c.heal();
    c.tick(2, 2); // heartbeat: node 1 learns the new term and gets repaired
    c.deliverAll();
    RaftNode old = c.node(1);
    assertEquals(c.node(2).lastIndex(), old.lastIndex());
    for (long i = 1; i <= old.lastIndex(); i++) {
      assertEquals(c.node(2).termAt(i), old.termAt(i), "entry " + i + " repaired");
    }
    assertEquals("kept", text(old.entryAt(old.lastIndex())));
  }

  @Test
  @DisplayName("§5.4.2: a leader does not commit an entry of an earlier term by counting replicas")
  void commitOnlyCurrentTerm() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliverAll();
    c.isolate(2);
    c.isolate(3);
    c.propose(1, "old"); // index 2 of term 1 on node 1 only
    long commitBefore = c.node(1).commitIndex();
    c.heal();
    // Node 1 restarts and campaigns in term 2; a quorum will then hold index 2 (term 1) but
    // it may only be committed together with an entry of term 2.
    c.start(1);
    c.campaign(1);
    // Deliver votes but hold back appends so that only the old entry is replicated first.
    c.deliver(m -> !(m instanceof AppendEntries));
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(commitBefore, c.node(1).commitIndex(), "nothing new committed before replication");
    c.deliverAll();
    long commit = c.node(1).commitIndex();
    assertEquals(c.node(1).lastIndex(), commit, "committed once the term-2 no-op is replicated");
    assertEquals(2, c.node(1).termAt(commit), "the commit point is an entry of the current term");
  }

  @Test
  @DisplayName("Ready contract: committed entries are durable locally and handed out once, in order")
  void committedEntriesAreDurableAndOrdered() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliverAll();
    for (int i = 0; i < 5; i++) {
      c.propose(1, "v" + i);
    }
    c.deliverAll();
    c.tick(1, 2);
    c.deliverAll();
    for (int id = 1; id <= 3; id++) {
      List<LogEntry> applied = c.applied.get(id);
      assertEquals(6, applied.size(), "node " + id + " applied the no-op and five commands");
      for (int i = 0; i < applied.size(); i++) {
        assertEquals(i + 1, applied.get(i).index());
        assertTrue(c.disks.get(id).log.size() >= applied.get(i).index(), "applied entries are on disk");
      }
    }
  }

  @Test
  @DisplayName("§6.4: a ReadIndex read is released only after a quorum confirms leadership")
  void readIndexNeedsQuorum() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliverAll();
    assertTrue(c.node(1).readIndex(42));
    c.flush();
    assertTrue(c.reads.get(1).isEmpty(), "not confirmed before the heartbeat round");
    c.deliverAll();
    assertEquals(1, c.reads.get(1).size());
    assertEquals(42, c.reads.get(1).get(0).readId());
    assertEquals(c.node(1).commitIndex(), c.reads.get(1).get(0).index());

    c.isolate(1);
    assertTrue(c.node(1).readIndex(43));
    c.deliverAll();
    assertEquals(1, c.reads.get(1).size(), "an isolated leader cannot confirm a read");
  }

  @Test
  @DisplayName("§6.4: a new leader serves reads only after committing an entry of its term")
  void readIndexWaitsForTermCommit() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliver(m -> !(m instanceof AppendEntries));
    assertEquals(Role.LEADER, c.node(1).role());
    assertTrue(c.node(1).readIndex(7));
    c.deliver(m -> !(m instanceof AppendEntries));
    assertTrue(c.reads.get(1).isEmpty(), "no read before the no-op commits");
    c.deliverAll();
    c.tick(1, 2);
    c.deliverAll();
    assertEquals(1, c.reads.get(1).size());
    assertEquals(2 - 1, c.reads.get(1).get(0).index(), "read index is the term's first commit");
  }

  @Test
  @DisplayName("§9.6: with pre-vote, a partitioned node does not inflate its term")
  void preVoteKeepsTerm() {
    TestCluster c = new TestCluster(3, true);
    c.campaign(1); // a pre-vote round, then the real election, all in one delivery
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(1).role());
    long term = c.node(1).term();
    c.isolate(3);
    for (int i = 0; i < 5; i++) {
      c.campaign(3);
      c.deliverAll();
    }
    assertEquals(term, c.node(3).term(), "pre-votes do not bump the term");
    c.heal();
    c.tick(1, 2);
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(1).role(), "the rejoining node does not depose the leader");
    assertEquals(term, c.node(1).term());
  }

  @Test
  @DisplayName("§6.2 (check-quorum): a leader that hears from no quorum steps down")
  void checkQuorumStepsDown() {
    TestCluster c = new TestCluster(3, true);
    c.campaign(1); // a pre-vote round, then the real election, all in one delivery
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(1).role());
    c.isolate(1);
    c.tick(1, 25);
    assertEquals(Role.FOLLOWER, c.node(1).role());
  }

  @Test
  @DisplayName("§5.3: a proposal on a follower is refused, and the leader bounds uncommitted entries")
  void proposalLimits() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliverAll();
    assertEquals(RaftNode.NOT_LEADER, c.node(2).propose(new byte[] {1}));
    c.isolate(1);
    long last = 0;
    int accepted = 0;
    while (last != RaftNode.BUSY && accepted < 20_000) {
      last = c.node(1).propose(new byte[] {2});
      accepted++;
    }
    assertEquals(RaftNode.BUSY, last, "back-pressure once the uncommitted limit is reached");
  }

  @Test
  @DisplayName("§5.1: a restarted node keeps its term, vote and log")
  void restartKeepsHardState() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliverAll();
    c.propose(1, "a");
    c.deliverAll();
    long term = c.node(2).term();
    long last = c.node(2).lastIndex();
    c.start(2);
    assertEquals(term, c.node(2).term());
    assertEquals(1, c.node(2).votedFor());
    assertEquals(last, c.node(2).lastIndex());
  }

  @Test
  @DisplayName("§5.1: an acknowledgement of entries overwritten before they were persisted is withdrawn")
  void acknowledgementOfOverwrittenEntriesIsWithdrawn() {
    RaftNode n = new RaftNode(RaftConfig.defaults(3, List.of(1, 2, 3)), new SplittableRandom(3), HardState.EMPTY,
        List.of());
    byte[] x = {1};
    // Term 1's leader appends an entry; before any batch is persisted, term 2's leader overwrites it.
    n.step(new AppendEntries(1, 3, 1, 0, 0, List.of(new LogEntry(1, 1, LogEntry.Type.COMMAND, x)), 0));
    n.step(new AppendEntries(2, 3, 2, 0, 0, List.of(new LogEntry(2, 1, LogEntry.Type.COMMAND, x)), 0));
    Ready r = n.ready();
    List<Message.AppendResponse> acks = r.messages().stream().filter(m -> m instanceof Message.AppendResponse)
        .map(m -> (Message.AppendResponse) m).toList();
    assertEquals(1, acks.size(), "only the acknowledgement of what will be persisted remains: " + acks);
    assertEquals(2, acks.get(0).to());
    assertEquals(2, acks.get(0).logTerm(), "it vouches for the entry of term 2");
    assertEquals(2, r.entries().get(0).term());
  }

  private static String text(LogEntry e) {
    return new String(e.data(), StandardCharsets.UTF_8);
  }
}
