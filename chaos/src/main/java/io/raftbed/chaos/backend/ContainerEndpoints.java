package io.raftbed.chaos.backend;

import io.raftbed.chaos.wiring.Endpoints;
import io.raftbed.chaos.wiring.Link;

/**
 * Where things are in a {@link ContainerBackend}'s cluster: the proxy container dials nodes by their
 * network alias ({@code nN:9080}, {@code nN:8080}); nodes dial proxy listeners at the proxy
 * container's alias; the harness reaches a client-link listener through the port the proxy container
 * publishes on 127.0.0.1. Client links get ports from the published range, other links do not need one.
 *
 * <p>Thread-safe: port allocation is synchronized by the backend.
 */
final class ContainerEndpoints implements Endpoints {
  private final ContainerBackend backend;

  ContainerEndpoints(ContainerBackend backend) {
    this.backend = backend;
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
  public int proxyPort(Link link) {
    return backend.allocateProxyPort(link.kind() == Link.Kind.CLIENT);
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
    return backend.proxyUrlForHarness(port);
  }
}
