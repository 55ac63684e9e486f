package io.raftbed.chaos.backend;

import io.raftbed.chaos.wiring.Endpoints;
import io.raftbed.chaos.wiring.Link;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Nodes as local JVM processes, children of the harness: {@code java -cp ... NodeMain}, each with its
 * own ports on 127.0.0.1 (chosen free once, kept across restarts), data directory
 * {@code DIR/nN/data} and output {@code DIR/nN.log}. Signals are real: SIGKILL by
 * {@link Process#destroyForcibly}, SIGSTOP and SIGCONT by {@code kill(1)}. A shutdown hook kills
 * every node still running when the harness exits, so an interrupted run leaves nothing behind.
 */
public final class ProcessBackend implements NodeBackend {
  private static final String MAIN_CLASS = "io.raftbed.runtime.NodeMain";

  private final Path dir;
  private final String javaExecutable;
  private final String classpath;
  private final List<String> javaOptions;
  private final Path faketime;
  private final FreePorts freePorts = new FreePorts();
  private final Map<Integer, int[]> ports = new HashMap<>();
  private final Map<Integer, Process> processes = new HashMap<>();
  private final Thread reaper = new Thread(this::close, "chaos-process-reaper");

  /**
   * @param dir where node data and output go
   * @param machines nodes 1..machines get ports now
   * @param javaOptions JVM options of every node
   * @param faketime libfaketime to preload into every node, or null for true clocks
   */
  public ProcessBackend(Path dir, int machines, String java, String classpath, List<String> javaOptions,
      Path faketime) {
    this.dir = dir.toAbsolutePath();
    this.javaExecutable = java;
    this.classpath = classpath;
    this.javaOptions = List.copyOf(javaOptions);
    this.faketime = faketime;
    for (int id = 1; id <= machines; id++) {
      ports.put(id, new int[] {freePorts.next(), freePorts.next()});
    }
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** The running JVM's java and classpath (the chaos module's, which holds kv-node). */
  public static ProcessBackend ofCurrentJvm(Path dir, int machines, List<String> javaOptions, Path faketime) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBackend(dir, machines, java, System.getProperty("java.class.path"), javaOptions, faketime);
  }

  private int httpPort(int id) {
    return ports.get(id)[0];
  }

  private int peerPort(int id) {
    return ports.get(id)[1];
  }

  @Override
  public Endpoints endpoints() {
    return new Endpoints() {
      @Override
      public String nodePeerForProxy(int id) {
        return "127.0.0.1:" + peerPort(id);
      }

      @Override
      public String nodeHttpForProxy(int id) {
        return "127.0.0.1:" + httpPort(id);
      }

      @Override
      public int proxyPort(Link link) {
        return freePorts.next();
      }

      @Override
      public String proxyListen(int port) {
        return "127.0.0.1:" + port;
      }

      @Override
      public String proxyHostForNodes() {
        return "127.0.0.1";
      }

      @Override
      public String proxyUrlForHarness(int port) {
        return "http://127.0.0.1:" + port;
      }
    };
  }

  @Override
  public String directUrl(int id) {
    return "http://127.0.0.1:" + httpPort(id);
  }

  @Override
  public List<String> placementArgs(int id) {
    return List.of("--listen-host", "127.0.0.1", "--http-port", Integer.toString(httpPort(id)), "--peer-port",
        Integer.toString(peerPort(id)), "--data-dir", dataDir(id).toString());
  }

  @Override
  public String memberSpec(int id) {
    return id + "=127.0.0.1:" + peerPort(id) + ":" + httpPort(id);
  }

  @Override
  public synchronized void start(int id, List<String> nodeArgs, Map<String, String> environment) throws IOException {
    if (running(id)) {
      throw new IOException("n" + id + " is already running");
    }
    Files.createDirectories(dataDir(id));
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable);
    cmd.addAll(javaOptions);
    cmd.addAll(List.of("-cp", classpath, MAIN_CLASS));
    cmd.addAll(nodeArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(environment);
    Files.writeString(logFile(id), "---- start " + Instant.now() + ": " + String.join(" ", nodeArgs) + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    processes.put(id, pb.start());
  }

  @Override
  public synchronized boolean running(int id) {
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  @Override
  public synchronized Optional<Instant> startedAt(int id) {
    Process p = processes.get(id);
    return p == null || !p.isAlive() ? Optional.empty() : p.info().startInstant();
  }

  @Override
  public synchronized OptionalInt exitCode(int id) {
    Process p = processes.get(id);
    return p == null || p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
  }

  /** The PID of node {@code id}'s running process, or -1. */
  public synchronized long pid(int id) {
    Process p = processes.get(id);
    return p != null && p.isAlive() ? p.pid() : -1;
  }

  @Override
  public synchronized void kill(int id) throws IOException {
    Process p = processes.get(id);
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      await(p, Duration.ofSeconds(10));
    }
  }

  @Override
  public synchronized void pause(int id) throws IOException {
    signal(id, "STOP");
  }

  @Override
  public synchronized void resume(int id) throws IOException {
    signal(id, "CONT");
  }

  private void signal(int id, String signal) throws IOException {
    Process p = processes.get(id);
    if (p == null || !p.isAlive()) {
      throw new IOException("n" + id + " is not running");
    }
    try {
      Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).redirectErrorStream(true).start();
      if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IOException("kill -" + signal + " " + p.pid() + " failed: " + new String(k.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted signalling n" + id, e);
    }
  }

  @Override
  public synchronized void stop(int id, Duration grace) throws IOException {
    Process p = processes.get(id);
    if (p == null || !p.isAlive()) {
      return;
    }
    signal(id, "CONT"); // a stopped process would not handle SIGTERM
    p.destroy();
    if (!await(p, grace)) {
      p.destroyForcibly();
      await(p, Duration.ofSeconds(10));
    }
  }

  private static boolean await(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
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
    return faketime == null ? null : dir.resolve("n" + id + ".faketime");
  }

  @Override
  public Map<String, String> clockEnvironment(int id) {
    return faketime == null ? Map.of() : FakeTime.environment(faketime, clockFile(id).toString());
  }

  @Override
  public void collectLogs(Path out) throws IOException {
    Files.createDirectories(out);
    for (int id : ports.keySet()) {
      if (Files.exists(logFile(id)) && !out.resolve("n" + id + ".log").equals(logFile(id))) {
        Files.copy(logFile(id), out.resolve("n" + id + ".log"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Override
  public synchronized void close() {
    for (Process p : processes.values()) {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    for (Process p : processes.values()) {
      await(p, Duration.ofSeconds(10));
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook running
    }
  }
}
