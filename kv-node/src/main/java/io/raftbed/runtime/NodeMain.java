package io.raftbed.runtime;

import io.raftbed.node.Storage.StorageException;
import io.raftbed.runtime.config.ConfigSources;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.config.RuntimeConfig;
import io.raftbed.runtime.config.JoinSeed;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/raftbed node}: runs one real node until SIGTERM or SIGINT. Prints one line to stdout
 * once it serves ({@code ready id=n1 pid=... http=... peer=...}); logs go to stderr.
 *
 * <p>Exit codes: 0 stopped by a signal; 2 bad configuration; 3 the write-ahead log is corrupt or
 * unreadable; 4 a port is taken; 5 {@code --join} found no member to learn the configuration from;
 * 70 a fatal error while running (disk failure, driver bug).
 *
 * <p>A cluster is founded by nodes started with the same {@code --peers}; a node joins a running one
 * with {@code --join URL} (see {@link JoinSeed}) and serves once started, but holds no data and never
 * campaigns until a leader adds it ({@code POST /cluster/members}).
 */
@Command(name = "raftbed node", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = "Runs one node of a raftbed cluster: Raft peer transport, write-ahead log and HTTP API.",
    footer = {"",
        "Every option can also come from the environment (--tick-interval-millis from RAFTBED_TICK_INTERVAL_MILLIS)",
        "or from a config file of 'key = value' lines (tick-interval-millis = 10) named by --config or",
        "RAFTBED_CONFIG. Precedence: flags, then environment, then file, then the defaults shown.",
        "",
        "HTTP API (errors are JSON {\"code\",\"message\"}; 503 carries Retry-After):",
        "  GET    /keys/{key}                     linearizable read (200 value, 404 no such key)",
        "  GET    /keys/{key}?consistency=stale   read this node's state at once; may be stale",
        "  PUT    /keys/{key}                     body = value (200; 413 too large)",
        "  PUT    /keys/{key}?cas={expected}      set only if the value is {expected}, percent-encoded (409 if not)",
        "  PUT    /keys/{key} + If-None-Match: *  set only if the key is absent (409 if present)",
        "  DELETE /keys/{key}[?cas={expected}]    remove (404 if absent; 409 on a cas mismatch)",
        "  GET    /cluster | /health | /metrics   status JSON (members, voters, learners), liveness, metrics",
        "  POST   /cluster/members[?as=learner]  body {\"id\":4,\"peer\":\"HOST:PORT\",\"http\":\"http://HOST:PORT\"}: add a",
        "                                        voter (a learner first, promoted once caught up) or a learner",
        "  DELETE /cluster/members/{id}           remove a voter or learner (the leader itself too)",
        "  POST   /cluster/leader                 body {\"id\":2}: hand leadership to voter 2",
        "  Headers X-Client-Id and X-Seq (positive numbers) make a retried write apply once.",
        "  A follower forwards requests to the leader; 503 when no leader is known, 504 when a write's",
        "  outcome is unknown (it may still apply). 408 when a request arrives too slowly; with tokens or TLS client",
        "  certificates configured, 401 without a valid credential and 403 with one that lacks the right.",
        "",
        "",
        "Joining a running cluster: start the node with --join (any member's URL) and its own --peer-port and",
        "--http-port, then add it through any member: POST /cluster/members, or 'raftbed cluster join'. It",
        "saves what it learned in DATA_DIR/join.json and restarts from there.",
        "",
        "Exit codes: 0 stopped by signal, 2 bad configuration, 3 corrupt or unreadable log, 4 port in use,",
        "5 --join reached no member, 70 fatal error while running."})
public final class NodeMain implements Callable<Integer> {
  @Option(names = "--id", paramLabel = "ID", description = "This node's id, a positive number (n1 also works).")
  String id;

  @Option(names = "--peers", paramLabel = "LIST", description = "The founding members, this node included: "
      + Member.SYNTAX + ".")
  String peers;

  @Option(names = "--initial-voters", paramLabel = "IDS", split = ",", description = "The founding voters (the"
      + " configuration at log index 0), if not every member in --peers. A node joining by hand lists the cluster's"
      + " founders here and not itself; --join does this for you.")
  List<String> initialVoters;

  @Option(names = "--join", paramLabel = "URL", split = ",", description = "Join a running cluster instead of"
      + " founding one: learn its members and founding voters from any of these members' GET /cluster (or from"
      + " DATA_DIR/join.json after the first start). Needs --peer-port and --http-port; excludes --peers.")
  List<URI> join;

  @Option(names = "--join-timeout-seconds", paramLabel = "S", defaultValue = "30", description = "How long --join"
      + " keeps asking before it gives up (exit 5). Default: ${DEFAULT-VALUE}.")
  int joinTimeoutSeconds;

