package io.raftbed.chaos.cli;

import io.raftbed.chaos.cluster.ClusterLayout;
import io.raftbed.chaos.cluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftbed cluster up|status|down|kill|start}: a local cluster of node processes on 127.0.0.1,
 * kept in a directory (see {@link ClusterLayout}).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "A local cluster of node processes: up, status, down, kill/start of one node, and membership:"
        + " join, remove, transfer.",
    subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class, ClusterCommand.Down.class,
        ClusterCommand.Kill.class, ClusterCommand.Start.class, MembershipCommands.Join.class,
        MembershipCommands.Remove.class, MembershipCommands.Transfer.class})
final class ClusterCommand {
  /** G1 with a short pause goal: a long stop-the-world pause on a leader would cost an election. */
  static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED");
  static final String DEFAULT_JAVA_OPTIONS_TEXT = "-Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20"
      + " -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED";

  /** Options every subcommand shares. */
  static class DirOption {
    @Option(names = "--dir", defaultValue = "runs/cluster", description = "The cluster's directory: layout, node"
        + " data, logs (nN.log) and PID files. Default: ${DEFAULT-VALUE}.")
    Path dir;

    LocalCluster open() throws IOException {
      requireCluster(dir);
      return LocalCluster.open(dir, LocalCluster.Launcher.ofCurrentJvm(true, true));
    }
  }

  /** Throws IllegalArgumentException (a usage error) unless {@code dir} holds a cluster. */
  static void requireCluster(Path dir) {
    if (!Files.isRegularFile(dir.resolve(ClusterLayout.FILE))) {
      throw new IllegalArgumentException("no cluster in " + dir + " (no " + ClusterLayout.FILE + " there); start one"
          + " with 'raftbed cluster up --dir " + dir + "'");
    }
  }

  /** Throws IllegalArgumentException (a usage error) unless {@code id} is a node of {@code c}. */
  static void requireNode(LocalCluster c, int id) {
    if (!c.layout().hasNode(id)) {
      throw new IllegalArgumentException("no node n" + id + " in " + c.dir() + "; it has " + String.join(", ",
          c.layout().nodes().stream().map(ClusterLayout.NodeSpec::name).toList()));
    }
  }

  private static void requirePort(String option, int base, int nodes) {
    if (base < 1 || base + nodes > 65535) {
      throw new IllegalArgumentException(option + " " + base + " leaves no room for " + nodes + " nodes below 65536");
    }
  }

  static void printStatus(LocalCluster c) {
    for (ClusterLayout.NodeSpec n : c.layout().nodes()) {
      System.out.println(c.statusLine(n.id()));
    }
  }

  @Command(name = "up", mixinStandardHelpOptions = true, description = {"Starts a cluster, or restarts the one in"
      + " --dir from its data (its saved layout wins over the options below). Node i serves HTTP on"
      + " http-port-base+i and peers on peer-port-base+i. Waits until a leader is elected, then prints the status."})
  static final class Up extends DirOption implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--http-port-base", defaultValue = "8080", description = "Default: ${DEFAULT-VALUE}.")
    int httpPortBase;

    @Option(names = "--peer-port-base", defaultValue = "9080", description = "Default: ${DEFAULT-VALUE}.")
    int peerPortBase;

    @Option(names = "--cluster-id", defaultValue = "local", description = "Default: ${DEFAULT-VALUE}.")
    String clusterId;

    @Option(names = "--node-arg", paramLabel = "ARG", description = "An extra argument for every node, repeatable,"
        + " e.g. --node-arg=--tick-interval-millis=20.")
    List<String> nodeArgs = new ArrayList<>();

    @Option(names = "--java-opt", paramLabel = "OPT", description = "A JVM option for every node, repeatable."
        + " Default: " + DEFAULT_JAVA_OPTIONS_TEXT + ".")
    List<String> javaOptions;

