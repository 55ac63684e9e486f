package io.raftbed.chaos.backend;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.raftbed.chaos.wiring.Endpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * Nodes as Docker containers, one per node, on a Docker network of their own, through Testcontainers
 * (and its Docker client for signals). Inside every container the node serves HTTP on 8080 and peers
 * on 9080, bound to its network alias {@code nN}, which is also how other nodes and the proxy
 * container reach it; the harness reaches node {@code N}'s HTTP API on a host port of 127.0.0.1 that
 * is chosen once and kept across restarts. The node's data directory ({@code DIR/nN/data}), its log
 * ({@code DIR/nN.log}) and, with faked clocks, its libfaketime file ({@code DIR/nN/clock/faketime})
 * are bind mounts, so the harness can damage the WAL between restarts, read the log after a kill and
 * move the clock of a running node. Containers run as the owner of {@code DIR}.
 *
 * <p>Signals: {@code docker kill} (SIGKILL) keeps the stopped container until the next start or
 * {@link #close}, so its exit code can be read; pause and resume use the cgroup freezer
 * ({@code docker pause}); a restart is a new container with the same name, alias, mounts and ports.
 *
 * <p>With a proxy image, a {@link ToxiproxyContainer} (alias {@value #PROXY_ALIAS}) serves the
 * Toxiproxy API: client-link proxies listen on its published ports 8666-8697, the others on unpublished
 * ports from 20000. Ryuk cannot run here, so this class removes everything it creates in
 * {@link #close}, which a shutdown hook also runs; every container and the network carry the label
 * {@value #RUN_LABEL} with this run's id, and {@code close} removes whatever still has it.
 *
 * <p>Called by one thread at a time, as {@link NodeBackend} says; methods are synchronized anyway.
 */
public final class ContainerBackend implements NodeBackend {
  public static final String RUN_LABEL = "io.raftbed.run";
  public static final String PROXY_ALIAS = "toxiproxy";
  static final int HTTP_PORT = 8080;
  static final int PEER_PORT = 9080;
  private static final String CLOCK_MOUNT = "/clock";
  /** Starts of one node tried before a taken host port is an error. */
  private static final int PORT_ATTEMPTS = 3;

  /**
   * @param nodeImage the node image (normally {@link ContainerImages#node()})
   * @param proxyImage a Toxiproxy-compatible image, or null for no proxy container
   * @param javaOptions JVM options of every node
   * @param fakeClock whether nodes run under libfaketime (from the image) with a clock file each
   */
  public record Options(String nodeImage, String proxyImage, List<String> javaOptions, boolean fakeClock) {
    public Options {
      javaOptions = List.copyOf(javaOptions);
    }

    /** This build's node and proxy images. */
    public static Options defaults(List<String> javaOptions, boolean fakeClock) {
      return new Options(ContainerImages.node(), ContainerImages.proxy(), javaOptions, fakeClock);
    }
  }

  private final Path dir;
  private final Options options;
  private final String runId;
  private final DockerClient docker;
  private final Network network;
  private final Map<Integer, Integer> hostHttpPorts = new LinkedHashMap<>();
  /**
   * Below the ephemeral range, where Docker does not publish; still, a port may be taken between its
   * pick and the container's start, and the start then moves the node to another one.
   */
  private final FreePorts ports = new FreePorts();
  private final Map<Integer, GenericContainer<?>> nodes = new HashMap<>();
  private final ToxiproxyContainer proxy;
  private final ContainerEndpoints endpoints;
  private boolean closed;
  private final Thread reaper = new Thread(this::close, "chaos-container-reaper");

  /**
   * Creates the network and, with a proxy image, starts the proxy container (waits until its API
   * answers). Nodes 1..machines get host ports now. Throws, having removed what it created, when the
   * engine does not answer or an image is missing.
   */
  public ContainerBackend(Path dir, int machines, Options options) throws IOException {
    this.dir = dir.toAbsolutePath().normalize();
    this.options = options;
    this.runId = "rb" + Long.toString(System.currentTimeMillis(), 36) + Integer.toString(ProcessHandle.current().hashCode() & 0xfff, 36);
    Optional<String> problem = ContainerImages.engineProblem();
    if (problem.isPresent()) {
      throw new IOException(problem.get());
    }
    ContainerImages.require(options.nodeImage());
    if (options.proxyImage() != null) {
      ContainerImages.require(options.proxyImage());
    }
    this.docker = DockerClientFactory.instance().client();
    String host = DockerClientFactory.instance().dockerHostIpAddress();
    if (!host.equals("localhost") && !host.startsWith("127.")) {
      // Ports are published on 127.0.0.1 only; Testcontainers would dial them elsewhere (it does so when
      // it believes it runs inside a container, e.g. where /.dockerenv exists).
      throw new IOException("Testcontainers would reach published ports at " + host + ", but they are bound to"
          + " 127.0.0.1; set TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 (bin/raftbed does)");
    }
    Files.createDirectories(this.dir);
    Runtime.getRuntime().addShutdownHook(reaper);
    this.network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withLabels(Map.of(RUN_LABEL, runId))).build();
    try {
      this.proxy = options.proxyImage() == null ? null : NodeContainers.startProxy(options.proxyImage(), network, runId);
      this.endpoints = new ContainerEndpoints(proxy);
    } catch (RuntimeException e) {
      close();
      throw new IOException("the proxy container did not start: " + rootMessage(e), e);
    }
    // The nodes' host ports are picked once the proxy container holds its own: Docker gives those from
    // its dynamic range, and a port picked before could be given to the proxy next (CI saw that).
    for (int id = 1; id <= machines; id++) {
      hostHttpPorts.put(id, ports.next());
    }
  }

  @Override
  public String describe() {
    return "containers (label " + RUN_LABEL + "=" + runId + ")";
  }

  /** This run's id: a prefix of every container name, and the value of {@value #RUN_LABEL}. */
  public String runId() {
    return runId;
  }

  /** The node's container name ({@code RUNID-nN}). */
  public String containerName(int id) {
    return runId + "-n" + id;
  }

  /** The proxy container's Toxiproxy API as the harness reaches it, e.g. for {@code ToxiproxyClient}. */
  public String proxyApiUrl() {
    if (proxy == null) {
      throw new IllegalStateException("this backend runs no proxy container");
    }
    return "http://" + proxy.getHost() + ":" + proxy.getControlPort();
  }

  @Override
  public Endpoints endpoints() {
    return endpoints;
  }

  @Override
  public String directUrl(int id) {
    return "http://127.0.0.1:" + hostHttpPort(id);
  }

  @Override
  public String nodeHttpForNodes(int id) {
    hostHttpPort(id);
    return "http://" + alias(id) + ":" + HTTP_PORT;
  }

  private int hostHttpPort(int id) {
    Integer port = hostHttpPorts.get(id);
    if (port == null) {
      throw new IllegalArgumentException("n" + id + " is not a machine of this backend (1.." + hostHttpPorts.size() + ")");
    }
    return port;
  }

  /** The node's network alias: its host name for the proxy and the other nodes. */
  public static String alias(int id) {
    return "n" + id;
  }

  @Override
  public List<String> placementArgs(int id) {
    hostHttpPort(id);
    return List.of("--listen-host", alias(id), "--http-port", Integer.toString(HTTP_PORT), "--peer-port",
        Integer.toString(PEER_PORT), "--data-dir", "/data");
  }

  @Override
  public String memberSpec(int id) {
    return id + "=" + alias(id) + ":" + PEER_PORT + ":" + HTTP_PORT;
  }

  @Override
  public synchronized void start(int id, List<String> nodeArgs, Map<String, String> environment) throws IOException {
    hostHttpPort(id);
    if (closed) {
      throw new IOException("the backend is closed");
    }
    if (running(id)) {
      throw new IOException("n" + id + " is already running");
    }
    startOnAFreePort(id, nodeArgs, environment);
  }

  private void startContainer(int id, List<String> nodeArgs, Map<String, String> environment) throws IOException {
    int hostPort = hostHttpPort(id);
    removeNode(id);
    Files.createDirectories(dataDir(id));
    Files.writeString(logFile(id), "---- start " + Instant.now() + " in " + options.nodeImage() + ": "
        + String.join(" ", nodeArgs) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    String user = Files.getAttribute(dir, "unix:uid") + ":" + Files.getAttribute(dir, "unix:gid");
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put("JAVA_OPTS", String.join(" ", options.javaOptions()));
    List<Bind> binds = new ArrayList<>(List.of(
        new Bind(dataDir(id).toString(), new Volume("/data"), AccessMode.rw),
        new Bind(logFile(id).toString(), new Volume(NodeContainers.LOG_MOUNT), AccessMode.rw)));
    if (options.fakeClock()) {
      Path clock = clockFile(id);
      Files.createDirectories(clock.getParent());
      if (!Files.exists(clock)) {
        FakeTime.write(clock, FakeTime.Setting.TRUE);
      }
      // The directory, not the file: the harness replaces the file by renaming, which a file mount would not see.
      binds.add(new Bind(clock.getParent().toString(), new Volume(CLOCK_MOUNT), AccessMode.ro));
    }
    // Mounts and the port go in through the create command: Testcontainers' own file binds would first
    // check with an alpine container, which cannot be pulled here.
    GenericContainer<?> c = NodeContainers.node(options.nodeImage(), network, runId, id, containerName(id), user)
        .withEnv(env).withCommand(nodeArgs.toArray(String[]::new))
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(binds).withPortBindings(
            new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), ExposedPort.tcp(HTTP_PORT))));
    nodes.put(id, c);
    try {
      c.start();
    } catch (RuntimeException e) {
      throw new IOException("n" + id + "'s container did not start: " + rootMessage(e), e);
    }
  }

  /**
   * Starts node {@code id}; when its host port turns out to be taken (another program or another
   * container holds it since it was picked), moves the node to a fresh port and tries again, at most
   * {@value #PORT_ATTEMPTS} times. The harness finds the node through {@link #directUrl} on every call.
   */
  private void startOnAFreePort(int id, List<String> nodeArgs, Map<String, String> environment) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        startContainer(id, nodeArgs, environment);
        return;
      } catch (IOException e) {
        if (attempt == PORT_ATTEMPTS || !hostPortTaken(e)) {
          throw e;
        }
        int taken = hostHttpPorts.put(id, ports.next());
        System.err.printf("containers: n%d's host port %d is taken (%s); moving it to %d%n",
            id, taken, rootMessage(e), hostHttpPorts.get(id));
        removeNode(id);
      }
    }
  }

  /** Docker's words for a published port it cannot have: its own allocator's, or the userland proxy's bind. */
  static boolean hostPortTaken(Throwable e) {
    String m = rootMessage(e);
    return m.contains("port is already allocated") || m.contains("address already in use");
  }

  /** The innermost cause's message, where Docker's own words are (Testcontainers wraps them twice). */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().strip();
    if (root == e || e.getMessage() == null) {
      return m;
    }
    String outer = e.getMessage().strip();
    return outer.contains(m) ? outer : outer + ": " + m;
  }

  private Optional<InspectContainerResponse.ContainerState> state(int id) {
    GenericContainer<?> c = nodes.get(id);
    if (c == null || c.getContainerId() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(docker.inspectContainerCmd(c.getContainerId()).exec().getState());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized boolean running(int id) {
    return state(id).map(s -> Boolean.TRUE.equals(s.getRunning())).orElse(false);
  }

  @Override
  public synchronized Optional<Instant> startedAt(int id) {
    return state(id).filter(s -> Boolean.TRUE.equals(s.getRunning())).map(s -> Instant.parse(s.getStartedAt()));
  }

  @Override
  public synchronized OptionalInt exitCode(int id) {
    return state(id).filter(s -> !Boolean.TRUE.equals(s.getRunning()) && s.getExitCodeLong() != null)
        .map(s -> OptionalInt.of(s.getExitCodeLong().intValue())).orElse(OptionalInt.empty());
  }

  /** Whether node {@code id}'s container is frozen by {@link #pause}. */
  public synchronized boolean paused(int id) {
    return state(id).map(s -> Boolean.TRUE.equals(s.getPaused())).orElse(false);
  }

  @Override
  public synchronized void kill(int id) throws IOException {
    if (!running(id)) {
      return;
    }
    dockerCall("kill n" + id, () -> docker.killContainerCmd(containerId(id)).withSignal("KILL").exec());
    awaitExit(id, Duration.ofSeconds(10));
  }

  @Override
  public synchronized void pause(int id) throws IOException {
    requireRunning(id);
    dockerCall("pause n" + id, () -> docker.pauseContainerCmd(containerId(id)).exec());
  }

  @Override
  public synchronized void resume(int id) throws IOException {
    requireRunning(id);
    if (!paused(id)) {
      return; // as SIGCONT to a running process: nothing to do (the final heal resumes every member)
    }
    dockerCall("unpause n" + id, () -> docker.unpauseContainerCmd(containerId(id)).exec());
  }

  @Override
  public synchronized void stop(int id, Duration grace) throws IOException {
    if (!running(id)) {
      return;
    }
    if (paused(id)) {
      resume(id); // a frozen JVM would not handle SIGTERM
    }
    int seconds = (int) Math.max(1, (grace.toMillis() + 999) / 1000);
    dockerCall("stop n" + id, () -> docker.stopContainerCmd(containerId(id)).withTimeout(seconds).exec());
    awaitExit(id, Duration.ofSeconds(10));
  }

  /** Takes node {@code id} off the network (its peers and the proxy can no longer reach it). */
  public synchronized void disconnect(int id) throws IOException {
    requireRunning(id);
    dockerCall("disconnect n" + id, () -> docker.disconnectFromNetworkCmd().withNetworkId(network.getId())
        .withContainerId(containerId(id)).exec());
  }

  /** Puts node {@code id} back on the network under its alias. */
  public synchronized void reconnect(int id) throws IOException {
    requireRunning(id);
    dockerCall("connect n" + id, () -> docker.connectToNetworkCmd().withNetworkId(network.getId())
        .withContainerId(containerId(id)).withContainerNetwork(
            new com.github.dockerjava.api.model.ContainerNetwork().withAliases(alias(id))).exec());
  }

  /** Runs {@code command} inside node {@code id}'s container (with the node's environment); returns its stdout. */
  public synchronized String exec(int id, String... command) throws IOException {
    requireRunning(id);
    try {
      org.testcontainers.containers.Container.ExecResult r = nodes.get(id).execInContainer(command);
      if (r.getExitCode() != 0) {
        throw new IOException(String.join(" ", command) + " in n" + id + " exited " + r.getExitCode() + ": " + r.getStderr());
      }
      return r.getStdout();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void requireRunning(int id) throws IOException {
    if (!running(id)) {
      throw new IOException("n" + id + " is not running");
    }
  }

  private String containerId(int id) {
    return nodes.get(id).getContainerId();
  }

  private void awaitExit(int id, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running(id)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("n" + id + "'s container still runs " + timeout.toSeconds() + " s after the signal");
      }
      sleepMillis(50);
    }
  }

  private static void dockerCall(String what, Runnable call) throws IOException {
    try {
      call.run();
    } catch (DockerException e) {
      throw new IOException(what + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Path dataDir(int id) {
    return dir.resolve("n" + id).resolve("data");
  }

  private Path logFile(int id) {
    return dir.resolve("n" + id + ".log");
  }

  @Override
  public Path clockFile(int id) {
    return options.fakeClock() ? dir.resolve("n" + id).resolve("clock").resolve("faketime") : null;
  }

  @Override
  public Map<String, String> clockEnvironment(int id) {
    return options.fakeClock()
        ? FakeTime.environment(ContainerImages.LIBFAKETIME, CLOCK_MOUNT + "/" + clockFile(id).getFileName())
        : Map.of();
  }

  @Override
  public void collectLogs(Path out) throws IOException {
    Files.createDirectories(out);
    for (int id : hostHttpPorts.keySet()) {
      Path target = out.resolve("n" + id + ".log");
      if (Files.exists(logFile(id)) && !target.toAbsolutePath().normalize().equals(logFile(id))) {
        Files.copy(logFile(id), target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Removes node {@code id}'s container, running or not. */
  private void removeNode(int id) {
    GenericContainer<?> c = nodes.remove(id);
    if (c != null) {
      c.stop(); // kills and removes the container with its anonymous volumes
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int id : List.copyOf(nodes.keySet())) {
      try {
        removeNode(id);
      } catch (RuntimeException e) {
        // the sweep below removes it by label
      }
    }
    if (proxy != null) {
      try {
        proxy.stop();
      } catch (RuntimeException e) {
        // the sweep below removes it by label
      }
    }
    new LeftoverSweep(runId).removeAll(network);
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook running
    }
  }

  private static void sleepMillis(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
