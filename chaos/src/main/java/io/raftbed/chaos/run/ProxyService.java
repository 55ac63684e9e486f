package io.raftbed.chaos.run;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.raftbed.chaos.proxy.FaultProxyServer;
import java.io.IOException;
import java.net.URI;

/**
 * The Toxiproxy server a run drives: a real one named by {@code TOXIPROXY_URL} (or {@code --toxiproxy}),
 * or the project's embedded proxy started for the run and stopped after it. Either way the run talks
 * to it only through toxiproxy-java.
 */
final class ProxyService implements AutoCloseable {
  private final ToxiproxyClient client;
  private final FaultProxyServer embedded;
  private final String url;

  private ProxyService(ToxiproxyClient client, FaultProxyServer embedded, String url) {
    this.client = client;
    this.embedded = embedded;
    this.url = url;
  }

  /** Connects to {@code url} (checking that it answers), or starts the embedded proxy when {@code url} is null. */
  static ProxyService open(String url) throws IOException, ChaosRun.EnvironmentException {
    if (url == null || url.isBlank()) {
      FaultProxyServer server = FaultProxyServer.start("127.0.0.1", 0);
      URI u = URI.create(server.url());
      return new ProxyService(new ToxiproxyClient(u.getHost(), u.getPort()), server, server.url());
    }
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ChaosRun.EnvironmentException("TOXIPROXY_URL '" + url + "' is not a URL such as http://127.0.0.1:8474");
    }
    if (u.getHost() == null || u.getPort() < 0) {
      throw new ChaosRun.EnvironmentException("TOXIPROXY_URL '" + url + "' needs a host and a port, e.g."
          + " http://127.0.0.1:8474");
    }
    ToxiproxyClient client = new ToxiproxyClient(u.getHost(), u.getPort());
    try {
      client.version();
    } catch (IOException e) {
      throw new ChaosRun.EnvironmentException("the Toxiproxy server at " + url + " does not answer: " + e.getMessage());
    }
    return new ProxyService(client, null, url);
  }

  ToxiproxyClient client() {
    return client;
  }

  String describe() {
    return (embedded != null ? "embedded Toxiproxy-API proxy at " : "Toxiproxy at ") + url;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
