package io.raftbed.runtime.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Message;
import io.raftbed.runtime.net.NetIo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport follows the configuration: links open for new members and close for removed ones,
 * a node outside the configuration is reached on demand, and hellos announce where the dialer serves.
 */
@Timeout(30)
class PeerMembershipTest {
  private final EventLoopGroup group = NetIo.newGroup(2, "peer-membership-test");
  /** Node id to what its server received. */
  private final Map<Integer, LinkedBlockingQueue<Message>> received = new ConcurrentHashMap<>();
  /** Node id to the address node 1 announced to it. */
  private final Map<Integer, String> announced = new ConcurrentHashMap<>();
  private final Map<Integer, InetSocketAddress> addresses = new ConcurrentHashMap<>();
  private final List<PeerServer> servers = new java.util.ArrayList<>();

  @AfterEach
  void tearDown() {
    servers.forEach(PeerServer::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void serve(int id) throws InterruptedException {
    LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    received.put(id, inbox);
    PeerServer s = new PeerServer(id, "c1", peer -> true, new PeerServer.Options(1 << 20, 8, 5_000), inbox::addAll,
        (peer, address) -> announced.put(id, address), PeerServer.Metrics.NONE);
    servers.add(s);
    addresses.put(id, s.bind(group, NetIo.serverChannel(), new InetSocketAddress("127.0.0.1", 0)));
  }

  private static void onLoop(EventLoop loop, Runnable r) {
    loop.submit(r).syncUninterruptibly();
  }

  private static Message heartbeat(int to, long round) {
    return new Message.Heartbeat(1, to, 1, 0, round);
  }

  @Test
  void linksFollowTheConfiguration() throws Exception {
    serve(2);
    serve(3);
    EventLoop loop = group.next();
    PeerTransport t = new PeerTransport(1, "c1", addresses::get, loop, NetIo.socketChannel(),
        new PeerTransport.Options(500, 10, 100, 16, 1 << 20), PeerTransport.Metrics.NONE);
    t.advertise("127.0.0.1:9001|http://127.0.0.1:8001");
    onLoop(loop, () -> t.membershipChanged(Membership.ofVoters(List.of(1, 2))));
    t.start();
    onLoop(loop, () -> t.send(heartbeat(2, 1)));
    assertEquals(heartbeat(2, 1), received.get(2).poll(10, TimeUnit.SECONDS));
    assertEquals("127.0.0.1:9001|http://127.0.0.1:8001", announced.get(2), "the hello says where node 1 serves");

    onLoop(loop, () -> t.membershipChanged(Membership.ofVoters(List.of(1)).withLearner(3, "")));
    onLoop(loop, () -> {
      assertFalse(t.isConnected(2), "the removed member's link is closed at once");
      t.send(heartbeat(3, 2));
    });
    assertEquals(heartbeat(3, 2), received.get(3).poll(10, TimeUnit.SECONDS));
    t.close();
  }

  @Test
  void aNodeOutsideTheConfigurationIsReachedOnDemand() throws Exception {
    serve(5);
    EventLoop loop = group.next();
    PeerTransport t = new PeerTransport(1, "c1", addresses::get, loop, NetIo.socketChannel(),
        new PeerTransport.Options(500, 10, 100, 16, 1 << 20), PeerTransport.Metrics.NONE);
    onLoop(loop, () -> t.membershipChanged(Membership.ofVoters(List.of(1, 2, 3))));
    t.start();
    // Node 5 leads a configuration this node has not seen yet: the answer must still reach it.
    onLoop(loop, () -> t.send(heartbeat(5, 7)));
    assertEquals(heartbeat(5, 7), received.get(5).poll(10, TimeUnit.SECONDS));
    onLoop(loop, () -> t.send(heartbeat(6, 8))); // nobody knows 6: dropped, not thrown
    assertNull(received.get(5).poll(200, TimeUnit.MILLISECONDS));
    t.close();
  }
}
