package io.raftbed.chaos.run;

import io.raftbed.chaos.backend.ContainerBackend;
import io.raftbed.chaos.backend.ContainerImages;
import io.raftbed.chaos.backend.FakeTime;
import io.raftbed.chaos.backend.NodeBackend;
import io.raftbed.chaos.backend.ProcessBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Opens the backend a scenario names and the Toxiproxy server that goes with it. On processes: node
 * JVMs on this machine, and the embedded proxy (or {@code TOXIPROXY_URL}'s server). On containers:
 * a container per node on a Docker network of the run's own, and a proxy container on the same
 * network (the project's proxy image, or any Toxiproxy image named by {@code RAFTBED_PROXY_IMAGE}),
 * which is the only place that can reach the nodes by their aliases. Everything else of a run is the
 * same on both.
 */
final class Backends {
  /** Environment variable naming a Toxiproxy-compatible image for the containers backend. */
  static final String PROXY_IMAGE_VARIABLE = "RAFTBED_PROXY_IMAGE";

  /** A backend and its proxy server; closing stops both, the proxy first. */
  record Opened(NodeBackend backend, ProxyService proxies) implements AutoCloseable {
    @Override
    public void close() {
      try {
        proxies.close();
      } finally {
        backend.close();
      }
    }
  }

  private Backends() {}

  /**
   * @param nodesDir where node data and logs go
   * @param clocks whether the scenario skews clocks (nodes then run under libfaketime)
   */
  static Opened open(String backend, int machines, Path nodesDir, List<String> javaOptions, boolean clocks,
      String toxiproxyUrl) throws IOException, ChaosRun.EnvironmentException {
    return switch (backend) {
      case "processes" -> processes(machines, nodesDir, javaOptions, clocks, toxiproxyUrl);
      case "containers" -> containers(machines, nodesDir, javaOptions, clocks, toxiproxyUrl);
      default -> throw new ChaosRun.EnvironmentException("no backend '" + backend + "'; processes or containers");
    };
  }

  private static Opened processes(int machines, Path nodesDir, List<String> javaOptions, boolean clocks,
      String toxiproxyUrl) throws IOException, ChaosRun.EnvironmentException {
    Path faketime = null;
    if (clocks) {
      faketime = FakeTime.library().orElseThrow(() -> new ChaosRun.EnvironmentException("the scenario skews clocks,"
          + " which needs libfaketime: install Debian's faketime package (apt-get install faketime), or set"
          + " RAFTBED_LIBFAKETIME to the library"));
    }
    ProxyService proxies = ProxyService.open(toxiproxyUrl);
    try {
      return new Opened(ProcessBackend.ofCurrentJvm(nodesDir, machines, javaOptions, faketime), proxies);
    } catch (RuntimeException e) {
      proxies.close();
      throw e;
    }
  }

  private static Opened containers(int machines, Path nodesDir, List<String> javaOptions, boolean clocks,
      String toxiproxyUrl) throws IOException, ChaosRun.EnvironmentException {
    if (toxiproxyUrl != null && !toxiproxyUrl.isBlank()) {
      throw new ChaosRun.EnvironmentException("on containers the fault proxy runs as a container on the nodes'"
          + " network, where a server at TOXIPROXY_URL cannot reach them; unset TOXIPROXY_URL, and set "
          + PROXY_IMAGE_VARIABLE + " to run a Toxiproxy image of your own instead of raftbed/proxy");
    }
    Optional<String> problem = ContainerImages.engineProblem();
    if (problem.isPresent()) {
      throw new ChaosRun.EnvironmentException(problem.get() + "; start one (bin/lib/docker-setup.sh installs and"
          + " starts Debian's docker.io) or run on processes");
    }
    String proxyImage = Optional.ofNullable(System.getenv(PROXY_IMAGE_VARIABLE)).filter(s -> !s.isBlank())
        .orElse(ContainerImages.proxy());
    ContainerBackend.Options options = new ContainerBackend.Options(ContainerImages.node(), proxyImage, javaOptions,
        clocks);
    ContainerBackend backend;
    try {
      backend = new ContainerBackend(nodesDir, machines, options);
    } catch (IOException e) {
      throw new ChaosRun.EnvironmentException(e.getMessage());
    }
    try {
      return new Opened(backend, ProxyService.open(backend.proxyApiUrl()));
    } catch (IOException | ChaosRun.EnvironmentException | RuntimeException e) {
      backend.close();
      throw e;
    }
  }
}
