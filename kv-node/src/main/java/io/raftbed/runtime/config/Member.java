package io.raftbed.runtime.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One member of the cluster as configured: {@code ID=HOST:PEER_PORT:HTTP_PORT}, for example
 * {@code 1=127.0.0.1:9081:8081}. The id may be written {@code n1}.
 *
 * <p>In a Raft configuration ({@link io.raftbed.raft.Membership}) a member's address is the opaque
 * string {@link #address()}: {@code HOST:PEER_PORT|http://HOST:HTTP_PORT}, for example
 * {@code 127.0.0.1:9084|http://127.0.0.1:8084}; {@link #fromAddress} parses it back. Both halves name
 * the same host: a node serves its peers and its clients on one address.
 *
 * @param id positive node id
 * @param host where the member listens (name or address)
 * @param peerPort its Raft peer port
 * @param httpPort its HTTP API port
 */
public record Member(int id, String host, int peerPort, int httpPort) {
  public static final String SYNTAX = "ID=HOST:PEER_PORT:HTTP_PORT[,...], e.g. 1=127.0.0.1:9081:8081";
  public static final String ADDRESS_SYNTAX = "HOST:PEER_PORT|http://HOST:HTTP_PORT, e.g."
      + " 127.0.0.1:9084|http://127.0.0.1:8084";
  /** Longest address string accepted: a configuration entry carries one per member. */
  public static final int ADDRESS_CHARS_MAX = 512;

  public Member {
    if (id <= 0) {
      throw new IllegalArgumentException("member id must be positive, got " + id);
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("member " + id + " has no host");
    }
    checkPort(peerPort, "peer");
    checkPort(httpPort, "HTTP");
  }

  private static void checkPort(int port, String what) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " port " + port + " is outside 1..65535");
    }
  }

  /** Parses one member; throws {@link IllegalArgumentException} with the expected syntax. */
  public static Member parse(String spec) {
    String s = spec.trim();
    int eq = s.indexOf('=');
    String[] parts = eq < 0 ? new String[0] : s.substring(eq + 1).split(":");
    if (eq < 1 || parts.length != 3) {
      throw new IllegalArgumentException("bad member '" + spec + "'; expected " + SYNTAX);
    }
    try {
      String idText = s.substring(0, eq).trim();
      int id = Integer.parseInt(idText.startsWith("n") ? idText.substring(1) : idText);
      return new Member(id, parts[0].trim(), Integer.parseInt(parts[1].trim()), Integer.parseInt(parts[2].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in member '" + spec + "'; expected " + SYNTAX, e);
    }
  }

  /** Parses a comma-separated list; ids must be distinct. */
  public static List<Member> parseList(String specs) {
    List<Member> out = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (String spec : specs.split(",")) {
      if (spec.isBlank()) {
        continue;
      }
      Member m = parse(spec);
      if (!ids.add(m.id())) {
        throw new IllegalArgumentException("member id " + m.id() + " appears twice in '" + specs + "'");
      }
      out.add(m);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no members in '" + specs + "'; expected " + SYNTAX);
    }
    return out;
  }

  /**
   * Parses a configuration address ({@link #ADDRESS_SYNTAX}); throws {@link IllegalArgumentException}
   * naming the expected form.
   */
  public static Member fromAddress(int id, String address) {
    if (address == null || address.length() > ADDRESS_CHARS_MAX) {
      throw new IllegalArgumentException("bad address for member " + id + "; expected " + ADDRESS_SYNTAX);
    }
    int bar = address.indexOf('|');
    if (bar < 0) {
      throw new IllegalArgumentException("address '" + address + "' of member " + id + " has no '|'; expected "
          + ADDRESS_SYNTAX);
    }
    HostPort peer = HostPort.parse(address.substring(0, bar), "peer address of member " + id);
    String http = address.substring(bar + 1);
    if (!http.startsWith("http://")) {
      throw new IllegalArgumentException("HTTP address '" + http + "' of member " + id + " must start with http://");
    }
    HostPort api = HostPort.parse(http.substring("http://".length()), "HTTP address of member " + id);
    if (!api.host().equals(peer.host())) {
      throw new IllegalArgumentException("member " + id + " has peer host " + peer.host() + " but HTTP host "
          + api.host() + "; a node serves both on one host");
    }
    return new Member(id, peer.host(), peer.port(), api.port());
  }

  /** This member's address in a Raft configuration: {@code HOST:PEER_PORT|http://HOST:HTTP_PORT}. */
  public String address() {
    return peerAddress() + "|" + httpUrl();
  }

  /** A host and a port, {@code HOST:PORT} or {@code [IPV6]:PORT}. */
  record HostPort(String host, int port) {
    static HostPort parse(String text, String what) {
      int colon = text.lastIndexOf(':');
      String host = colon < 0 ? "" : text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isBlank() || host.contains("/") || host.contains("|")) {
        throw new IllegalArgumentException(what + " '" + text + "' is not HOST:PORT");
      }
      try {
        int port = Integer.parseInt(text.substring(colon + 1));
        checkPort(port, what);
        return new HostPort(host, port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(what + " '" + text + "' has no numeric port", e);
      }
    }
  }

  public String name() {
    return "n" + id;
  }

  public String httpUrl() {
    return "http://" + hostForUrl() + ":" + httpPort;
  }

  public String peerAddress() {
    return hostForUrl() + ":" + peerPort;
  }

  public InetSocketAddress peerSocketAddress() {
    return InetSocketAddress.createUnresolved(host, peerPort);
  }

  public InetSocketAddress httpSocketAddress() {
    return InetSocketAddress.createUnresolved(host, httpPort);
  }

  private String hostForUrl() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  @Override
  public String toString() {
    return id + "=" + host + ":" + peerPort + ":" + httpPort;
  }
}
