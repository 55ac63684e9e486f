package io.raftbed.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * ReadIndex reads (§6.4) whose heartbeat round starts on a tick rather than in {@link RaftNode#ready()},
 * and reads after the log was compacted. A real node hands a read to Raft, then drives the batch a
 * moment later; a heartbeat tick that falls in between starts the read's round. A leader that is a
 * quorum on its own gets no answer to that round, so it must confirm the round itself.
 */
class ReadIndexRoundTest {

  /** A one-voter cluster whose node leads and has committed its no-op. */
  private static TestCluster singleVoterLeader(boolean leaseReads) {
    TestCluster c = new TestCluster(1, true, leaseReads);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(c.node(1).term(), c.node(1).termAt(c.node(1).commitIndex()), "the no-op of the term committed");
    return c;
  }

  private static Snapshot snapshotAtApplied(RaftNode n) {
    long applied = n.appliedIndex();
    return new Snapshot(applied, n.termAt(applied), n.membershipAt(applied), new byte[] {1});
  }

  /** Ticks until the leader's next heartbeat, taking no batch in between (TestCluster beats every 2 ticks). */
  private static void heartbeatBeforeTheBatch(RaftNode n) {
    for (int i = 0; i < 2; i++) {
      n.tick();
    }
  }

  @Test
  @DisplayName("§6.4: a single voter confirms a read whose round a heartbeat tick started before the batch")
  void singleVoterConfirmsARoundStartedByAHeartbeat() {
    TestCluster c = singleVoterLeader(false);
    RaftNode n = c.node(1);
    assertTrue(n.readIndex(9));
    heartbeatBeforeTheBatch(n); // it starts the read's round
    c.flush();
    assertEquals(List.of(new ReadState(9, n.commitIndex())), c.reads.get(1), "confirmed without a new write");
    assertEquals(0, n.pendingReads());
  }

  @Test
  @DisplayName("§6.4.1: with lease reads on, every heartbeat is a round; a single voter still confirms its reads")
  void singleVoterWithLeaseReadsConfirmsARoundStartedByAHeartbeat() {
    TestCluster c = singleVoterLeader(true);
    RaftNode n = c.node(1);
    assertTrue(n.readIndex(11));
    heartbeatBeforeTheBatch(n);
    c.flush();
    assertEquals(List.of(new ReadState(11, n.commitIndex())), c.reads.get(1));
    assertEquals(0, n.pendingReads());
  }

  @Test
  @DisplayName("§6.4, §7: compacting the log up to the commit index leaves the term's commit visible to reads")
  void compactionUpToTheCommitIndexKeepsReadsAnswerable() {
    TestCluster c = singleVoterLeader(false);
    RaftNode n = c.node(1);
    c.propose(1, "x");
    long commit = n.commitIndex();
    assertEquals(n.appliedIndex(), commit);
    n.snapshotTaken(snapshotAtApplied(n), commit);
    assertEquals(commit + 1, n.firstIndex(), "everything up to the commit index left memory");
    assertEquals(n.term(), n.termAt(n.commitIndex()), "the snapshot keeps the term of its last entry");
    assertTrue(n.readIndex(5));
    c.flush();
    assertEquals(List.of(new ReadState(5, commit)), c.reads.get(1), "no new write needed");
  }

  @Test
  @DisplayName("§6.4, §7: after a restart from a snapshot, a snapshot that compacts the new term's entries keeps reads going")
  void restartFromASnapshotThenCompactionKeepsReadsAnswerable() {
    TestCluster c = singleVoterLeader(false);
    for (int i = 0; i < 5; i++) {
      c.propose(1, "v" + i);
    }
    RaftNode before = c.node(1);
    Snapshot s = snapshotAtApplied(before);
    before.snapshotTaken(s, s.index());
    TestCluster.Disk disk = c.disks.get(1);
    disk.log.subList(0, (int) s.index()).clear(); // the storage drops what the snapshot covers
    disk.snapshot = s;
    c.start(1);
    c.campaign(1);
    RaftNode n = c.node(1);
    assertEquals(Role.LEADER, n.role());
    assertTrue(n.term() > s.term());
    c.propose(1, "after");
    n.snapshotTaken(snapshotAtApplied(n), n.commitIndex()); // the snapshot right after the restart
    for (long id = 1; id <= 3; id++) {
      assertTrue(n.readIndex(id));
      c.flush();
    }
    assertEquals(List.of(1L, 2L, 3L), c.reads.get(1).stream().map(ReadState::readId).toList());
  }

  @Test
  @DisplayName("§6.4: with three voters, a round a heartbeat tick started is confirmed by the followers' answers")
  void threeVotersConfirmARoundStartedByAHeartbeat() {
    TestCluster c = new TestCluster(3, true);
    c.campaign(1);
    c.deliverAll();
    RaftNode n = c.node(1);
    assertEquals(Role.LEADER, n.role());
    assertTrue(n.readIndex(21));
    heartbeatBeforeTheBatch(n);
    c.flush();
    assertTrue(c.reads.get(1).isEmpty(), "not before a quorum answered");
    c.deliverAll();
    assertEquals(List.of(new ReadState(21, n.commitIndex())), c.reads.get(1));
  }
}
