package io.raftbed.runtime;

import io.raftbed.raft.Membership;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.peer.PeerTransport;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each node of the cluster can be reached, for the peer transport (peer port), the leader
 * forwarder and the status page (HTTP). An address is resolved from, in this order:
 *
 * <ol>
 *   <li>the current configuration entry, whose addresses are {@link Member#address()} strings (empty for
 *       founding voters, which the core knows by id only);
 *   <li>this node's own configuration: {@code --peers}, or the members {@code --join} learned;
 *   <li>the address a peer announced in its hello: how a node that missed the entry adding a member
 *       (it was down) can answer that member when it leads.
 * </ol>
 *
 * <p>Where this node <em>dials</em> a member ({@link #dial}, used by the peer transport and the leader
 * forwarder) is that address unless a route overrides it ({@code --routes}): a chaos cluster puts a
 * fault proxy on every directed link this way. Routes never leak into what this node tells others
 * (status page, hellos, configuration entries).
 *
 * <p>Threading: {@link #membershipChanged} runs on the node's loop; {@link #announced} on I/O threads;
 * lookups on any thread. The configuration and its parsed addresses are published together as one
 * immutable value through a volatile field; announcements live in a concurrent map.
 */
public final class MemberDirectory implements PeerTransport.Directory {
  private static final System.Logger LOG = System.getLogger(MemberDirectory.class.getName());
  /** Most announced addresses kept: one per node that ever dialed us, bounded against a flood of ids. */
  private static final int ANNOUNCED_MAX = 1024;

  /** A configuration and the addresses its entry carries, parsed. */
  private record Current(Membership membership, Map<Integer, Member> fromEntry) {}

  private final Map<Integer, Member> configured;
  private final Map<Integer, Member> routes;
  private final Map<Integer, Member> announced = new ConcurrentHashMap<>();
  private volatile Current current;

  /** A directory without routes: this node dials every member where it serves. */
  public MemberDirectory(Collection<Member> configured, Membership initial) {
    this(configured, java.util.List.of(), initial);
  }

  /**
   * @param configured the members this node was started with, itself included
   * @param routes where to dial some members instead of where they serve, at most one per id
   */
  public MemberDirectory(Collection<Member> configured, Collection<Member> routes, Membership initial) {
    this.configured = byId(configured);
    this.routes = byId(routes);
    this.current = parse(initial);
  }

  private static Map<Integer, Member> byId(Collection<Member> members) {
    Map<Integer, Member> byId = new TreeMap<>();
    members.forEach(m -> byId.put(m.id(), m));
    return Map.copyOf(byId);
  }

  /** The configuration changed (node loop): its addresses take precedence from now on. */
  public void membershipChanged(Membership membership) {
    current = parse(membership);
  }

  private static Current parse(Membership membership) {
    Map<Integer, Member> parsed = new TreeMap<>();
    for (var section : java.util.List.of(membership.voters(), membership.learners())) {
      section.forEach((id, address) -> {
        if (address.isEmpty()) {
          return; // a founding voter: known from this node's own configuration
        }
        try {
          parsed.put(id, Member.fromAddress(id, address));
        } catch (IllegalArgumentException e) {
          LOG.log(System.Logger.Level.WARNING, "ignoring the configured address of member n" + id + ": "
              + e.getMessage());
        }
      });
    }
    return new Current(membership, Map.copyOf(parsed));
  }

  /** A peer said in its hello where it serves (I/O thread); kept only as the last resort. */
  public void announced(int id, String address) {
    if (announced.size() >= ANNOUNCED_MAX && !announced.containsKey(id)) {
      return;
    }
    try {
      Member m = Member.fromAddress(id, address);
      if (!m.equals(announced.put(id, m))) {
        LOG.log(System.Logger.Level.DEBUG, "n" + id + " announced " + address);
      }
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.DEBUG, "n" + id + " announced a bad address: " + e.getMessage());
    }
  }

  /** The configuration last seen on the node's loop. */
  public Membership membership() {
    return current.membership();
  }

  /** Where node {@code id} serves, if known. */
  public Optional<Member> member(int id) {
    Member m = current.fromEntry().get(id);
    if (m == null) {
      m = configured.get(id);
    }
    if (m == null) {
      m = announced.get(id);
    }
    return Optional.ofNullable(m);
  }

  /** Where this node connects to reach node {@code id}: its route if it has one, else where it serves. */
  public Optional<Member> dial(int id) {
    Member route = routes.get(id);
    return route != null ? Optional.of(route) : member(id);
  }

  @Override
  public InetSocketAddress peerAddress(int id) {
    return dial(id).map(Member::peerSocketAddress).orElse(null);
  }
}
