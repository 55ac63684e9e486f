package io.raftbed.chaos.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out ports that were free on 127.0.0.1 when asked, never the same one twice. Another program
 * may still take one before it is bound; a node then exits with "port in use" (its exit code 4),
 * which the harness reports as an environment error rather than a verdict.
 */
public final class FreePorts {
  private final Set<Integer> given = new HashSet<>();

  public synchronized int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        if (given.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
      }
    }
    throw new IllegalStateException("no new free port in 100 attempts");
  }
}
