package io.raftbed.chaos.backend;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.util.HashMap;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * How {@link ContainerBackend} describes its containers to Testcontainers: a node container (name,
 * host name and alias {@code nN}, user, labels, the log file setting of the image's entrypoint, no
 * readiness wait) and the proxy container, Testcontainers' own {@link ToxiproxyContainer} running any
 * Toxiproxy-compatible image. Every published port is bound to 127.0.0.1 only.
 *
 * <p>Stateless; the containers it returns are not started, except the proxy's.
 */
final class NodeContainers {
  /** Where the node's log file is mounted; the image's entrypoint appends all output to it. */
  static final String LOG_MOUNT = "/log/node.log";

  /** Images are built locally (or pulled by the user beforehand): a missing one is an error, not a download. */
  private static final ImagePullPolicy NEVER_PULL = image -> false;

  private NodeContainers() {}

  static GenericContainer<?> node(String image, Network network, String runId, int id, String name, String user) {
    return new GenericContainer<>(DockerImageName.parse(image))
        .withNetwork(network).withNetworkAliases(ContainerBackend.alias(id))
        .withLabels(Map.of(ContainerBackend.RUN_LABEL, runId, "io.raftbed.node", Integer.toString(id)))
        .withEnv("NODE_LOG_FILE", LOG_MOUNT)
        .withImagePullPolicy(NEVER_PULL)
        .withStartupCheckStrategy(new StartedIsEnough()).waitingFor(new NoWait())
        .withCreateContainerCmdModifier(cmd -> cmd.withName(name).withHostName(ContainerBackend.alias(id))
            .withUser(user).withExposedPorts(ExposedPort.tcp(ContainerBackend.HTTP_PORT)));
  }

  /**
   * Starts the proxy container (alias {@value ContainerBackend#PROXY_ALIAS}) and waits until its API
   * answers {@code GET /version}, as {@link ToxiproxyContainer} does for Toxiproxy's own image.
   */
  static ToxiproxyContainer startProxy(String image, Network network, String runId) {
    DockerImageName name = DockerImageName.parse(image).asCompatibleSubstituteFor("ghcr.io/shopify/toxiproxy");
    ToxiproxyContainer c = new ToxiproxyContainer(name).withImagePullPolicy(NEVER_PULL).withNetwork(network)
        .withNetworkAliases(ContainerBackend.PROXY_ALIAS).withLabels(Map.of(ContainerBackend.RUN_LABEL, runId))
        .withCreateContainerCmdModifier(cmd -> {
          cmd.withName(runId + "-" + ContainerBackend.PROXY_ALIAS);
          loopbackOnly(cmd.getHostConfig().getPortBindings());
        });
    c.start();
    return c;
  }

  /** Rebinds every published port to 127.0.0.1 (Testcontainers publishes on every address). */
  private static void loopbackOnly(Ports ports) {
    if (ports == null) {
      return;
    }
    Map<ExposedPort, Ports.Binding[]> bindings = new HashMap<>(ports.getBindings());
    for (Map.Entry<ExposedPort, Ports.Binding[]> e : bindings.entrySet()) {
      Ports.Binding[] old = e.getValue();
      Ports.Binding[] rebound = new Ports.Binding[old == null ? 1 : old.length];
      for (int i = 0; i < rebound.length; i++) {
        String hostPort = old == null || old[i] == null ? null : old[i].getHostPortSpec();
        rebound[i] = hostPort == null || hostPort.isEmpty() ? Ports.Binding.bindIp("127.0.0.1")
            : Ports.Binding.bindIpAndPort("127.0.0.1", Integer.parseInt(hostPort));
      }
      ports.getBindings().put(e.getKey(), rebound);
    }
  }

  /** Testcontainers' start returns once the container was started, whether the node then lives or exits. */
  private static final class StartedIsEnough extends StartupCheckStrategy {
    @Override
    public StartupStatus checkStartupState(DockerClient client, String containerId) {
      return StartupStatus.SUCCESSFUL;
    }
  }

  /** The harness waits for a node's API itself: {@link NodeBackend#start} returns at once. */
  private static final class NoWait extends AbstractWaitStrategy {
    @Override
    protected void waitUntilReady() {}
  }
}
