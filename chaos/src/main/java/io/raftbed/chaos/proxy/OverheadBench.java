package io.raftbed.chaos.proxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What the embedded proxy costs on loopback, measured against the same echo server reached directly:
 * round-trip latency of a small message over one connection (percentiles) and the rate of a bulk
 * transfer (the server acknowledges a length-prefixed block; no half-close, which Toxiproxy does not
 * pass on). Direct and proxied runs alternate, round by round, so machine load hits both alike. The
 * proxy has no toxics: this is the floor every chaos run pays on each Raft message and request.
 *
 * <p>Threading: {@link #run} on the caller's thread; the echo server uses one thread per connection.
 */
public final class OverheadBench {
  private static final int WARMUP_ROUND_TRIPS = 5_000;

  private final int rounds;
  private final int roundTrips;
  private final int messageBytes;
  private final int bulkMegabytes;

  public OverheadBench(int rounds, int roundTrips, int messageBytes, int bulkMegabytes) {
    this.rounds = rounds;
    this.roundTrips = roundTrips;
    this.messageBytes = messageBytes;
    this.bulkMegabytes = bulkMegabytes;
  }

  /** Runs the rounds and prints one line per round and path, then the summary. */
  public void run(PrintStream out) throws IOException, InterruptedException {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultProxyServer server = FaultProxyServer.start("127.0.0.1", 0)) {
      Thread acceptor = Thread.ofPlatform().daemon().name("bench-echo").start(() -> serve(echo));
      ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", server.port());
      Proxy proxy = client.createProxy("bench", "127.0.0.1:0", "127.0.0.1:" + echo.getLocalPort());
      InetSocketAddress direct = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
      InetSocketAddress proxied = new InetSocketAddress(InetAddress.getLoopbackAddress(),
          HostPort.parse(proxy.getListen()).port());
      Histogram directRtt = new Histogram(3_600_000_000L, 3);
      Histogram proxiedRtt = new Histogram(3_600_000_000L, 3);
      double directMbps = 0;
      double proxiedMbps = 0;
      out.printf(Locale.ROOT, "proxy bench: %d rounds x %d round trips of %d B, bulk %d MB per round and path%n",
          rounds, roundTrips, messageBytes, bulkMegabytes);
      roundTrips(direct, WARMUP_ROUND_TRIPS, new Histogram(3_600_000_000L, 3));
      roundTrips(proxied, WARMUP_ROUND_TRIPS, new Histogram(3_600_000_000L, 3));
      for (int r = 1; r <= rounds; r++) {
        boolean directFirst = r % 2 == 1;
        for (int leg = 0; leg < 2; leg++) {
          boolean isDirect = (leg == 0) == directFirst;
          InetSocketAddress target = isDirect ? direct : proxied;
          Histogram h = new Histogram(3_600_000_000L, 3);
          roundTrips(target, roundTrips, h);
          double mbps = bulk(target);
          (isDirect ? directRtt : proxiedRtt).add(h);
          if (isDirect) {
            directMbps += mbps / rounds;
          } else {
            proxiedMbps += mbps / rounds;
          }
          out.printf(Locale.ROOT, "  round %d %-8s rtt p50 %6.1f us  p99 %6.1f us  bulk %7.1f MB/s%n", r,
              isDirect ? "direct" : "proxied", h.getValueAtPercentile(50) / 1e3,
              h.getValueAtPercentile(99) / 1e3, mbps);
        }
      }
      summary(out, directRtt, proxiedRtt, directMbps, proxiedMbps);
      echo.close();
      acceptor.join(2_000);
    }
  }

  private static void summary(PrintStream out, Histogram direct, Histogram proxied, double directMbps,
      double proxiedMbps) {
    out.println("summary (all rounds):");
    for (double p : new double[] {50, 90, 99, 99.9}) {
      double d = direct.getValueAtPercentile(p) / 1e3;
      double x = proxied.getValueAtPercentile(p) / 1e3;
      out.printf(Locale.ROOT, "  rtt p%-5s direct %7.1f us  proxied %7.1f us  added %+7.1f us  ratio %.2f%n",
          p == 99.9 ? "99.9" : String.valueOf((int) p), d, x, x - d, x / d);
    }
    out.printf(Locale.ROOT, "  bulk       direct %7.1f MB/s proxied %7.1f MB/s  ratio %.2f%n", directMbps,
        proxiedMbps, proxiedMbps / directMbps);
  }

  private void roundTrips(InetSocketAddress target, int count, Histogram into) throws IOException {
    byte[] message = new byte[messageBytes];
    byte[] reply = new byte[messageBytes];
    try (Socket s = connect(target)) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      InputStream in = s.getInputStream();
      out.writeByte('E');
      for (int i = 0; i < count; i++) {
        message[0] = (byte) i;
        long start = System.nanoTime();
        out.write(message);
        out.flush();
        readFully(in, reply);
        into.recordValue(Math.min(System.nanoTime() - start, into.getHighestTrackableValue()));
        if (reply[0] != message[0]) {
          throw new IOException("echo returned other bytes than were sent");
        }
      }
    }
  }

  /** Sends one block of {@code bulkMegabytes}; returns MB/s until the server's acknowledgement. */
  private double bulk(InetSocketAddress target) throws IOException {
    byte[] block = new byte[1 << 16];
    long total = (long) bulkMegabytes << 20;
    try (Socket s = connect(target)) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      long start = System.nanoTime();
      out.writeByte('B');
      out.writeLong(total);
      for (long sent = 0; sent < total; sent += block.length) {
        out.write(block, 0, (int) Math.min(block.length, total - sent));
      }
      out.flush();
      if (s.getInputStream().read() != 'A') {
        throw new IOException("bulk transfer not acknowledged");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return total / 1e6 / seconds;
    }
  }

  private static Socket connect(InetSocketAddress target) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(target, 5_000);
    s.setSoTimeout(30_000);
    return s;
  }

  private static void readFully(InputStream in, byte[] into) throws IOException {
    int off = 0;
    while (off < into.length) {
      int n = in.read(into, off, into.length - off);
      if (n < 0) {
        throw new IOException("connection closed after " + off + " of " + into.length + " bytes");
      }
      off += n;
    }
  }

  /** The echo server: mode byte 'E' echoes everything; 'B' reads a length-prefixed block, acks 'A'. */
  private static void serve(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        Thread.ofPlatform().daemon().name("bench-echo-conn").start(() -> handle(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void handle(Socket s) {
    byte[] buffer = new byte[1 << 16];
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      int mode = in.read();
      if (mode == 'B') {
        long remaining = in.readLong();
        while (remaining > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
          if (n < 0) {
            return;
          }
          remaining -= n;
        }
        out.write('A');
        out.flush();
        return;
      }
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The client went away; nothing to report for a benchmark's echo server.
    }
  }
}
