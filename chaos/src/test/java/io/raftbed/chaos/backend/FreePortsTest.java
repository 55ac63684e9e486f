package io.raftbed.chaos.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void portsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
    FreePorts ports = new FreePorts();
    int ephemeralLow = FreePorts.ephemeralLow();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int p = ports.next();
      assertTrue(seen.add(p), "never the same port twice: " + p);
      if (ephemeralLow - FreePorts.LOW >= 1_000) {
        assertTrue(p >= FreePorts.LOW && p < ephemeralLow, p + " outside " + FreePorts.LOW + ".." + ephemeralLow);
      }
    }
    int p = ports.next();
    try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
      assertTrue(s.isBound());
    }
  }
}
