package io.raftbed.chaos.wiring;

/**
 * One proxied, directed link of a chaos cluster. A peer link carries what node {@code from} sends
 * node {@code to} (the peer transport sends only on connections it dialed, so a link is one
 * direction of Raft traffic); a forward link carries the HTTP requests {@code from} forwards to
 * {@code to} when {@code to} leads; a client link carries the workload's requests to {@code to}
 * ({@code from} is 0).
 */
public record Link(Kind kind, int from, int to) {
  /** What travels on a link. */
  public enum Kind {
    PEER,
    FORWARD,
    CLIENT
  }

  public static Link peer(int from, int to) {
    return new Link(Kind.PEER, from, to);
  }

  public static Link forward(int from, int to) {
    return new Link(Kind.FORWARD, from, to);
  }

  public static Link client(int to) {
    return new Link(Kind.CLIENT, 0, to);
  }

  /** The proxy's name, unique within a run: {@code n1-n2-peer}, {@code n1-n2-http}, {@code client-n2}. */
  public String proxyName(String runPrefix) {
    return runPrefix + "-" + switch (kind) {
      case PEER -> "n" + from + "-n" + to + "-peer";
      case FORWARD -> "n" + from + "-n" + to + "-http";
      case CLIENT -> "client-n" + to;
    };
  }

  @Override
  public String toString() {
    return kind == Kind.CLIENT ? "client->n" + to : "n" + from + "->n" + to + (kind == Kind.FORWARD ? " (http)" : "");
  }
}
