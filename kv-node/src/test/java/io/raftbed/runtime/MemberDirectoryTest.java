package io.raftbed.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.raftbed.raft.Membership;
import io.raftbed.runtime.config.Member;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Address resolution: configuration entry, then this node's configuration, then announcements. */
class MemberDirectoryTest {
  private static final Member ONE = new Member(1, "127.0.0.1", 9001, 8001);
  private static final Member TWO = new Member(2, "127.0.0.1", 9002, 8002);

  @Test
  void foundingVotersResolveFromTheConfiguredAddresses() {
    MemberDirectory d = new MemberDirectory(List.of(ONE, TWO), Membership.ofVoters(List.of(1, 2)));
    assertEquals(Optional.of(TWO), d.member(2));
    assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 9002), d.peerAddress(2));
    assertNull(d.peerAddress(3));
  }

  @Test
  void theConfigurationEntryWinsThenTheConfigurationThenAnnouncements() {
    MemberDirectory d = new MemberDirectory(List.of(ONE, TWO), Membership.ofVoters(List.of(1, 2)));
    Member twoMoved = new Member(2, "127.0.0.1", 9102, 8102);
    Member three = new Member(3, "127.0.0.1", 9003, 8003);
    d.announced(3, new Member(3, "127.0.0.1", 9999, 8999).address());
    d.announced(2, new Member(2, "127.0.0.1", 9998, 8998).address());
    assertEquals(9999, d.member(3).orElseThrow().peerPort(), "announced: nothing else knows 3");
    assertEquals(TWO, d.member(2).orElseThrow(), "configured beats announced");
    d.membershipChanged(Membership.ofVoters(List.of(1)).withVoter(2, twoMoved.address())
        .withLearner(3, three.address()));
    assertEquals(twoMoved, d.member(2).orElseThrow(), "the entry beats the configuration");
    assertEquals(three, d.member(3).orElseThrow());
    assertEquals(ONE, d.member(1).orElseThrow(), "an empty address falls back to the configuration");
  }

  @Test
  void badAddressesAreIgnored() {
    MemberDirectory d = new MemberDirectory(List.of(ONE), Membership.ofVoters(List.of(1)));
    d.announced(5, "nonsense");
    d.membershipChanged(Membership.ofVoters(List.of(1)).withLearner(6, "also nonsense"));
    assertEquals(Optional.empty(), d.member(5));
    assertEquals(Optional.empty(), d.member(6));
  }

  @Test
  void aRouteChangesWhereThisNodeDialsButNotWhatItKnows() {
    Member twoViaProxy = new Member(2, "127.0.0.1", 20002, 21002);
    Member threeViaProxy = new Member(3, "127.0.0.1", 20003, 21003);
    MemberDirectory d = new MemberDirectory(List.of(ONE, TWO), List.of(twoViaProxy, threeViaProxy),
        Membership.ofVoters(List.of(1, 2)));
    assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 20002), d.peerAddress(2));
    assertEquals(Optional.of(twoViaProxy), d.dial(2));
    assertEquals(Optional.of(TWO), d.member(2), "the status page shows where 2 serves");
    d.membershipChanged(Membership.ofVoters(List.of(1, 2)).withLearner(3,
        new Member(3, "127.0.0.1", 9003, 8003).address()));
    assertEquals(Optional.of(threeViaProxy), d.dial(3), "the route beats the configuration entry");
    assertEquals(9003, d.member(3).orElseThrow().peerPort());
    assertEquals(Optional.of(ONE), d.dial(1), "no route: where it serves");
  }
}
