package io.raftbed.chaos.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void theEphemeralRangeIsReadWhole() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    Assumptions.assumeTrue(Files.isReadable(range), "no " + range + " here");
    String kernel;
    try (InputStream in = Files.newInputStream(range)) {
      kernel = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+")[0];
    }
    // Files.readString once gave "3" of "32768\t60999" here, and every port landed in Docker's range
    assertEquals(Integer.parseInt(kernel), FreePorts.ephemeralLow());
    assertTrue(FreePorts.ephemeralLow() >= 1024, "a port range starts above the privileged ports");
  }

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
