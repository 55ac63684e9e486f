package io.raftbed.chaos.wiring;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.raftbed.chaos.scenario.FaultSpec.CutMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The proxies of one chaos cluster, driven through the Toxiproxy HTTP API with toxiproxy-java: our
 * embedded proxy or a real Toxiproxy, whichever {@code client} talks to. Every directed peer link
 * (node i dialling node j) has its own proxy, and so has every forward link (i forwarding HTTP to
 * j) and every node's client link, so partitions can be one-way and toxics per link.
 *
 * <p>Cuts are counted per link and mode: two overlapping partitions that both cut a link leave it
 * cut until both heal. Toxics are named by the fault that added them, so healing one fault removes
 * only its own.
 *
 * <p>Thread-safe (synchronized): the nemesis and the harness's final heal may call it.
 */
public final class ProxyNet implements AutoCloseable {
  private static final String DROP_TOXIC = "raftbed-cut";

  private final ToxiproxyClient client;
  private final String prefix;
  private final Endpoints endpoints;
  private final Map<Link, Proxy> proxies = new LinkedHashMap<>();
  private final Map<Link, Integer> ports = new LinkedHashMap<>();
  private final Map<Link, Integer> dropCuts = new HashMap<>();
  private final Map<Link, Integer> refuseCuts = new HashMap<>();

