package io.raftbed.chaos.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftbed.chaos.client.ClientCredentials;
import io.raftbed.chaos.client.KvHttp;
import io.raftbed.chaos.tls.ClusterCertificates;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of node processes on this machine, described by a {@link ClusterLayout} in a directory.
 * Processes are tracked by PID files, so a later command (or another process) can find, stop or kill
 * them; a PID is trusted only while its command line still names this cluster's data directory, so a
 * recycled PID is never signalled.
 *
 * <p>Not thread-safe; one caller drives it. Every wait is bounded.
 */
public final class LocalCluster {
  private static final String MAIN_CLASS = "io.raftbed.runtime.NodeMain";

  /**
   * How node processes are started.
   *
   * @param java the java executable
   * @param classpath a classpath holding kv-node and its dependencies
   * @param detach start each node in its own session ({@code setsid}), so that it outlives the
   *     command that started it and a Ctrl-C in that terminal; tests do not detach
   * @param snapshot run nodes from copies of the classpath's jars in the cluster directory, so that
   *     a rebuild cannot change a running node's jars (the command line does; tests need not)
   */
  public record Launcher(String java, String classpath, boolean detach, boolean snapshot) {
    /** The running JVM's own java and classpath (which includes kv-node for the chaos module). */
    public static Launcher ofCurrentJvm(boolean detach, boolean snapshot) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      return new Launcher(java, System.getProperty("java.class.path"), detach, snapshot);
    }
  }

  private final Path dir;
  private ClusterLayout layout;
  private final Launcher launcher;
  private final KvHttp http;

  private LocalCluster(Path dir, ClusterLayout layout, Launcher launcher) throws IOException {
    this.dir = dir.toAbsolutePath().normalize();
    this.layout = layout;
    this.launcher = launcher;
    if (layout.tls()) { // the CA and the tokens first: clients of the cluster need them from the start
      certificates().ensure(layout.nodes().stream().map(ClusterLayout.NodeSpec::id).toList(), List.of(layout.host()));
    }
    this.http = new KvHttp(Duration.ofSeconds(2), credentials());
  }

  /** The certificates and tokens of a cluster with TLS: {@code DIR/tls}. */
  public ClusterCertificates certificates() {
    return new ClusterCertificates(dir.resolve("tls"), Duration.ofDays(825));
  }

  /**
   * What a client needs for this cluster: nothing for plain HTTP; with TLS the CA and the admin
   * token (which also allows reads and writes).
   */
  public ClientCredentials credentials() {
    if (!layout.tls()) {
      return ClientCredentials.NONE;
    }
    ClusterCertificates certs = certificates();
    return new ClientCredentials(certs.caCertificate(), Files.exists(certs.adminToken())
        ? ClusterCertificates.readToken(certs.adminToken()) : null);
  }

  /**
   * The node arguments that turn TLS on for node {@code id}, making its certificate if it has none:
   * mutual TLS between peers, HTTPS, the admin token for membership and transfer and the client
   * token for reads and writes (the admin token works for those too).
   */
  private List<String> tlsArgs(int id) throws IOException {
    if (!layout.tls()) {
      return List.of();
    }
    ClusterCertificates certs = certificates();
    certs.ensure(List.of(id), List.of(layout.host()));
    String name = "n" + id;
    return List.of("--tls-cert", certs.certificate(name).toString(), "--tls-key", certs.key(name).toString(),
        "--tls-ca", certs.caCertificate().toString(), "--admin-token-file", certs.adminToken().toString(),
        "--client-token-file", certs.clientToken().toString());
  }

  /** Opens the cluster in {@code dir}, creating it with {@code layout} if the directory has none. */
  public static LocalCluster createOrOpen(Path dir, ClusterLayout layout, Launcher launcher) throws IOException {
    ClusterLayout existing = ClusterLayout.load(dir);
    if (existing == null) {
      layout.save(dir);
      existing = layout;
    }
    return new LocalCluster(dir, existing, launcher);
  }

  /** Opens the cluster in {@code dir}; throws if there is none. */
  public static LocalCluster open(Path dir, Launcher launcher) throws IOException {
    ClusterLayout existing = ClusterLayout.load(dir);
    if (existing == null) {
      throw new IOException("no cluster in " + dir + " (no " + ClusterLayout.FILE + "); run 'cluster up' first");
    }
    return new LocalCluster(dir, existing, launcher);
  }

  public ClusterLayout layout() {
    return layout;
  }

  /** Replaces the layout and saves it (a node joined or left). */
  public void updateLayout(ClusterLayout next) throws IOException {
    next.save(dir);
    layout = next;
  }

  public Path dir() {
    return dir;
  }

  public Path dataDir(int id) {
    return dir.resolve("n" + id).resolve("data");
  }

  public Path logFile(int id) {
    return dir.resolve("n" + id + ".log");
  }

  private Path pidFile(int id) {
    return dir.resolve("n" + id + ".pid");
  }

  /** Starts every node that is not running. */
  public void startAll() throws IOException {
    for (ClusterLayout.NodeSpec n : layout.nodes()) {
      start(n.id());
    }
  }

  /**
   * The classpath nodes start with. With {@link Launcher#snapshot}, the jars are copied into
   * {@code DIR/lib} while no node runs (and reused while any does), so that rebuilding the project
   * never swaps a jar under a running node.
   */
  private String nodeClasspath() throws IOException {
    if (!launcher.snapshot()) {
      return launcher.classpath();
    }
    Path lib = dir.resolve("lib");
    boolean anyRunning = layout.nodes().stream().anyMatch(n -> process(n.id()).isPresent());
    if (!anyRunning || !Files.isDirectory(lib)) {
      if (Files.isDirectory(lib)) {
        try (var old = Files.list(lib)) {
          for (Path p : old.toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(lib);
      int i = 0;
      for (String entry : launcher.classpath().split(File.pathSeparator)) {
        Path src = Path.of(entry);
        if (Files.isRegularFile(src)) {
          Files.copy(src, lib.resolve(String.format("%03d-%s", i++, src.getFileName())));
        }
      }
    }
    List<String> entries = new ArrayList<>();
    try (var jars = Files.list(lib)) {
      jars.sorted().forEach(p -> entries.add(p.toString()));
    }
    for (String entry : launcher.classpath().split(File.pathSeparator)) {
      if (Files.isDirectory(Path.of(entry))) {
        entries.add(entry); // class directories (tests in an IDE) cannot be snapshot cheaply
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Starts node {@code id} unless it runs; returns its PID. */
  public long start(int id) throws IOException {
    Optional<ProcessHandle> running = process(id);
    if (running.isPresent()) {
      return running.get().pid();
    }
    ClusterLayout.NodeSpec n = layout.node(id);
    Files.createDirectories(dataDir(id));
    List<String> cmd = new ArrayList<>();
    if (launcher.detach() && new File("/usr/bin/setsid").canExecute()) {
      cmd.add("/usr/bin/setsid"); // a new session: not a child of this terminal's job control
    }
    cmd.add(launcher.java());
    cmd.addAll(layout.javaOptions());
    cmd.addAll(List.of("-cp", nodeClasspath(), MAIN_CLASS, "--id", Integer.toString(id)));
    if (n.joined()) {
      // Only the first start asks a member; later ones read what it learned from the data directory.
      cmd.addAll(List.of("--join", String.join(",", layout.nodes().stream().filter(o -> o.id() != id)
          .map(o -> layout.httpUrl(o.id())).toList())));
    } else {
      cmd.addAll(List.of("--peers", layout.peersSpec()));
    }
    cmd.addAll(List.of("--cluster-id", layout.clusterId(), "--listen-host", layout.host(), "--data-dir",
        dataDir(id).toString(), "--http-port", Integer.toString(n.httpPort()), "--peer-port",
        Integer.toString(n.peerPort())));
    cmd.addAll(tlsArgs(id));
    cmd.addAll(layout.nodeArgs());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    Files.writeString(pidFile(id), Long.toString(p.pid()));
    return p.pid();
  }

  /**
   * Forgets stopped node {@code id}: its directory and log move to {@code nN.removed-MILLIS/}, its PID
   * file goes, and the layout retires its id.
   */
  public void retire(int id) throws IOException {
    if (process(id).isPresent()) {
      throw new IOException("n" + id + " still runs; stop it before retiring it");
    }
    Path nodeDir = dataDir(id).getParent();
    Path attic = dir.resolve("n" + id + ".removed-" + System.currentTimeMillis());
    if (Files.exists(nodeDir)) {
      Files.move(nodeDir, attic);
    }
    if (Files.exists(logFile(id))) {
      Files.createDirectories(attic);
      Files.move(logFile(id), attic.resolve(logFile(id).getFileName()));
    }
    Files.deleteIfExists(pidFile(id));
    updateLayout(layout.withoutNode(id));
  }

  /** The running process of node {@code id}, if its PID file names a live process of this cluster. */
  public Optional<ProcessHandle> process(int id) {
    try {
      Path f = pidFile(id);
      if (!Files.exists(f)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(f).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(ph -> isOurs(ph, id));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private boolean isOurs(ProcessHandle ph, int id) {
    Optional<String> proc = procCommandLine(ph);
    if (proc.isPresent()) {
      return proc.get().contains(MAIN_CLASS) && proc.get().contains(dataDir(id).toString());
    }
    Optional<String> cmdLine = ph.info().commandLine();
    if (cmdLine.isEmpty()) {
      Optional<String[]> args = ph.info().arguments();
      return args.isPresent() && String.join(" ", args.get()).contains(dataDir(id).toString());
    }
    return cmdLine.get().contains(MAIN_CLASS) && cmdLine.get().contains(dataDir(id).toString());
  }

  /**
   * The whole command line from {@code /proc/PID/cmdline}, where there is one. {@link ProcessHandle.Info}
   * gives only the executable, without arguments, once a command line passes 4 KB, which a test
   * classpath of jars in the local Maven repository does.
   */
  private static Optional<String> procCommandLine(ProcessHandle ph) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(ph.pid()), "cmdline"));
      return raw.length == 0 ? Optional.empty() : Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}; returns whether the node was running. */
  public boolean stop(int id, Duration grace) {
    Optional<ProcessHandle> ph = process(id);
    if (ph.isEmpty()) {
      return false;
    }
    ph.get().destroy();
    if (!await(ph.get(), grace)) {
      ph.get().destroyForcibly();
      await(ph.get(), Duration.ofSeconds(10));
    }
    return true;
  }

  /** SIGKILL: the node gets no chance to flush or close anything. */
  public boolean kill(int id) {
    Optional<ProcessHandle> ph = process(id);
    ph.ifPresent(p -> {
      p.destroyForcibly();
      await(p, Duration.ofSeconds(10));
    });
    return ph.isPresent();
  }

  /** Stops every node: SIGTERM to all at once, SIGKILL to those still running after {@code grace}. */
  public void stopAll(Duration grace) {
    List<ProcessHandle> running = new ArrayList<>();
    for (ClusterLayout.NodeSpec n : layout.nodes()) {
      process(n.id()).ifPresent(running::add);
    }
    running.forEach(ProcessHandle::destroy);
    for (ProcessHandle ph : running) {
      if (!await(ph, grace)) {
        ph.destroyForcibly();
        await(ph, Duration.ofSeconds(10));
      }
    }
  }

  private static boolean await(ProcessHandle ph, Duration timeout) {
    try {
      ph.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return !ph.isAlive();
    }
  }

  /** {@code GET /cluster} of node {@code id}, or empty if it does not answer. */
  public Optional<JsonNode> status(int id) {
    try {
      return Optional.of(http.cluster(layout.httpUrl(id)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** One line per node for scripts: {@code id=n1 pid=4242 http=http://127.0.0.1:8081 role=leader ...}. */
  public String statusLine(int id) {
    Optional<ProcessHandle> ph = process(id);
    String pid = ph.map(p -> Long.toString(p.pid())).orElse("-");
    String prefix = "id=n" + id + " pid=" + pid + " http=" + layout.httpUrl(id);
    if (ph.isEmpty()) {
      return prefix + " role=down";
    }
    return status(id).map(s -> prefix + " role=" + s.get("role").asText() + " term=" + s.get("term").asLong()
        + " leader=" + (s.get("leaderId").asInt() == 0 ? "-" : "n" + s.get("leaderId").asInt()) + " commit="
        + s.get("commitIndex").asLong() + " applied=" + s.get("appliedIndex").asLong())
        .orElse(prefix + " role=unreachable");
  }

  /**
   * Waits until some running node reports itself leader and every running node agrees on it;
   * returns its id, or empty after {@code timeout}.
   */
  public Optional<Integer> awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Integer> leader = agreedLeader();
      if (leader.isPresent()) {
        return leader;
      }
      Thread.sleep(50);
    }
    return Optional.empty();
  }

  private Optional<Integer> agreedLeader() {
    Integer leader = null;
    for (ClusterLayout.NodeSpec n : layout.nodes()) {
      if (process(n.id()).isEmpty()) {
        continue;
      }
      Optional<JsonNode> s = status(n.id());
      if (s.isEmpty()) {
        return Optional.empty();
      }
      int l = s.get().get("leaderId").asInt();
      if (l == 0 || (leader != null && leader != l)) {
        return Optional.empty();
      }
      leader = l;
    }
    return Optional.ofNullable(leader).filter(l -> process(l).isPresent());
  }

  /** Waits until node {@code id} answers {@code /cluster}; fails early if its process exits. */
  public void awaitServing(int id, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (process(id).isEmpty()) {
        throw new IOException("node n" + id + " exited; last lines of " + logFile(id) + ":\n" + tail(id, 15));
      }
      if (status(id).isPresent()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IOException("node n" + id + " did not serve within " + timeout + "; see " + logFile(id));
  }

  /** The last {@code lines} lines of node {@code id}'s log. */
  public String tail(int id, int lines) {
    try {
      List<String> all = Files.readAllLines(logFile(id), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
