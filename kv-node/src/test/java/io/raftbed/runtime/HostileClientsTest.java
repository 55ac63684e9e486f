package io.raftbed.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.runtime.config.Connections;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.config.RuntimeConfig;
import io.raftbed.runtime.config.Security;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real node (default connection settings) against the connections of an unprivileged attacker
 * on the same machine: thousands of idle connections and slowloris connections (headers sent a line
 * a second) from other loopback addresses. A new client must still get its PUT answered within 1 s,
 * while the attack holds its connections and after it stops.
 */
@Timeout(120)
class HostileClientsTest {
  private static final int IDLE = 2_000;
  private static final int SLOWLORIS = 1_000;
  /** The attack comes from 127.0.0.2 .. 127.0.0.(1 + ADDRESSES): many clients, as far as the node can tell. */
  private static final int ADDRESSES = 30;
  private static final long NEW_CLIENT_BOUND_MILLIS = 1_000;

  @TempDir
  Path dir;
  private NodeRuntime node;
  private final List<Socket> attack = new ArrayList<>();
  private final AtomicBoolean dribbling = new AtomicBoolean(true);

  @AfterEach
  void tearDown() {
    dribbling.set(false);
    closeAttack();
    if (node != null) {
      node.close();
    }
  }

  static RuntimeConfig defaultsConfig(Path dir) {
    RuntimeConfig base = new RuntimeConfig(1, "test", List.of(new Member(1, "127.0.0.1", 1, 1)), "127.0.0.1", 0, 0,
        dir, RuntimeConfig.Timing.defaults(), RuntimeConfig.Limits.defaults(), 0, 8 << 20, 0, 5, false);
    return base.with(Connections.defaults(), Security.NONE);
  }

  @Test
  void aNewClientIsServedWithinASecondDuringAndAfterAnAttackOfIdleAndSlowlorisConnections() throws Exception {
    node = NodeRuntime.start(defaultsConfig(dir), e -> { });
    int port = node.httpAddress().getPort();
    awaitLeader(port);
    assertPutWithin(port, "before");

    for (int i = 0; i < IDLE; i++) {
      attack.add(open(i, port));
    }
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < SLOWLORIS; i++) {
      Socket s = open(IDLE + i, port);
      write(s, "PUT /keys/slow HTTP/1.1\r\nHost: x\r\n");
      slow.add(s);
      attack.add(s);
    }
    Thread dribbler = new Thread(() -> dribble(slow), "slowloris");
    dribbler.setDaemon(true);
    dribbler.start();
    Thread.sleep(1_500); // the slowloris connections have been reading for over a second

    // The node is full: every attack connection beyond its limit was accepted and made room (or was refused).
    var metrics = node.metrics().connections();
    long beyond = IDLE + SLOWLORIS - RuntimeConfig.Limits.defaults().connectionsMax();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (metrics.httpEvictedTotal() + metrics.httpRefusedTotal() < beyond && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(metrics.httpEvictedTotal() + metrics.httpRefusedTotal() >= beyond, "the attack filled the node:"
        + " evicted " + metrics.httpEvictedTotal() + ", refused " + metrics.httpRefusedTotal());
    System.out.println("attack in place: evicted " + metrics.httpEvictedTotal() + ", refused "
        + metrics.httpRefusedTotal());
    for (int i = 0; i < 3; i++) {
      assertPutWithin(port, "during-" + i);
    }
    dribbling.set(false);
    dribbler.join(5_000);
    closeAttack();
    assertPutWithin(port, "after");
  }

  @Test
  void slowlorisGets408AndIdleConnectionsCloseAtTheirTimeouts() throws Exception {
    Connections quick = new Connections(512, 32, 600, 400, 400, 64, 32, 5_000);
    node = NodeRuntime.start(defaultsConfig(dir).with(quick, Security.NONE), e -> { });
    int port = node.httpAddress().getPort();
    Socket idle = open(0, port);
    Socket slow = open(1, port);
    write(slow, "PUT /keys/slow HTTP/1.1\r\nHost: x\r\n");
    long start = System.nanoTime();
    String answer = readAll(slow);
    assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
    assertTrue(answer.contains("request_timeout"), answer);
    assertEquals("", readAll(idle), "an idle connection closes without a word");
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMillis < 10_000, "closed at the timeouts, not never: " + tookMillis + " ms");
    idle.close();
    slow.close();
  }

  @Test
  void aBodyFarOverTheLimitGets413WithoutAResetWithAndWithoutExpectContinue() throws Exception {
    node = NodeRuntime.start(defaultsConfig(dir), e -> { });
    int port = node.httpAddress().getPort();
    for (int megabytes : new int[] {4, 20}) {
      for (boolean expect : new boolean[] {false, true}) {
        try (Socket s = new Socket("127.0.0.1", port)) {
          int length = megabytes << 20;
          write(s, "PUT /keys/big HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n"
              + (expect ? "Expect: 100-continue\r\n" : "") + "\r\n");
          byte[] chunk = new byte[64 << 10];
          for (int sent = 0; sent < length; sent += chunk.length) {
            s.getOutputStream().write(chunk); // a client that sends its whole body before it reads
          }
          String answer = readAll(s);
          assertTrue(answer.startsWith("HTTP/1.1 413"), megabytes + " MiB, expect=" + expect + ": " + answer);
          assertTrue(answer.contains("too_large"), answer);
        }
      }
    }
  }

  private static Socket open(int i, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress("127.0.0." + (2 + i % ADDRESSES), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return s;
  }

  /** One more header line on every slowloris connection each second, as long as the test runs. */
  private void dribble(List<Socket> slow) {
    int line = 0;
    while (dribbling.get()) {
      for (Socket s : slow) {
        try {
          write(s, "X-Slow-" + line + ": 1\r\n");
        } catch (IOException e) {
          // evicted or timed out: the node closed it, as it should
        }
      }
      line++;
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** A PUT over a new connection from 127.0.0.1, answered 200 within the bound, connect included. */
  private static void assertPutWithin(int port, String key) throws IOException {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      write(s, "PUT /keys/" + key + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
      String answer = readAll(s);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(answer.startsWith("HTTP/1.1 200"), key + ": " + answer);
      assertTrue(tookMillis < NEW_CLIENT_BOUND_MILLIS, key + ": the PUT took " + tookMillis + " ms");
      System.out.println("new client's PUT " + key + ": 200 in " + tookMillis + " ms");
    }
  }

  private static void awaitLeader(int port) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(5_000);
        write(s, "PUT /keys/warmup HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nw");
        if (readAll(s).startsWith("HTTP/1.1 200")) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no leader within 20 s");
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String readAll(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private void closeAttack() {
    for (Socket s : attack) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    attack.clear();
  }
}
