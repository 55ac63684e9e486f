package io.raftbed.chaos.cluster;

import org.junit.jupiter.api.Timeout;

/**
 * {@link RealClusterTest} on a cluster with TLS, as {@code cluster up --tls} starts it: mutual TLS
 * between peers, HTTPS and tokens for clients. Garbage on the peer port now fails the TLS handshake.
 */
@Timeout(180)
class RealClusterTlsTest extends RealClusterTest {
  @Override
  boolean tls() {
    return true;
  }
}
