package io.raftbed.runtime.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.raftbed.raft.Message;
import io.raftbed.runtime.net.NetIo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two nodes' peer layers over loopback: delivery, the handshake check, and redialing. */
@Timeout(30)
class PeerTransportTest {
  private final EventLoopGroup group = NetIo.newGroup(2, "peer-test");
  private final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
  private final AtomicInteger rejected = new AtomicInteger();

  @AfterEach
  void tearDown() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private PeerServer server(String clusterId) {
    return new PeerServer(2, clusterId, Set.of(1), new PeerServer.Options(1 << 20, 8, 5_000), received::addAll,
        new PeerServer.Metrics() {
          @Override
          public void rejected() {
            rejected.incrementAndGet();
          }
        });
  }

  private static PeerTransport transport(EventLoop loop, InetSocketAddress to) {
    return new PeerTransport(1, "c1", Map.of(2, to), loop, NetIo.socketChannel(),
        new PeerTransport.Options(500, 10, 100, 16, 1 << 20), PeerTransport.Metrics.NONE);
  }

  private static void sendOnLoop(EventLoop loop, PeerTransport t, Message m) {
    loop.submit(() -> t.send(m)).syncUninterruptibly();
  }

  @Test
  void messagesArriveInOrder() throws Exception {
    PeerServer server = server("c1");
    InetSocketAddress address = server.bind(group, NetIo.serverChannel(), new InetSocketAddress("127.0.0.1", 0));
    EventLoop loop = group.next();
    PeerTransport t = transport(loop, address);
    t.start();
    List<Message> sent = List.of(new Message.Heartbeat(1, 2, 1, 0, 1), new Message.Heartbeat(1, 2, 1, 0, 2),
        new Message.Heartbeat(1, 2, 1, 0, 3));
    for (Message m : sent) {
      sendOnLoop(loop, t, m); // queued in the backlog until connected, then in order on the wire
    }
    for (Message m : sent) {
      assertEquals(m, received.poll(10, TimeUnit.SECONDS));
    }
    t.close();
    server.close();
  }

  @Test
  void anotherClusterIsRefusedAtTheHandshake() throws Exception {
    PeerServer server = server("c2");
    InetSocketAddress address = server.bind(group, NetIo.serverChannel(), new InetSocketAddress("127.0.0.1", 0));
    EventLoop loop = group.next();
    PeerTransport t = transport(loop, address);
    t.start();
    sendOnLoop(loop, t, new Message.Heartbeat(1, 2, 1, 0, 1));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (rejected.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(rejected.get() > 0, "the server rejected the connection");
    assertTrue(received.isEmpty(), "nothing from another cluster is delivered");
    t.close();
    server.close();
  }

  @Test
  void theLinkRedialsAfterThePeerRestarts() throws Exception {
    PeerServer first = server("c1");
    InetSocketAddress address = first.bind(group, NetIo.serverChannel(), new InetSocketAddress("127.0.0.1", 0));
    EventLoop loop = group.next();
    PeerTransport t = transport(loop, address);
    t.start();
    sendOnLoop(loop, t, new Message.Heartbeat(1, 2, 1, 0, 1));
    assertEquals(1, ((Message.Heartbeat) received.poll(10, TimeUnit.SECONDS)).readRound());
    first.close();
    PeerServer second = server("c1");
    second.bind(group, NetIo.serverChannel(), address);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Message got = null;
    while (got == null && System.nanoTime() < deadline) {
      sendOnLoop(loop, t, new Message.Heartbeat(1, 2, 1, 0, 2)); // Raft resends; so does this test
      got = received.poll(50, TimeUnit.MILLISECONDS);
    }
    assertEquals(new Message.Heartbeat(1, 2, 1, 0, 2), got);
    t.close();
    second.close();
  }
}
