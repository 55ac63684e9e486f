package io.raftbed.chaos.backend;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hands out ports that were free on 127.0.0.1 when asked, never the same one twice, drawn from
 * below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}). A node keeps its ports
 * across restarts, so while it is down its ports are free for anyone; outside the ephemeral range
 * no outgoing connection (the proxies', the clients', other programs') is given one as its local
 * port. Another program may still bind one on purpose; a node then exits with "cannot listen" (its
 * exit code 4), which the harness reports as an environment problem rather than a verdict.
 */
public final class FreePorts {
  /** Lowest port handed out: above the well-known and most registered service ports. */
  static final int LOW = 20_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Linux's default start of the ephemeral range, when the kernel's setting cannot be read. */
  private static final int EPHEMERAL_LOW_DEFAULT = 32_768;

  private final Set<Integer> given = new HashSet<>();
  private final int high;
  private final SplittableRandom random;

  public FreePorts() {
    this(ephemeralLow() - 1, new SplittableRandom());
  }

  FreePorts(int high, SplittableRandom random) {
    this.high = high;
    this.random = random;
  }

  /** The first port of the ephemeral range, from the kernel; the default when it cannot be read. */
  static int ephemeralLow() {
    // Read as a stream to its end: Files.readString trusts the file's reported size, and on some
    // kernels a /proc/sys file reports 1 byte, which gave "3" here and put every port in the range.
    try (BufferedReader in = Files.newBufferedReader(EPHEMERAL_RANGE)) {
      String line = in.readLine();
      String[] range = (line == null ? "" : line).trim().split("\\s+");
      if (range.length != 2) {
        return EPHEMERAL_LOW_DEFAULT;
      }
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return EPHEMERAL_LOW_DEFAULT;
    }
  }

  public synchronized int next() {
    if (high - LOW < 1_000) {
      return nextEphemeral(); // an unusual kernel setting leaves no room below the range
    }
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = LOW + random.nextInt(high - LOW + 1);
      if (!given.contains(port) && free(port)) {
        given.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + LOW + ".." + high + " after 1000 attempts");
  }

  private int nextEphemeral() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (given.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot find a free port on 127.0.0.1", e);
      }
    }
    throw new IllegalStateException("no new free port in 100 attempts");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
