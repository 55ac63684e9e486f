package io.raftbed.chaos.backend;

import io.raftbed.chaos.wiring.Endpoints;
import io.raftbed.chaos.wiring.Link;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * Where things are in a {@link ContainerBackend}'s cluster: the proxy container dials nodes by their
 * network alias ({@code nN:9080}, {@code nN:8080}); nodes dial proxy listeners at the proxy
 * container's alias; the harness reaches a client-link listener through the port the proxy container
 * publishes on 127.0.0.1. Client links get ports from the published range (8666-8697, the ports
 * {@link ToxiproxyContainer} exposes), the other links unpublished ports from 20000.
 *
 * <p>Thread-safe: port allocation is synchronized.
 */
final class ContainerEndpoints implements Endpoints {
  private static final int CLIENT_PROXY_PORT_FIRST = 8666;
  private static final int CLIENT_PROXY_PORT_LAST = 8697;
  private static final int INNER_PROXY_PORT_FIRST = 20000;

  private final ToxiproxyContainer proxy;
  private int nextClientProxyPort = CLIENT_PROXY_PORT_FIRST;
  private int nextInnerProxyPort = INNER_PROXY_PORT_FIRST;

  /** @param proxy the started proxy container, or null when the backend runs none */
  ContainerEndpoints(ToxiproxyContainer proxy) {
    this.proxy = proxy;
  }

  @Override
  public String nodePeerForProxy(int id) {
    return ContainerBackend.alias(id) + ":" + ContainerBackend.PEER_PORT;
  }

  @Override
  public String nodeHttpForProxy(int id) {
    return ContainerBackend.alias(id) + ":" + ContainerBackend.HTTP_PORT;
  }

  @Override
  public synchronized int proxyPort(Link link) {
    if (link.kind() != Link.Kind.CLIENT) {
      return nextInnerProxyPort++;
    }
    if (nextClientProxyPort > CLIENT_PROXY_PORT_LAST) {
      throw new IllegalStateException("the proxy container publishes " + (CLIENT_PROXY_PORT_LAST - CLIENT_PROXY_PORT_FIRST + 1)
          + " ports for client links; this cluster needs more");
    }
    return nextClientProxyPort++;
  }

  @Override
  public String proxyListen(int port) {
    return "0.0.0.0:" + port;
  }

  @Override
  public String proxyHostForNodes() {
    return ContainerBackend.PROXY_ALIAS;
  }

  @Override
  public String proxyUrlForHarness(int port) {
    if (proxy == null) {
      throw new IllegalStateException("this backend runs no proxy container");
    }
    if (port < CLIENT_PROXY_PORT_FIRST || port > CLIENT_PROXY_PORT_LAST) {
      throw new IllegalArgumentException("proxy port " + port + " is not published to the harness (only client links"
          + " are, on " + CLIENT_PROXY_PORT_FIRST + "-" + CLIENT_PROXY_PORT_LAST + ")");
    }
    return "http://" + proxy.getHost() + ":" + proxy.getMappedPort(port);
  }
}
