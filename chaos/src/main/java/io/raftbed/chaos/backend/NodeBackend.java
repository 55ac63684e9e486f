package io.raftbed.chaos.backend;

import io.raftbed.chaos.wiring.Endpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where a chaos cluster's nodes run: it starts, signals and locates them, and nothing else; the
 * wiring, nemesis, workload and checks are shared by every backend. Node ids are 1-based; a node's
 * ports and data directory stay the same across restarts.
 *
 * <p>Called by one thread at a time (the harness or the nemesis, never both at once for one node).
 */
public interface NodeBackend extends AutoCloseable {
  /** Where nodes run, in a few words, for the run's summary ({@code processes}). */
  default String describe() {
    return "processes";
  }

  /** Addresses of nodes and proxies as the proxy server, the nodes and the harness see them. */
  Endpoints endpoints();

  /** The node's HTTP API, reached directly (not through a proxy): the harness's control plane. */
  String directUrl(int id);

  /**
   * The node's HTTP API as other nodes reach it directly: what a joining node asks, and the address a
   * membership change announces. The harness's {@link #directUrl} unless nodes live elsewhere.
   */
  default String nodeHttpForNodes(int id) {
    return directUrl(id);
  }

  /**
   * The arguments every start of node {@code id} gets from the backend: listen host, ports, data
   * directory. The harness adds the rest (id, peers or join, routes, settings).
   */
  List<String> placementArgs(int id);

  /** Node {@code id}'s entry in {@code --peers} ({@code ID=HOST:PEER_PORT:HTTP_PORT}): where the others know it serves. */
  String memberSpec(int id);

  /** Starts node {@code id} with these node arguments and extra environment; returns at once. */
  void start(int id, List<String> nodeArgs, Map<String, String> environment) throws IOException;

  /** Whether node {@code id}'s process runs (a paused one does). */
  boolean running(int id);

  /** When node {@code id}'s running process started (what its libfaketime counts from), if it runs. */
  java.util.Optional<java.time.Instant> startedAt(int id);

  /** The exit code of node {@code id}'s last process, if it has exited. */
  OptionalInt exitCode(int id);

  /** SIGKILL; returns once the process is gone. */
  void kill(int id) throws IOException;

  /** SIGSTOP. */
  void pause(int id) throws IOException;

  /** SIGCONT; nothing when the node is not paused. */
  void resume(int id) throws IOException;

  /** SIGTERM, then SIGKILL after {@code grace}. */
  void stop(int id, Duration grace) throws IOException;

  /** The node's data directory as this machine sees it (its write-ahead log is under {@code wal/}). */
  Path dataDir(int id);

  /** The file that drives the node's libfaketime clock, or null when clocks are not faked. */
  Path clockFile(int id);

  /** The environment that makes a node's clock follow {@link #clockFile}; empty if faketime is missing. */
  Map<String, String> clockEnvironment(int id);

  /** Copies every node's output into {@code dir} as {@code nN.log}. */
  void collectLogs(Path dir) throws IOException;

  /** Kills every node this backend started; never throws. */
  @Override
  void close();
}
