package io.raftbed.chaos.proxy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A {@code host:port} address as Toxiproxy's {@code listen} and {@code upstream} fields take it (Go's
 * {@code net.SplitHostPort}): {@code [v6]:port} for IPv6 literals, an empty host or {@code 0.0.0.0}
 * or {@code ::} for every interface. Immutable.
 */
record HostPort(String host, int port) {

  /** Parses {@code address}; the message of the exception reads like Go's. */
  static HostPort parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("address " + address + ": missing port in address");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("address " + address + ": too many colons in address");
    }
    String portText = address.substring(colon + 1);
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address " + address + ": invalid port \"" + portText + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("address " + address + ": invalid port " + port);
    }
    return new HostPort(host, port);
  }

  boolean wildcard() {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
  }

  /** The address to bind: the wildcard (dual-stack, as Go listens) or the host resolved now. */
  InetSocketAddress bindAddress() throws UnknownHostException {
    if (wildcard()) {
      return new InetSocketAddress(port);
    }
    return new InetSocketAddress(InetAddress.getByName(host), port);
  }

  /** An unresolved address to dial (Netty resolves it when connecting). */
  InetSocketAddress dialAddress() {
    return InetSocketAddress.createUnresolved(wildcard() ? "127.0.0.1" : host, port);
  }

  /**
   * A bound address as Go's {@code listener.Addr().String()} prints it, which Toxiproxy reports in
   * {@code listen}: {@code 127.0.0.1:41234}, {@code [::1]:41234}, and {@code [::]:41234} for every
   * interface.
   */
  static String format(InetSocketAddress bound) {
    InetAddress a = bound.getAddress();
    if (a == null || a.isAnyLocalAddress()) {
      return "[::]:" + bound.getPort();
    }
    if (a instanceof Inet6Address) {
      String text = a.getHostAddress();
      int scope = text.indexOf('%');
      return "[" + (scope < 0 ? text : text.substring(0, scope)) + "]:" + bound.getPort();
    }
    return a.getHostAddress() + ":" + bound.getPort();
  }
}