  @Option(names = "--cluster-id", paramLabel = "NAME", description = "Name shared by all members; peers with"
      + " another name are refused at the handshake. Default: raftbed, or with --join the cluster's.")
  String clusterId;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the write-ahead log lives."
      + " Default: raftbed-data/n<ID>.")
  Path dataDir;

  @Option(names = "--listen-host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address both servers bind."
      + " Default: ${DEFAULT-VALUE}.")
  String listenHost;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "-1", description = "HTTP API port. Default: this node's entry"
      + " in --peers.")
  int httpPort;

  @Option(names = "--peer-port", paramLabel = "PORT", defaultValue = "-1", description = "Raft peer port. Default: this node's entry"
      + " in --peers.")
  int peerPort;

  @Option(names = "--tick-interval-millis", paramLabel = "MS", defaultValue = "10", description = "Milliseconds per Raft tick."
      + " Default: ${DEFAULT-VALUE}.")
  int tickIntervalMillis;

  @Option(names = "--heartbeat-ticks", paramLabel = "TICKS", defaultValue = "5", description = "Ticks between leader heartbeats."
      + " Default: ${DEFAULT-VALUE}.")
  int heartbeatTicks;

  @Option(names = "--election-ticks-min", paramLabel = "TICKS", defaultValue = "15", description = "Shortest election timeout, in ticks."
      + " Default: ${DEFAULT-VALUE}.")
  int electionTicksMin;

  @Option(names = "--election-ticks-max", paramLabel = "TICKS", defaultValue = "30", description = "Election timeouts are drawn from"
      + " [min, max) ticks. Default: ${DEFAULT-VALUE}.")
  int electionTicksMax;

  @Option(names = "--pre-vote", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Campaign only after a pre-vote shows the election could be won (§9.6), so a node that"
      + " rejoins after a partition does not depose the leader. Default: on.")
  boolean preVote;

  @Option(names = "--check-quorum", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "A leader cut off from a quorum steps down, and followers that hear from a leader ignore"
      + " vote requests (§6.2, §9.6). Default: on.")
  boolean checkQuorum;

  @Option(names = "--request-timeout-millis", paramLabel = "MS", defaultValue = "5000", description = "How long a write may wait to"
      + " commit (then 504) or a read to be confirmed (then 503). Default: ${DEFAULT-VALUE}.")
  int requestTimeoutMillis;

  @Option(names = "--key-bytes-max", paramLabel = "BYTES", defaultValue = "1024", description = "Longest key in UTF-8 bytes (413 beyond)."
      + " Default: ${DEFAULT-VALUE}.")
  int keyBytesMax;

  @Option(names = "--value-bytes-max", paramLabel = "BYTES", defaultValue = "1048576", description = "Largest value (413 beyond)."
      + " Default: ${DEFAULT-VALUE}.")
  int valueBytesMax;

  @Option(names = "--keys-max", paramLabel = "N", defaultValue = "1000000", description = "Most keys the store holds; writing a new"
      + " key beyond it gets 413. Default: ${DEFAULT-VALUE}.")
  int keysMax;

  @Option(names = "--request-bytes-max", paramLabel = "BYTES", defaultValue = "1114112", description = "Largest HTTP request body"
      + " (413 and the connection closes beyond). Default: ${DEFAULT-VALUE}.")
  int requestBytesMax;

  @Option(names = "--connections-max", paramLabel = "N", defaultValue = "1024", description = "HTTP connections served at once;"
      + " when full, a new one evicts an idle or stalled one, else gets 503 (see --connections-reserved)."
      + " Default: ${DEFAULT-VALUE}.")
  int connectionsMax;

  @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0", description = "Threads for HTTP and inbound peer traffic;"
      + " 0 runs them on the node's own thread, which saves a thread hand-over per request and per peer message"
      + " (on 2 cores: 46%% more puts/s at 64 clients, see the README). Default: ${DEFAULT-VALUE}.")
  int ioThreads;

  @Option(names = "--wal-segment-bytes", paramLabel = "BYTES", defaultValue = "67108864", description = "Size of each preallocated log"
      + " segment file. Default: ${DEFAULT-VALUE}.")
  int walSegmentBytes;

  @Option(names = "--snapshot-every-entries", paramLabel = "N", defaultValue = "10000", description = "Snapshot the"
      + " store and compact the log after this many applied entries; 0 never does (the log grows without bound)."
      + " Default: ${DEFAULT-VALUE}.")
  int snapshotEveryEntries;

  @Option(names = "--snapshot-retain-entries", paramLabel = "N", defaultValue = "1000", description = "Entries kept"
      + " behind a snapshot, so a follower a little behind gets entries rather than the snapshot."
      + " Default: ${DEFAULT-VALUE}.")
  int snapshotRetainEntries;

  @Option(names = "--unsafe-no-fsync", description = "Acknowledge writes before they are fsynced. Loses"
      + " acknowledged data on power loss: for benchmarks and canaries only.")
  boolean unsafeNoFsync;

  @Option(names = "--lease-reads", description = "Serve linearizable reads from the leader's lease (dissertation"
      + " 6.4.1) instead of a heartbeat round per read. Safe only while every member's clock runs within"
      + " --clock-drift-bound-permille of true time; needs check-quorum. Default: off (ReadIndex).")
  boolean leaseReads;

  @Option(names = "--clock-drift-bound-permille", paramLabel = "N", defaultValue = "100", description = "With"
      + " --lease-reads: the most any member's clock may run fast or slow, in thousandths; the lease is shortened"
      + " to stay safe within it. Default: ${DEFAULT-VALUE} (10 percent).")
  int clockDriftBoundPermille;

  @Option(names = "--routes", paramLabel = "LIST", description = "Dial these members here instead of where they"
      + " serve, " + Member.SYNTAX + ": a fault proxy per directed link (raftbed chaos does this). Changes only"
      + " where this node connects (peer messages, forwarded requests), never the addresses it announces.")
  String routes;

  @Mixin
  HardeningOptions hardening = new HardeningOptions();

  @Option(names = "--config", paramLabel = "FILE", description = "A config file of 'key = value' lines"
      + " (see below).")
  Path configFile;

  public static void main(String[] args) {
    configureLogging();
    System.exit(run(args));
  }

  /**
   * Runs the command and returns its exit code (a node runs until a signal stops the JVM). Bad
   * options are one line on stderr and exit 2, never a stack trace.
   */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new NodeMain());
    try {
      ConfigSources sources = ConfigSources.from(args, System.getenv());
      sources.checkFileKeys(cli.getCommandSpec());
      cli.setDefaultValueProvider(sources);
    } catch (IllegalArgumentException e) {
      System.err.println("raftbed node: " + e.getMessage());
      return 2;
    }
    cli.setParameterExceptionHandler((e, a) -> {
      System.err.println("raftbed node: " + e.getMessage() + " (see 'raftbed node --help')");
      return 2;
    });
    cli.setExecutionExceptionHandler((e, c, p) -> {
      System.err.println("raftbed node: failed: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
      return 70;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    RuntimeConfig config;
    try {
      config = toConfig(join == null ? null : obtainSeed());
    } catch (IllegalArgumentException e) {
      System.err.println("raftbed node: " + e.getMessage() + " (see --help)");
      return 2;
    } catch (IOException e) {
      System.err.println("raftbed node: cannot join: " + e.getMessage());
      return 5;
    } catch (InterruptedException e) {
      return 5;
    }
    NodeRuntime runtime;
    try {
      runtime = NodeRuntime.start(config, NodeMain::halt);
    } catch (StorageException e) {
      System.err.println("raftbed node: " + e.getMessage());
      return 3;
    } catch (IllegalArgumentException e) {
      System.err.println("raftbed node: " + e.getMessage() + " (see --help)");
      return 2;
    } catch (Exception e) {
      if (isBindFailure(e)) {
        System.err.println("raftbed node: cannot listen: " + e.getMessage());
        return 4;
      }
      System.err.println("raftbed node: failed to start: " + e);
      return 70;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runtime.close();
      stopped.countDown();
    }, "shutdown"));
    System.out.println("ready id=" + config.self().name() + " pid=" + ProcessHandle.current().pid() + " http=http://"
        + hostPort(runtime.httpAddress()) + " peer=" + hostPort(runtime.peerAddress()));
    System.out.flush();
    while (true) {
      try {
        stopped.await();
        return 0;
      } catch (InterruptedException e) {
        // only the shutdown hook ends a node
      }
    }
  }

  /**
   * Whether starting failed because a port is taken: a {@link BindException}, or Netty's native
   * transport's own exception for {@code EADDRINUSE}, anywhere in the cause chain.
   */
  static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  RuntimeConfig toConfig() {
    return toConfig(null);
  }

  /** Builds the configuration from the options; {@code seed} is what {@code --join} learned, else null. */
  RuntimeConfig toConfig(JoinSeed seed) {
    int nodeId = nodeId();
    if (join != null && (peers != null || initialVoters != null)) {
      throw new IllegalArgumentException("--join learns the members and voters; do not give --peers or"
          + " --initial-voters with it");
    }
    List<Member> members;
    List<Integer> voters;
    Member self;
    if (seed != null) {
      if (clusterId != null && !clusterId.equals(seed.clusterId())) {
        throw new IllegalArgumentException("--cluster-id " + clusterId + " but the cluster to join is '"
            + seed.clusterId() + "'");
      }
      clusterId = seed.clusterId();
      self = new Member(nodeId, listenHost, peerPort, httpPort); // ports checked by obtainSeed
      members = new ArrayList<>(seed.members().stream().filter(m -> m.id() != nodeId).toList());
      members.add(self);
      voters = seed.initialVoters();
    } else {
      if (peers == null) {
        throw new IllegalArgumentException("--peers (to found a cluster) or --join (to join one) is required");
      }
      members = Member.parseList(peers);
      self = members.stream().filter(m -> m.id() == nodeId).findFirst().orElseThrow(
          () -> new IllegalArgumentException("--id " + nodeId + " is not in --peers " + peers));
      voters = initialVoters == null ? members.stream().map(Member::id).toList() : parseIds(initialVoters);
    }
    return new RuntimeConfig(nodeId, clusterId != null ? clusterId : "raftbed", members, voters, listenHost,
        httpPort >= 0 ? httpPort : self.httpPort(), peerPort >= 0 ? peerPort : self.peerPort(), dataDir(nodeId),
        new RuntimeConfig.Timing(tickIntervalMillis, heartbeatTicks, electionTicksMin, electionTicksMax,
            requestTimeoutMillis),
        new RuntimeConfig.Elections(preVote, checkQuorum),
        new RuntimeConfig.Limits(keyBytesMax, valueBytesMax, keysMax, requestBytesMax, connectionsMax),
        ioThreads, walSegmentBytes, snapshotEveryEntries, snapshotRetainEntries, unsafeNoFsync,
        new RuntimeConfig.Reads(leaseReads, clockDriftBoundPermille),
        routes == null || routes.isBlank() ? List.of() : Member.parseList(routes), hardening.connections(),
        hardening.security());
  }

  private int nodeId() {
    if (id == null) {
      throw new IllegalArgumentException("--id is required");
    }
    try {
      int n = Integer.parseInt(id.startsWith("n") ? id.substring(1) : id);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--id must be a positive number, got '" + id + "'");
  }

  private Path dataDir(int nodeId) {
    return dataDir != null ? dataDir : Path.of("raftbed-data", "n" + nodeId);
  }

  private static List<Integer> parseIds(List<String> ids) {
    try {
      return ids.stream().map(String::trim).map(s -> Integer.parseInt(s.startsWith("n") ? s.substring(1) : s))
          .toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--initial-voters must list node ids, e.g. 1,2,3; got " + ids);
    }
  }

  /**
   * The seed saved by an earlier start, or a fresh one from a member (then saved). Refuses to join as
   * an id the cluster already has when this node has no log of its own: a member that lost its data
   * must not come back under its old id (it may have voted, or acknowledged entries, that it forgot).
   */
  private JoinSeed obtainSeed() throws IOException, InterruptedException {
    int nodeId = nodeId();
    if (peers != null || initialVoters != null) {
      throw new IllegalArgumentException("--join learns the members and voters; do not give --peers or"
          + " --initial-voters with it");
    }
    if (peerPort <= 0 || httpPort <= 0) {
      throw new IllegalArgumentException("--join needs this node's --peer-port and --http-port (the address"
          + " the cluster will know it by)");
    }
    if (listenHost.equals("0.0.0.0") || listenHost.equals("::")) {
      throw new IllegalArgumentException("--join advertises --listen-host to the cluster; give an address the"
          + " other members can reach, not " + listenHost);
    }
    Path dir = dataDir(nodeId);
    Optional<JoinSeed> saved = JoinSeed.load(dir);
    if (saved.isPresent()) {
      return saved.get();
    }
    Path ca = hardening.tlsCa;
    JoinSeed seed = JoinSeed.fetch(join, Duration.ofSeconds(joinTimeoutSeconds),
        ca == null ? null : io.raftbed.runtime.tls.TlsContexts.trustOnly(ca));
    boolean hasLog = Files.isDirectory(dir.resolve("wal")) && !isEmpty(dir.resolve("wal"));
    if (seed.memberIds().contains(nodeId) && !hasLog) {
      throw new IllegalArgumentException("node " + nodeId + " is already a member of the cluster but " + dir
          + " holds no log: a member that lost its data must be removed first, or join under a new id");
    }
    seed.save(dir);
    return seed;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }

  private static String hostPort(java.net.InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  /** The node can no longer run safely: say why and stop at once, without shutdown hooks. */
  private static void halt(Throwable cause) {
    Logger.getLogger("raftbed").log(Level.SEVERE, "fatal: stopping the node", cause);
    System.err.flush();
    Runtime.getRuntime().halt(70);
  }

  private static void configureLogging() {
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new SimpleFormatter() {
      @Override
      public String format(LogRecord r) {
        String thrown = r.getThrown() == null ? "" : " " + r.getThrown();
        return String.format("%1$tF %1$tT.%1$tL %2$s [%3$s] %4$s%5$s%n", r.getMillis(), r.getLevel(),
            Thread.currentThread().getName(), formatMessage(r), thrown);
      }
    });
    root.addHandler(handler);
  }
}
