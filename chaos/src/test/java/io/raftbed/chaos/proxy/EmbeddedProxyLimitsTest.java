package io.raftbed.chaos.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the embedded proxy promises beyond Toxiproxy's documented behaviour: it never buffers without
 * bound. A client writes as fast as it can towards an upstream that never reads; the proxy must stop
 * reading (autoRead off) once its own buffer and the sockets' are full, so the writer blocks after a
 * bounded amount, with no toxic and with a long latency toxic holding the data.
 */
@Timeout(60)
class EmbeddedProxyLimitsTest {
  /** Socket buffers on loopback (client send, proxy receive and send, server receive) plus what the proxy holds. */
  private static final long WRITTEN_BYTES_MAX = 64L << 20;
  /** Where the writer gives up: what an unbounded proxy would swallow in well under the wait. */
  private static final long WRITE_BYTES_CAP = 512L << 20;

  private FaultProxyServer server;
  private TestServers.Server stalled;
  private ToxiproxyClient client;

  @BeforeEach
  void start() throws IOException {
    server = FaultProxyServer.start("127.0.0.1", 0);
    stalled = TestServers.stalled();
    client = new ToxiproxyClient("127.0.0.1", server.port());
  }

  @AfterEach
  void stop() throws IOException {
    stalled.close();
    server.close();
  }

  @Test
  void passThroughStopsReadingWhenTheUpstreamStalls() throws Exception {
    Proxy p = client.createProxy("stalled", "127.0.0.1:0", "127.0.0.1:" + stalled.port());
    assertWriterBlocksEarly(p);
  }

  @Test
  void latencyToxicHoldsABoundedAmount() throws Exception {
    Proxy p = client.createProxy("stalled-latency", "127.0.0.1:0", "127.0.0.1:" + stalled.port());
    p.toxics().latency("long", ToxicDirection.UPSTREAM, 60_000);
    assertWriterBlocksEarly(p);
  }

  private static void assertWriterBlocksEarly(Proxy p) throws Exception {
    AtomicLong written = new AtomicLong();
    int port = ConformanceBase.port(p.getListen());
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      Thread writer = Thread.ofVirtual().start(() -> {
        byte[] block = new byte[1 << 16];
        try {
          OutputStream out = s.getOutputStream();
          while (written.get() < WRITE_BYTES_CAP) {
            out.write(block);
            written.addAndGet(block.length);
          }
        } catch (IOException e) {
          // the test closed the socket
        }
      });
      long last = -1;
      long stableSince = System.nanoTime();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() - stableSince < 1_000_000_000L && System.nanoTime() < deadline) {
        Thread.sleep(100);
        long now = written.get();
        if (now != last) {
          last = now;
          stableSince = System.nanoTime();
        }
      }
      assertTrue(writer.isAlive(), "the writer must block, not finish " + (WRITE_BYTES_CAP >> 20) + " MiB");
      assertTrue(written.get() < WRITTEN_BYTES_MAX, "the proxy took " + (written.get() >> 20) + " MiB");
    }
  }
}
