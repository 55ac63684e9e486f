package io.raftbed.chaos.proxy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;

/** The servers the conformance suites run against. */
final class Targets {
  /** The environment variable naming a real Toxiproxy server, e.g. {@code http://127.0.0.1:8474}. */
  static final String URL_VARIABLE = "TOXIPROXY_URL";

  private Targets() {}

  /** A fresh embedded proxy on a free loopback port, closed after the class. */
  static ConformanceBase.Target embedded() throws Exception {
    FaultProxyServer server = FaultProxyServer.start("127.0.0.1", 0);
    return new ConformanceBase.Target("127.0.0.1", server.port(), server);
  }

  /** The server {@code TOXIPROXY_URL} names; without it the class is skipped, saying why. */
  static ConformanceBase.Target external() {
    String url = System.getenv(URL_VARIABLE);
    assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set, so there is no external Toxiproxy"
        + " to check (e.g. TOXIPROXY_URL=http://127.0.0.1:8474, sharing this host's loopback); the embedded"
        + " proxy's run of the same suite covers the project's own proxy");
    URI uri = URI.create(url.trim());
    int port = uri.getPort() < 0 ? 8474 : uri.getPort();
    return new ConformanceBase.Target(uri.getHost(), port, null);
  }
}