  /**
   * Creates the proxies of machines {@code 1..machines}: peer and forward links between every two,
   * and a client link to each. Deletes proxies of the same names left by an earlier run first.
   */
  public ProxyNet(ToxiproxyClient client, String prefix, Endpoints endpoints, int machines) throws IOException {
    this.client = client;
    this.prefix = prefix;
    this.endpoints = endpoints;
    List<Link> links = new ArrayList<>();
    for (int i = 1; i <= machines; i++) {
      for (int j = 1; j <= machines; j++) {
        if (i != j) {
          links.add(Link.peer(i, j));
          links.add(Link.forward(i, j));
        }
      }
      links.add(Link.client(i));
    }
    try {
      for (Link link : links) {
        String name = link.proxyName(prefix);
        Proxy stale = client.getProxyOrNull(name);
        if (stale != null) {
          stale.delete();
        }
        int port = endpoints.proxyPort(link);
        String upstream = link.kind() == Link.Kind.PEER ? endpoints.nodePeerForProxy(link.to())
            : endpoints.nodeHttpForProxy(link.to());
        proxies.put(link, client.createProxy(name, endpoints.proxyListen(port), upstream));
        ports.put(link, port);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The {@code --routes} value of node {@code from}: every other machine through its proxies. */
  public synchronized String routesOf(int from) {
    StringJoiner out = new StringJoiner(",");
    for (Link link : proxies.keySet()) {
      if (link.kind() == Link.Kind.PEER && link.from() == from) {
        out.add(link.to() + "=" + endpoints.proxyHostForNodes() + ":" + ports.get(link) + ":"
            + ports.get(Link.forward(from, link.to())));
      }
    }
    return out.toString();
  }

  /** The URL clients use to reach node {@code id} (through its client proxy). */
  public synchronized String clientUrl(int id) {
    return endpoints.proxyUrlForHarness(ports.get(Link.client(id)));
  }

  /** Every proxy, for the run folder's {@code proxies.json}: name, link, listen and upstream. */
  public synchronized List<Map<String, String>> describe() {
    List<Map<String, String>> out = new ArrayList<>();
    proxies.forEach((link, p) -> out.add(Map.of("name", p.getName(), "link", link.toString(), "listen",
        p.getListen(), "upstream", p.getUpstream())));
    return out;
  }

  /** Cuts node {@code from}'s peer and forward links to {@code to}: what {@code from} sends {@code to} is lost. */
  public synchronized void cut(int from, int to, CutMode mode) throws IOException {
    for (Link link : List.of(Link.peer(from, to), Link.forward(from, to))) {
      Map<Link, Integer> counts = mode == CutMode.DROP ? dropCuts : refuseCuts;
      int before = counts.getOrDefault(link, 0);
      counts.put(link, before + 1);
      if (before == 0) {
        Proxy p = proxies.get(link);
        if (mode == CutMode.DROP) {
          // A timeout toxic with timeout 0 drops everything and never closes: a silent black hole.
          for (ToxicDirection d : ToxicDirection.values()) {
            p.toxics().timeout(DROP_TOXIC + "-" + d.name().toLowerCase(), d, 0);
          }
        } else {
          p.disable();
        }
      }
    }
  }

  /** Undoes one {@link #cut} of the same link and mode. */
  public synchronized void heal(int from, int to, CutMode mode) throws IOException {
    for (Link link : List.of(Link.peer(from, to), Link.forward(from, to))) {
      Map<Link, Integer> counts = mode == CutMode.DROP ? dropCuts : refuseCuts;
      int before = counts.getOrDefault(link, 0);
      if (before == 0) {
        continue;
      }
      counts.put(link, before - 1);
      if (before == 1) {
        Proxy p = proxies.get(link);
        if (mode == CutMode.DROP) {
          for (ToxicDirection d : ToxicDirection.values()) {
            p.toxics().get(DROP_TOXIC + "-" + d.name().toLowerCase()).remove();
          }
        } else {
          p.enable();
        }
      }
    }
  }

  /** Links whose ends include node {@code id}, of the kinds asked. */
  public synchronized List<Link> linksOf(int id, boolean out, boolean in, boolean clients) {
    List<Link> found = new ArrayList<>();
    for (Link link : proxies.keySet()) {
      boolean peerish = link.kind() != Link.Kind.CLIENT;
      if ((peerish && out && link.from() == id) || (peerish && in && link.to() == id)
          || (!peerish && clients && link.to() == id)) {
        found.add(link);
      }
    }
    return found;
  }

  /**
   * Adds toxic {@code name} of Toxiproxy type {@code type} with these attributes on both streams of
   * every link given. Returns the links it went on.
   */
  public synchronized void addToxic(Collection<Link> links, String name, String type, Map<String, Long> attributes,
      double toxicity) throws IOException {
    for (Link link : links) {
      for (ToxicDirection d : ToxicDirection.values()) {
        Toxic t = create(proxies.get(link), name + "-" + d.name().toLowerCase(), d, type, attributes);
        if (toxicity < 1.0) {
          t.setToxicity((float) toxicity);
        }
      }
    }
  }

  /** Removes toxic {@code name} (both streams) from every link given; a toxic already gone is fine. */
  public synchronized void removeToxic(Collection<Link> links, String name) throws IOException {
    for (Link link : links) {
      for (ToxicDirection d : ToxicDirection.values()) {
        String full = name + "-" + d.name().toLowerCase();
        Proxy p = proxies.get(link);
        if (p.toxics().getAll().stream().anyMatch(t -> t.getName().equals(full))) {
          p.toxics().get(full).remove();
        }
      }
    }
  }

  private static Toxic create(Proxy p, String name, ToxicDirection d, String type, Map<String, Long> a)
      throws IOException {
    var toxics = p.toxics();
    return switch (type) {
      case "latency" -> toxics.latency(name, d, a.getOrDefault("latency", 0L)).setJitter(a.getOrDefault("jitter", 0L));
      case "bandwidth" -> toxics.bandwidth(name, d, a.getOrDefault("rate", 0L));
      case "reset_peer" -> toxics.resetPeer(name, d, a.getOrDefault("timeout", 0L));
      case "slicer" -> toxics.slicer(name, d, a.getOrDefault("average_size", 64L), a.getOrDefault("delay", 0L))
          .setSizeVariation(a.getOrDefault("size_variation", 0L));
      case "slow_close" -> toxics.slowClose(name, d, a.getOrDefault("delay", 0L));
      case "limit_data" -> toxics.limitData(name, d, a.getOrDefault("bytes", 0L));
      case "timeout" -> toxics.timeout(name, d, a.getOrDefault("timeout", 0L));
      default -> throw new IllegalArgumentException("no toxic type " + type);
    };
  }

  /** Removes every cut and toxic and enables every proxy: the final heal. */
  public synchronized void healAll() throws IOException {
    for (Proxy p : proxies.values()) {
      for (Toxic t : p.toxics().getAll()) {
        t.remove();
      }
      p.enable(); // the client's view of enabled may be stale; enabling an enabled proxy changes nothing
    }
    dropCuts.clear();
    refuseCuts.clear();
  }

  /** Deletes this run's proxies (never anyone else's: no {@code /reset}). */
  @Override
  public synchronized void close() {
    List<IOException> failures = new ArrayList<>();
    for (Proxy p : proxies.values()) {
      try {
        p.delete();
      } catch (IOException e) {
        failures.add(e);
      }
    }
    proxies.clear();
    if (!failures.isEmpty()) {
      throw new UncheckedIOException("could not delete " + failures.size() + " proxies", failures.get(0));
    }
  }

  public String prefix() {
    return prefix;
  }
}
