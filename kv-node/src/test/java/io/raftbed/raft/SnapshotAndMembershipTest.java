package io.raftbed.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.raft.Message.InstallSnapshot;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Snapshots (§7), membership changes (§4) and leadership transfer (§3.10) in the core. */
class SnapshotAndMembershipTest {

  private static TestCluster leaderOf(int size) {
    TestCluster c = new TestCluster(size);
    c.campaign(1);
    c.deliverAll();
    return c;
  }

  @Test
  @DisplayName("§7: a follower behind the leader's compacted log gets the snapshot, in chunks, then entries")
  void laggingFollowerGetsSnapshot() {
    TestCluster c = leaderOf(3);
    c.isolate(3);
    for (int i = 0; i < 50; i++) {
      c.propose(1, "v" + i);
    }
    c.deliverAll();
    RaftNode leader = c.node(1);
    long applied = leader.appliedIndex();
    byte[] state = new byte[3000]; // larger than one chunk below
    new SplittableRandom(7).nextBytes(state);
    leader.snapshotTaken(new Snapshot(applied, leader.termAt(applied), leader.membership(), state), applied);
    assertEquals(applied + 1, leader.firstIndex(), "the log is compacted behind the snapshot");

    c.heal();
    c.tick(1, 2);
    List<Message> delivered = c.deliverAll();
    long chunks = delivered.stream().filter(m -> m instanceof InstallSnapshot).count();
    assertTrue(chunks >= 1, "the follower got the snapshot");
    Snapshot installed = c.disks.get(3).snapshot;
    assertNotNull(installed, "the snapshot is durable on the follower");
    assertArrayEquals(state, installed.data());
    assertEquals(applied, c.node(3).appliedIndex());
    c.propose(1, "after");
    c.deliverAll();
    c.tick(1, 2);
    c.deliverAll();
    assertEquals(leader.commitIndex(), c.node(3).commitIndex(), "replication goes on after the snapshot");
    assertEquals(1, leader.stats().snapshotsSent);
    assertEquals(1, c.node(3).stats().snapshotsInstalled);
  }

  @Test
  @DisplayName("§7: a snapshot transfer resumes at the offset the follower expects after a lost chunk")
  void snapshotTransferResumes() {
    TestCluster c = leaderOf(3);
    c.isolate(3);
    for (int i = 0; i < 20; i++) {
      c.propose(1, "v" + i);
    }
    c.deliverAll();
    RaftNode leader = c.node(1);
    long applied = leader.appliedIndex();
    byte[] state = new byte[(1 << 20) * 2 + 5]; // three chunks of appendBytesMax
    leader.snapshotTaken(new Snapshot(applied, leader.termAt(applied), leader.membership(), state), applied);
    c.heal();
    c.tick(1, 2);
    // Drop the first chunk once: the heartbeat answer makes the leader send it again.
    c.deliver(m -> !(m instanceof InstallSnapshot));
    c.inFlight.removeIf(m -> m instanceof InstallSnapshot);
    c.tick(1, 2);
    c.deliverAll();
    assertEquals(applied, c.node(3).appliedIndex(), "the snapshot arrived after the retry");
    assertEquals(state.length, c.disks.get(3).snapshot.data().length);
  }

  @Test
  @DisplayName("§4.1: a learner replicates but does not vote; promoted, it counts towards the quorum")
  void learnerThenVoter() {
    TestCluster c = leaderOf(3);
    c.addMachine(4);
    RaftNode leader = c.node(1);
    Membership withLearner = leader.membership().withLearner(4, "n4");
    assertTrue(leader.proposeMembership(withLearner) > 0);
    c.deliverAll();
    c.tick(1, 2);
    c.deliverAll();
    assertEquals(leader.lastIndex(), c.node(4).lastIndex(), "the learner has the log");
    assertFalse(leader.membership().isVoter(4));
    assertEquals(2, leader.membership().quorum());

    assertTrue(leader.proposeMembership(leader.membership().withVoter(4, "n4")) > 0);
    c.deliverAll();
    assertEquals(3, leader.membership().quorum(), "four voters need three");
    assertEquals(List.of(1, 2, 3, 4), leader.voters());
  }

  @Test
  @DisplayName("§4.1: one change at a time, only after the leader commits in its term, one voter at most")
  void singleServerChangeRules() {
    TestCluster c = new TestCluster(3);
    c.campaign(1);
    c.deliver(m -> !(m instanceof Message.AppendEntries));
    RaftNode leader = c.node(1);
    assertEquals(RaftNode.BUSY, leader.proposeMembership(leader.membership().without(3)),
        "no change before the leader's no-op commits (Ongaro 2015)");
    c.deliverAll();
    Membership twoAdded = leader.membership().withVoter(4, "").withVoter(5, "");
    assertEquals(RaftNode.INVALID, leader.proposeMembership(twoAdded), "two voters at once is not single-server");
    assertTrue(leader.proposeMembership(leader.membership().without(3)) > 0);
    assertEquals(RaftNode.BUSY, leader.proposeMembership(leader.membership().without(2)),
        "a second change waits for the first to commit");
  }

  @Test
  @DisplayName("§4.2.2: a leader that removes itself steps down once the change commits")
  void removedLeaderStepsDown() {
    TestCluster c = leaderOf(3);
    RaftNode leader = c.node(1);
    assertTrue(leader.proposeMembership(leader.membership().without(1)) > 0);
    c.deliverAll();
    assertEquals(Role.FOLLOWER, leader.role());
    c.campaign(2);
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(2).role(), "the remaining voters elect a leader of their own");
    assertEquals(List.of(2, 3), c.node(2).voters());
  }

  @Test
  @DisplayName("§4.1: an overwritten configuration entry is undone on the follower")
  void truncatedConfigurationReverts() {
    TestCluster c = leaderOf(3);
    c.isolate(1);
    RaftNode old = c.node(1);
    assertTrue(old.proposeMembership(old.membership().without(3)) > 0);
    assertEquals(List.of(1, 2), old.voters(), "a configuration applies as soon as it is appended");
    c.campaign(2);
    c.deliverAll();
    c.heal();
    c.tick(2, 2);
    c.deliverAll();
    assertEquals(List.of(1, 2, 3), old.voters(), "the overwritten change is gone with its entry");
  }

  @Test
  @DisplayName("§3.10: leadership transfer brings the target up to date, then it wins at once")
  void leadershipTransfer() {
    TestCluster c = leaderOf(3);
    c.propose(1, "x");
    assertTrue(c.node(1).transferLeadership(3));
    assertEquals(RaftNode.BUSY, c.node(1).propose(new byte[] {1}), "proposals wait during a transfer");
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(3).role());
    assertEquals(2, c.node(3).term());
    assertFalse(c.node(1).transferLeadership(2), "a follower cannot transfer");
  }

  @Test
  @DisplayName("§6.4.1: a lease read needs no round; leadership transfer ends the lease")
  void leaseReads() {
    TestCluster c = new TestCluster(3, true, true);
    c.campaign(1);
    c.deliverAll();
    c.tick(1, 2); // a heartbeat round confirms the lease
    c.deliverAll();
    assertTrue(c.node(1).hasLease());
    assertTrue(c.node(1).readIndex(5));
    c.flush();
    assertEquals(1, c.reads.get(1).size(), "served from the lease, no round trip");
    c.node(1).transferLeadership(2);
    assertFalse(c.node(1).hasLease(), "a transfer target may win before the lease ends");
  }
}
