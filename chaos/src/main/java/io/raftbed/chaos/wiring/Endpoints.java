package io.raftbed.chaos.wiring;

/**
 * Where things are, as each party sees them: the proxy server reaches nodes at one address, nodes
 * reach the proxy's listeners at another, and the harness (and its clients) at a third. On local
 * processes all three are 127.0.0.1; in containers they are container names and mapped ports.
 * Implemented by each backend.
 */
public interface Endpoints {
  /** {@code HOST:PORT} the proxy server dials to reach node {@code id}'s peer port. */
  String nodePeerForProxy(int id);

  /** {@code HOST:PORT} the proxy server dials to reach node {@code id}'s HTTP port. */
  String nodeHttpForProxy(int id);

  /** A port for the proxy of {@code link} to listen on (free where the proxy server runs). */
  int proxyPort(Link link);

  /** {@code HOST:PORT} a proxy listens on, given the port chosen for it. */
  String proxyListen(int port);

  /** The host nodes use to reach a proxy listener (with the same port). */
  String proxyHostForNodes();

  /** The base URL ({@code http://HOST:PORT}) through which the harness reaches a proxy listening on {@code port}. */
  String proxyUrlForHarness(int port);
}
