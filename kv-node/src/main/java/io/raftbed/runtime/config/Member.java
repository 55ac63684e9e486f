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
 * @param id positive node id
 * @param host where the member listens (name or address)
 * @param peerPort its Raft peer port
 * @param httpPort its HTTP API port
 */
public record Member(int id, String host, int peerPort, int httpPort) {
  public static final String SYNTAX = "ID=HOST:PEER_PORT:HTTP_PORT[,...], e.g. 1=127.0.0.1:9081:8081";

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
