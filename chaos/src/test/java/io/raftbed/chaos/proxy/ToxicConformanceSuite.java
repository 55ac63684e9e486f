package io.raftbed.chaos.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Each toxic's effect, measured on real sockets against test servers started here, all through
 * {@code toxiproxy-java}. Time bounds are tight on the side the toxic guarantees (at least the
 * latency, at most the rate) and generous on the other, since the machine may be loaded. Where each
 * expectation comes from, in github.com/Shopify/toxiproxy (README "Toxics" and the files named):
 *
 * <ul>
 *   <li>latency: delay of {@code latency ± jitter} per chunk, counted from its arrival
 *       ({@code toxics/latency.go}); a toxic added or removed acts on open connections
 *       ({@code link.go} {@code AddToxic}/{@code RemoveToxic}).
 *   <li>bandwidth: at most {@code rate} KB/s ({@code toxics/bandwidth.go}: 1 ms per {@code rate} bytes).
 *   <li>down: README "down", {@code proxy.go} {@code stop}: {@code enabled=false} closes the listener
 *       and every open connection.
 *   <li>timeout: drops data and closes after {@code timeout}; 0 holds until the toxic is removed,
 *       which closes the connection ({@code toxics/timeout.go} {@code Cleanup}, PR #168).
 *   <li>reset_peer: RST after {@code timeout} ({@code toxics/reset_peer.go}, SO_LINGER 0 in
 *       {@code link.go}).
 *   <li>slicer: {@code average_size ± size_variation} pieces, {@code delay} µs apart
 *       ({@code toxics/slicer.go}).
 *   <li>limit_data: exactly {@code bytes} bytes, then close ({@code toxics/limit_data.go}).
 *   <li>slow_close: the close is delayed by {@code delay} ({@code toxics/slow_close.go}).
 *   <li>toxicity: the probability that a toxic acts on a connection ({@code toxics/toxic.go}
 *       {@code ToxicStub.Run}); README FAQ: one Toxiproxy serves many applications and proxies.
 * </ul>
 */
abstract class ToxicConformanceSuite extends ConformanceBase {

  @Test
  void latencyDelaysEveryRoundTrip() throws Exception {
    Proxy p = proxyTo(closeLater(TestServers.echo()), "latency");
    p.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 300);
    for (int i = 0; i < 3; i++) {
      long rtt = roundTripMillis(connect(p), ("ping" + i).getBytes());
      assertTrue(rtt >= 300, "round trip " + rtt + " ms, latency 300 ms");
      assertTrue(rtt < 3_000, "round trip " + rtt + " ms");
    }
  }

  @Test
  void latencyJitterStaysWithinItsBounds() throws Exception {
    Proxy p = proxyTo(closeLater(TestServers.echo()), "jitter");
    p.toxics().latency("jittery", ToxicDirection.UPSTREAM, 200).setJitter(100);
    Socket s = connect(p);
    List<Long> rtts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rtts.add(roundTripMillis(s, ("j" + i).getBytes()));
    }
    assertTrue(Collections.min(rtts) >= 100, "below latency - jitter: " + rtts);
    assertTrue(Collections.max(rtts) < 2_300, "far above latency + jitter: " + rtts);
    assertTrue(Collections.max(rtts) - Collections.min(rtts) >= 20, "jitter must vary the delay: " + rtts);
  }

  @Test
  void toxicsReachOpenConnectionsAndRemovalRestores() throws Exception {
    Proxy p = proxyTo(closeLater(TestServers.echo()), "live");
    Socket s = connect(p);
    long before = roundTripMillis(s, "before".getBytes());
    Latency l = p.toxics().latency("added-live", ToxicDirection.UPSTREAM, 1_000);
    long during = roundTripMillis(s, "during".getBytes());
    l.remove();
    long after = roundTripMillis(s, "after".getBytes());
    assertTrue(during >= 1_000, "an open connection must get a new toxic: " + during + " ms");
    assertTrue(before < 1_000 && after < 1_000, "without the toxic: " + before + " and " + after + " ms");
  }

  @Test
  void toxicityZeroNeverActs() throws Exception {
    Proxy p = proxyTo(closeLater(TestServers.echo()), "toxicity");
    p.toxics().latency("never", ToxicDirection.DOWNSTREAM, 1_000).setToxicity(0f);
    for (int i = 0; i < 3; i++) {
      long rtt = roundTripMillis(connect(p), "t".getBytes());
      assertTrue(rtt < 1_000, "toxicity 0 must never delay: " + rtt + " ms");
    }
  }

  @Test
  void bandwidthLimitsTheDownstreamRate() throws Exception {
    byte[] payload = randomBytes(200_000);
    Proxy p = proxyTo(closeLater(TestServers.sender(payload, true)), "bandwidth-down");
    p.toxics().bandwidth("narrow", ToxicDirection.DOWNSTREAM, 100);
    long start = System.nanoTime();
    Drained d = readUntilClosed(connect(p));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertArrayEquals(payload, d.data());
    assertTrue(elapsedMillis >= 1_500, "200 KB at 100 KB/s took " + elapsedMillis + " ms (2 s expected)");
    assertTrue(elapsedMillis < 15_000, "took " + elapsedMillis + " ms");
  }

  @Test
  void bandwidthLimitsTheUpstreamRate() throws Exception {
    int bytes = 150_000;
    TestServers.Server sink = closeLater(TestServers.sink(bytes));
    Proxy p = proxyTo(sink, "bandwidth-up");
    p.toxics().bandwidth("narrow", ToxicDirection.UPSTREAM, 100);
    Socket s = connect(p);
    long start = System.nanoTime();
    s.getOutputStream().write(randomBytes(bytes));
    s.getOutputStream().flush();
    assertEquals('A', s.getInputStream().read(), "the sink acknowledges all bytes");
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMillis >= 1_100, "150 KB at 100 KB/s took " + elapsedMillis + " ms (1.5 s expected)");
  }

  @Test
  void disabledProxyClosesOpenConnectionsAndRefusesNewOnes() throws Exception {
    Proxy p = proxyTo(closeLater(TestServers.echo()), "down");
    Socket open = connect(p);
    roundTripMillis(open, "up".getBytes());
    p.disable();
    assertTrue(closesWithin(open, 5_000), "an open connection must be closed");
    assertThrows(ConnectException.class, () -> connect(p), "a disabled proxy refuses connections");
    p.enable();
    roundTripMillis(connect(p), "up-again".getBytes());
  }

  @Test
  void timeoutDropsDataThenCloses() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "timeout");
    p.toxics().timeout("stall", ToxicDirection.UPSTREAM, 600);
    Socket s = connect(p);
    long start = System.nanoTime();
    s.getOutputStream().write("lost".getBytes());
    s.getOutputStream().flush();
    Drained d = readUntilClosed(s);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, d.data().length, "no data may pass a timeout toxic");
    assertEquals(0, echo.receivedBytes.get(), "the upstream must receive nothing");
    assertTrue(elapsedMillis >= 580, "closed after " + elapsedMillis + " ms, timeout 600 ms");
  }

  @Test
  void timeoutZeroHoldsUntilRemovedThenCloses() throws Exception {
    Proxy p = proxyTo(closeLater(TestServers.echo()), "timeout-zero");
    Timeout t = p.toxics().timeout("hold", ToxicDirection.DOWNSTREAM, 0);
    Socket s = connect(p);
    s.getOutputStream().write("held".getBytes());
    s.getOutputStream().flush();
    s.setSoTimeout(1_500);
    assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(),
        "no data and no close while the toxic is in place");
    t.remove();
    assertTrue(closesWithin(s, 5_000), "removing a timeout toxic closes the connection");
  }

  @Test
  void resetPeerResetsTheConnection() throws Exception {
    Proxy p = proxyTo(closeLater(TestServers.echo()), "reset");
    p.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 300);
    Socket s = connect(p);
    long start = System.nanoTime();
    s.getOutputStream().write("boom".getBytes());
    s.getOutputStream().flush();
    Drained d = readUntilClosed(s);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertNotNull(d.failure(), "a reset must surface as an error, not a clean end of stream");
    assertTrue(String.valueOf(d.failure().getMessage()).toLowerCase().contains("reset"), d.failure().toString());
    assertEquals(0, d.data().length);
    assertTrue(elapsedMillis >= 280, "reset after " + elapsedMillis + " ms, timeout 300 ms");
  }

  @Test
  void slicerSplitsDataIntoSmallReads() throws Exception {
    byte[] payload = randomBytes(1_600);
    Proxy p = proxyTo(closeLater(TestServers.sender(payload, true)), "slicer");
    p.toxics().slicer("slices", ToxicDirection.DOWNSTREAM, 16, 5_000).setSizeVariation(4);
    Drained d = readUntilClosed(connect(p));
    assertArrayEquals(payload, d.data());
    // A reader that falls 5 ms behind reads two pieces at once, so the bound is on the median read.
    List<Integer> sizes = new ArrayList<>(d.reads());
    Collections.sort(sizes);
    int median = sizes.get(sizes.size() / 2);
    assertTrue(sizes.size() >= 25, "1600 B in pieces of 16±4 B arrived in " + sizes.size() + " reads");
    assertTrue(median <= 20, "median read " + median + " B, pieces at most 20 B: " + sizes);
  }

  @Test
  void limitDataPassesExactlyTheLimitThenCloses() throws Exception {
    byte[] payload = randomBytes(5_000);
    Proxy p = proxyTo(closeLater(TestServers.sender(payload, false)), "limit");
    p.toxics().limitData("cap", ToxicDirection.DOWNSTREAM, 1_000);
    Drained d = readUntilClosed(connect(p));
    assertArrayEquals(Arrays.copyOf(payload, 1_000), d.data());
  }

  @Test
  void slowCloseDelaysTheClose() throws Exception {
    Proxy p = proxyTo(closeLater(TestServers.sender("bye".getBytes(), true)), "slow-close");
    p.toxics().slowClose("lingering", ToxicDirection.DOWNSTREAM, 1_000);
    Socket s = connect(p);
    long start = System.nanoTime();
    byte[] bye = readExactly(s.getInputStream(), 3);
    long byeMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(closesWithin(s, 10_000));
    long closeMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals("bye", new String(bye));
    assertTrue(closeMillis >= 1_000 - 20, "closed after " + closeMillis + " ms, delay 1000 ms");
    // The data itself is not held back: it arrives well before the close.
    assertTrue(closeMillis - byeMillis >= 500, "data at " + byeMillis + " ms, close at " + closeMillis + " ms");
  }

  @Test
  void sixtyProxiesOfTwentyConnectionsEach() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    List<Proxy> proxies = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      proxies.add(proxyTo(echo, "many"));
    }
    List<Socket> sockets = new ArrayList<>();
    for (Proxy p : proxies) {
      for (int c = 0; c < 20; c++) {
        sockets.add(connect(p));
      }
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Long>> rtts = new ArrayList<>();
      for (Socket s : sockets) {
        rtts.add(pool.submit(() -> {
          long total = 0;
          for (int i = 0; i < 3; i++) {
            total += roundTripMillis(s, ("m" + i).getBytes());
          }
          return total;
        }));
      }
      for (Future<Long> f : rtts) {
        assertTrue(f.get() >= 0);
      }
    }
    assertEquals(1_200L * 3 * 2, echo.receivedBytes.get(), "every message reaches the upstream once");
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