    @Option(names = "--timeout-seconds", defaultValue = "60", description = "How long to wait for the nodes and a"
        + " leader. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--tls", description = "Run the cluster with TLS: certificates and tokens in DIR/tls (made by"
        + " 'raftbed certs'), mutual TLS between peers, HTTPS for clients, the admin token for membership and"
        + " transfer. The cluster commands and bench use them by themselves. Kept in the layout: a restart keeps it.")
    boolean tls;

    @Override
    public Integer call() throws Exception {
      if (nodes < 1 || nodes > 99) {
        throw new IllegalArgumentException("--nodes must be 1..99, got " + nodes);
      }
      requirePort("--http-port-base", httpPortBase, nodes);
      requirePort("--peer-port-base", peerPortBase, nodes);
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException("--timeout-seconds must be positive, got " + timeoutSeconds);
      }
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--dir " + dir + " is a file, not a directory");
      }
      List<String> jvm = javaOptions != null ? javaOptions : DEFAULT_JAVA_OPTIONS;
      ClusterLayout layout = ClusterLayout.of(clusterId, "127.0.0.1", nodes, httpPortBase, peerPortBase, nodeArgs, jvm)
          .withTls(tls);
      LocalCluster c = LocalCluster.createOrOpen(dir, layout, LocalCluster.Launcher.ofCurrentJvm(true, true));
      c.startAll();
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      for (ClusterLayout.NodeSpec n : c.layout().nodes()) {
        c.awaitServing(n.id(), timeout);
      }
      Optional<Integer> leader = c.awaitLeader(timeout);
      printStatus(c);
      if (leader.isEmpty()) {
        System.err.println("raftbed cluster: no leader within " + timeout + "; see the logs in " + c.dir());
        return 1;
      }
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Prints one line per node: id=n1 pid=4242 http=http://127.0.0.1:8081 role=leader term=..."
          + " (role=down when not running, role=unreachable when running but not answering).")
  static final class Status extends DirOption implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      printStatus(open());
      return 0;
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true,
      description = "Stops every node: SIGTERM, then SIGKILL after the grace period. Data stays in --dir.")
  static final class Down extends DirOption implements Callable<Integer> {
    @Option(names = "--grace-seconds", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int graceSeconds;

    @Override
    public Integer call() throws Exception {
      if (graceSeconds < 0) {
        throw new IllegalArgumentException("--grace-seconds must not be negative, got " + graceSeconds);
      }
      LocalCluster c = open();
      c.stopAll(Duration.ofSeconds(graceSeconds));
      printStatus(c);
      return 0;
    }
  }

  @Command(name = "kill", mixinStandardHelpOptions = true, description = "Kills one node with SIGKILL (kill -9).")
  static final class Kill extends DirOption implements Callable<Integer> {
    @Parameters(paramLabel = "NODE", converter = NodeIdConverter.class, description = "The node, e.g. n2 or 2.")
    int node;

    @Override
    public Integer call() throws Exception {
      LocalCluster c = open();
      requireNode(c, node);
      boolean was = c.kill(node);
      System.out.println(was ? "killed n" + node : "n" + node + " was not running");
      return 0;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts one node from its data.")
  static final class Start extends DirOption implements Callable<Integer> {
    @Parameters(paramLabel = "NODE", converter = NodeIdConverter.class, description = "The node, e.g. n2 or 2.")
    int node;

    @Override
    public Integer call() throws Exception {
      LocalCluster c = open();
      requireNode(c, node);
      int id = node;
      c.start(id);
      c.awaitServing(id, Duration.ofSeconds(60));
      System.out.println(c.statusLine(id));
      return 0;
    }
  }

  /** Converts {@code 2} or {@code n2} to a node id; a bad one is a usage error (exit 2). */
  static final class NodeIdConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return nodeId(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Parses {@code 2} or {@code n2}; throws {@link IllegalArgumentException} naming the input. */
  static int nodeId(String s) {
    try {
      int id = Integer.parseInt(s.startsWith("n") ? s.substring(1) : s);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("a node is named by a positive id, like 2 or n2; got '" + s + "'");
  }
}
