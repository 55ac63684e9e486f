package io.raftbed.runtime.config;

/**
 * Connection limits and timeouts of a node's two ports (the total of HTTP connections is
 * {@link RuntimeConfig.Limits#connectionsMax()}). See {@code ConnectionGovernor} for which connection
 * makes room when a port is full.
 *
 * @param httpPerAddressMax HTTP connections from one client address
 * @param httpReserved HTTP connections kept for addresses that hold none yet
 * @param httpIdleTimeoutMillis an HTTP connection waiting for a request closes after this long
 * @param httpHeaderTimeoutMillis from a request's first byte to the end of its headers (then 408)
 * @param httpBodyTimeoutMillis from the end of a request's headers to the end of its body (then 408)
 * @param peerConnectionsMax inbound peer connections at once
 * @param peerPerAddressMax inbound peer connections from one address
 * @param peerHandshakeTimeoutMillis time an inbound peer connection has for TLS and its hello
 */
public record Connections(int httpPerAddressMax, int httpReserved, int httpIdleTimeoutMillis,
    int httpHeaderTimeoutMillis, int httpBodyTimeoutMillis, int peerConnectionsMax, int peerPerAddressMax,
    int peerHandshakeTimeoutMillis) {
  public Connections {
    if (httpPerAddressMax < 1 || httpReserved < 0 || httpIdleTimeoutMillis < 1 || httpHeaderTimeoutMillis < 1
        || httpBodyTimeoutMillis < 1 || peerConnectionsMax < 1 || peerPerAddressMax < 1
        || peerHandshakeTimeoutMillis < 1) {
      throw new IllegalArgumentException("connection limits and timeouts must be positive (the reserve may be 0): "
          + this);
    }
  }

  /**
   * 512 HTTP connections from one address (a load generator or a proxy on loopback stays well under),
   * 32 kept for newcomers; idle connections close after 60 s, headers must arrive within 10 s and a
   * body within 30 s. 64 inbound peer connections, 32 from one address, 5 s for TLS and the hello.
   */
  public static Connections defaults() {
    return new Connections(512, 32, 60_000, 10_000, 30_000, 64, 32, 5_000);
  }

  public Connections withHttpReserved(int reserved) {
    return new Connections(httpPerAddressMax, reserved, httpIdleTimeoutMillis, httpHeaderTimeoutMillis,
        httpBodyTimeoutMillis, peerConnectionsMax, peerPerAddressMax, peerHandshakeTimeoutMillis);
  }
}
