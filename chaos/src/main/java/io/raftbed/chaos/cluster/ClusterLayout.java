package io.raftbed.chaos.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a local cluster is made of, saved as {@code DIR/cluster.json} so that {@code cluster up} on an
 * existing directory restarts the same cluster from its data, and {@code status}/{@code down} find
 * it. Per node, the directory holds {@code nN/data/} (the log), {@code nN.log} (stdout and stderr) and
 * {@code nN.pid}.
 *
 * @param clusterId the cluster id every node is started with
 * @param host the address nodes listen on
 * @param nodes the nodes this directory runs now: the founders still in the cluster and the nodes
 *     that joined
 * @param nodeArgs extra arguments for every node (timing, limits)
 * @param javaOptions JVM options for every node
 * @param founders the nodes the cluster was created with: every founder restarts with all of them as
 *     {@code --peers}, the cluster's initial configuration, even after some were removed
 * @param retiredIds ids of removed nodes, never given out again (a node's id names its votes and log)
 * @param tls whether the nodes run with TLS: mutual TLS between peers, HTTPS, and the admin token
 *     (certificates and tokens in {@code DIR/tls}, see {@code ClusterCertificates})
 */
public record ClusterLayout(String clusterId, String host, List<NodeSpec> nodes, List<String> nodeArgs,
    List<String> javaOptions, List<NodeSpec> founders, List<Integer> retiredIds, boolean tls) {
  public static final String FILE = "cluster.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One node: its id, the two ports it serves, and whether it joined a running cluster (it starts
   * with {@code --join} and keeps what it learned in its data directory) rather than founded it.
   */
  public record NodeSpec(int id, int httpPort, int peerPort, boolean joined) {
    public NodeSpec(int id, int httpPort, int peerPort) {
      this(id, httpPort, peerPort, false);
    }

    public String name() {
      return "n" + id;
    }
  }

  /** A new cluster: every node a founder. */
  public ClusterLayout(String clusterId, String host, List<NodeSpec> nodes, List<String> nodeArgs,
      List<String> javaOptions) {
    this(clusterId, host, nodes, nodeArgs, javaOptions, nodes, List.of(), false);
  }

  /** This layout with TLS on or off. */
  public ClusterLayout withTls(boolean on) {
    return new ClusterLayout(clusterId, host, nodes, nodeArgs, javaOptions, founders, retiredIds, on);
  }

  public ClusterLayout {
    nodes = List.copyOf(nodes);
    nodeArgs = List.copyOf(nodeArgs);
    javaOptions = List.copyOf(javaOptions);
    founders = founders == null ? nodes : List.copyOf(founders); // layouts saved before membership changes
    retiredIds = retiredIds == null ? List.of() : List.copyOf(retiredIds);
  }

  /** This layout with {@code node} added (it joined). */
  public ClusterLayout withNode(NodeSpec node) {
    List<NodeSpec> more = new ArrayList<>(nodes);
    more.add(node);
    return new ClusterLayout(clusterId, host, more, nodeArgs, javaOptions, founders, retiredIds, tls);
  }

  /** This layout without node {@code id}, whose id is retired. */
  public ClusterLayout withoutNode(int id) {
    List<Integer> retired = new ArrayList<>(retiredIds);
    retired.add(id);
    return new ClusterLayout(clusterId, host, nodes.stream().filter(n -> n.id() != id).toList(), nodeArgs,
        javaOptions, founders, retired, tls);
  }

  /** Whether {@code id} was ever given to a node of this cluster. */
  public boolean idUsed(int id) {
    return retiredIds.contains(id) || nodes.stream().anyMatch(n -> n.id() == id)
        || founders.stream().anyMatch(n -> n.id() == id);
  }

  public boolean hasNode(int id) {
    return nodes.stream().anyMatch(n -> n.id() == id);
  }

  /** Node i (1-based) gets HTTP port {@code httpPortBase + i} and peer port {@code peerPortBase + i}. */
  public static ClusterLayout of(String clusterId, String host, int nodeCount, int httpPortBase, int peerPortBase,
      List<String> nodeArgs, List<String> javaOptions) {
    List<NodeSpec> nodes = new ArrayList<>();
    for (int i = 1; i <= nodeCount; i++) {
      nodes.add(new NodeSpec(i, httpPortBase + i, peerPortBase + i));
    }
    return new ClusterLayout(clusterId, host, nodes, nodeArgs, javaOptions);
  }

  /** The {@code --peers} value every founder gets: the cluster's initial configuration. */
  public String peersSpec() {
    return founders.stream().map(n -> n.id() + "=" + host + ":" + n.peerPort() + ":" + n.httpPort())
        .collect(Collectors.joining(","));
  }

  public NodeSpec node(int id) {
    return nodes.stream().filter(n -> n.id() == id).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in this cluster"));
  }

  public String httpUrl(int id) {
    return (tls ? "https://" : "http://") + host + ":" + node(id).httpPort();
  }

  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path temp = dir.resolve(FILE + ".tmp");
    JSON.writeValue(temp.toFile(), this);
    Files.move(temp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads {@code DIR/cluster.json}, or returns null if there is none. */
  public static ClusterLayout load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    return Files.exists(file) ? JSON.readValue(file.toFile(), ClusterLayout.class) : null;
  }
}
