package io.raftbed.runtime;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.node.KvNode;
import io.raftbed.node.Transport;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Message;
import io.raftbed.raft.RaftNode;
import io.raftbed.runtime.config.Connections;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.config.Security;
import io.raftbed.runtime.config.RuntimeConfig;
import io.raftbed.runtime.http.HttpApiServer;
import io.raftbed.runtime.http.HttpAuth;
import io.raftbed.runtime.http.HttpDeadlines;
import io.raftbed.runtime.http.LeaderForwarder;
import io.raftbed.runtime.metrics.NodeMetrics;
import io.raftbed.runtime.net.ConnectionGovernor;
import io.raftbed.runtime.net.NetIo;
import io.raftbed.runtime.peer.PeerServer;
import io.raftbed.runtime.peer.PeerTransport;
import io.raftbed.runtime.tls.TlsContexts;
import io.raftbed.runtime.wal.WalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One real node: the unchanged {@link KvNode} driver with real ports: {@link WalStorage},
 * {@link PeerTransport}, {@link LoopTimers}, and the HTTP API in front.
 *
 * <p>Threading: the driver runs on one Netty event loop, the node loop. Every call into it (peer
 * messages, client requests, status queries, timer ticks, storage completions) is handed over with
 * {@code nodeLoop.execute}. Outbound peer channels live on the node loop; HTTP and inbound peer
 * connections on the I/O group (which is the node loop's own group when {@code ioThreads} is 0).
 * Any exception escaping the driver is fatal: the node stops rather than run on in a state nobody
 * reasoned about.
 */
public final class NodeRuntime implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NodeRuntime.class.getName());

  private final RuntimeConfig config;
  private final Consumer<Throwable> fatal;
  private final NodeMetrics metrics = new NodeMetrics();
  private final EventLoopGroup nodeGroup;
  private final EventLoopGroup ioGroup;
  private final EventLoop nodeLoop;
  private final WalStorage wal;
  private final MemberDirectory directory;
  private final PeerTransport transport;
  private final KvNode node;
  private final NodeAdmin admin;
  private final LoopWatchdog watchdog;
  private TlsContexts tls;
  private PeerServer peerServer;
  private LeaderForwarder forwarder;
  private HttpApiServer http;
  private InetSocketAddress httpAddress;
  private InetSocketAddress peerAddress;

  private NodeRuntime(RuntimeConfig config, Consumer<Throwable> fatal) {
    this.config = config;
    this.fatal = fatal;
    int id = config.nodeId();
    this.nodeGroup = NetIo.newGroup(1, "node" + id);
    this.nodeLoop = nodeGroup.next();
    this.ioGroup = config.ioThreads() == 0 ? nodeGroup : NetIo.newGroup(config.ioThreads(), "io" + id);
    this.wal = new WalStorage(config.dataDir().resolve("wal"), new WalStorage.Options(config.walSegmentBytes()),
        nodeLoop, metrics, fatal);
    metrics.syncedIndexSource(wal::syncedIndex);
    this.directory = new MemberDirectory(config.members(), config.routes(), Membership.ofVoters(config.initialVoters()));
    this.transport = new PeerTransport(id, config.clusterId(), directory, nodeLoop, NetIo.socketChannel(),
        PeerTransport.Options.defaults(), metrics);
    this.node = new KvNode(config.nodeConfig(), new MembershipAwareTransport(), wal,
        new LoopTimers(nodeLoop, fatal, metrics::timerLateness), new SplittableRandom(), metrics);
    this.admin = new NodeAdmin(node, directory);
    metrics.roleReasonSource(() -> node.raft() == null ? "start" : node.raft().roleChangeReason());
    // A stall of half the shortest election timeout is worth a warning: a little more costs the leader.
    long stallMillis = Math.max(50L, (long) config.timing().tickIntervalMillis() * config.timing().electionTicksMin() / 2);
    this.watchdog = new LoopWatchdog(nodeLoop, "watchdog" + id, 20, stallMillis, metrics::loopStalled);
  }

  /**
   * The driver's transport: a configuration change updates the directory first (so the links to new
   * members, and the status page, see their addresses), then the peer links.
   */
  private final class MembershipAwareTransport implements Transport {
    @Override
    public void send(Message message) {
      transport.send(message);
    }

    @Override
    public void membershipChanged(Membership membership) {
      directory.membershipChanged(membership);
      transport.membershipChanged(membership);
      metrics.membershipChanged(membership);
    }
  }

  /**
   * Recovers the log, starts the driver, binds the peer and HTTP servers. Throws (after releasing
   * what it took) if the log is corrupt or a port is taken.
   *
   * @param fatal called, on whatever thread detects it, when the node can no longer run safely
   *     (disk failure, a bug in the driver); the binary halts the process
   */
  public static NodeRuntime start(RuntimeConfig config, Consumer<Throwable> fatal) throws Exception {
    NodeRuntime r = new NodeRuntime(config, fatal);
    try {
      r.startAll();
      return r;
    } catch (Exception | Error e) {
      r.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    // Recovery runs on the node loop like everything else that touches the driver.
    nodeLoop.submit(node::start).syncUninterruptibly(); // rethrows the driver's StorageException
    watchdog.start();
    Member self = config.self();
    Connections conns = config.connections();
    Security security = config.security();
    if (security.tls() != null) {
      try {
        tls = TlsContexts.load(security.tls(), metrics.connections()::certificatesReloaded);
      } catch (IOException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      tls.startReloading();
      transport.useTls(tls);
    }
    // Any id but our own: a leader added while this node was down must get through (the cluster id
    // keeps strangers out), and its hello says where to answer it.
    peerServer = new PeerServer(config.nodeId(), config.clusterId(), peer -> true,
        new PeerServer.Options(config.peerFrameBytesMax(), conns.peerConnectionsMax(), conns.peerPerAddressMax(),
            conns.peerHandshakeTimeoutMillis()), this::deliver,
        directory::announced, metrics);
    if (tls != null) {
      peerServer.useTls(tls);
    }
    peerAddress = peerServer.bind(ioGroup, NetIo.serverChannel(), new InetSocketAddress(config.listenHost(),
        config.peerPort()));
    RuntimeConfig.Limits limits = config.limits();
    forwarder = new LeaderForwarder(config.nodeId(), directory::dial, ioGroup, NetIo.socketChannel(),
        new LeaderForwarder.Options(256, 4096, config.timing().requestTimeoutMillis() + 1_000,
            limits.requestBytesMax() + (64 << 10)));
    http = new HttpApiServer(new Gateway(), forwarder, metrics,
        new HttpApiServer.Options(limits.requestBytesMax(), 3 * limits.keyBytesMax() + 2 * limits.valueBytesMax()
            + 4096, 16 << 10, new ConnectionGovernor.Limits(limits.connectionsMax(), conns.httpPerAddressMax(),
                conns.httpReserved(), Math.min(1_000, conns.httpHeaderTimeoutMillis())),
            new HttpDeadlines.Timeouts(conns.httpIdleTimeoutMillis(), conns.httpHeaderTimeoutMillis(),
                conns.httpBodyTimeoutMillis()), adminTimeoutMillis()));
    if (security.httpTls()) {
      forwarder.useTls(tls);
      http.useTls(tls);
    }
    http.useAuth(new HttpAuth(token(security.adminTokenFile()), token(security.clientTokenFile()),
        security.httpTls(), security.protectStatus()));
    httpAddress = http.bind(ioGroup, NetIo.serverChannel(), new InetSocketAddress(config.listenHost(),
        config.httpPort()));
    // What hellos announce is where this node really serves (the ports may have been 0).
    transport.advertise(new Member(config.nodeId(), self.host(), peerAddress.getPort(), httpAddress.getPort())
        .address());
    transport.start();
    LOG.log(System.Logger.Level.INFO, "node " + self.name() + " serving " + (security.httpTls() ? "HTTPS" : "HTTP")
        + " on " + httpAddress + ", peers on " + peerAddress + (tls != null ? " (mutual TLS, " + TlsContexts.providerName()
        + ")" : "") + ", data in "
        + config.dataDir() + ", transport " + NetIo.transportName());
    if (!isLoopback(httpAddress) && security.adminTokenFile() == null && !security.httpTls()) {
      LOG.log(System.Logger.Level.WARNING, "HTTP listens beyond loopback and membership changes need no credential;"
          + " give --admin-token-file or TLS (--tls-cert, --tls-key, --tls-ca)");
    }
    if (config.joining()) {
      LOG.log(System.Logger.Level.INFO, "node " + self.name() + " joins the cluster of " + config.initialVoters()
          + "; it waits for a leader to add it (POST /cluster/members on any member, or 'raftbed cluster join')");
    }
  }

  /** The token in {@code file} (surrounding white space ignored), or null without a file. */
  private static String token(Path file) {
    if (file == null) {
      return null;
    }
    try {
      String t = Files.readString(file).strip();
      if (t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new IllegalArgumentException("the token in " + file + " must be one line of printable ASCII without"
            + " spaces");
      }
      return t;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * How long an administrative request may take: adding a voter waits for the learner to catch up,
   * which the driver bounds at ten request timeouts.
   */
  private int adminTimeoutMillis() {
    return 10 * config.timing().requestTimeoutMillis() + 2_000;
  }

  private static boolean isLoopback(InetSocketAddress a) {
    return a.getAddress() != null && a.getAddress().isLoopbackAddress();
  }

  /** A read burst from one peer connection, handed to the node loop in one task. */
  private void deliver(List<Message> messages) {
    execute(() -> {
      for (Message m : messages) {
        node.receive(m);
      }
    });
  }

  /** Runs {@code task} on the node loop; an exception from the driver is fatal. */
  private void execute(Runnable task) {
    try {
      nodeLoop.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          fatal.accept(e);
        }
      });
    } catch (RejectedExecutionException e) {
      // shutting down: input that arrives now is dropped, as a crash would drop it
    }
  }

  private NodeStatus snapshot() {
    RaftNode r = node.raft();
    if (r == null) {
      return NodeStatus.stopped(config.nodeId());
    }
    return new NodeStatus(config.nodeId(), node.isRunning(), r.role(), r.term(), r.leaderId(), r.commitIndex(),
        r.appliedIndex(), r.lastIndex(), wal.syncedIndex(), node.stateMachine().size(), r.electionsWon(),
        node.pendingRequests(), r.membership(), r.stats().snapshotsSent, r.stats().snapshotsInstalled);
  }

  /** The HTTP layer's way into the node. */
  private final class Gateway implements NodeGateway {
    @Override
    public int nodeId() {
      return config.nodeId();
    }

    @Override
    public void submit(ClientRequest request, ClientReply.Sink sink) {
      try {
        nodeLoop.execute(() -> {
          if (!node.isRunning()) {
            sink.reply(new ClientReply.Unavailable("the node is stopping"));
            return;
          }
          try {
            node.submit(request, sink);
          } catch (RuntimeException | Error e) {
            fatal.accept(e);
          }
        });
      } catch (RejectedExecutionException e) {
        sink.reply(new ClientReply.Unavailable("the node is stopping"));
      }
    }

    @Override
    public String clusterId() {
      return config.clusterId();
    }

    @Override
    public List<Integer> initialVoters() {
      return config.initialVoters();
    }

    @Override
    public Optional<Member> member(int id) {
      return directory.member(id);
    }

    @Override
    public void admin(AdminRequest request, Consumer<AdminReply> reply) {
      try {
        nodeLoop.execute(() -> {
          if (!node.isRunning()) {
            reply.accept(new AdminReply.Unavailable("the node is stopping"));
            return;
          }
          try {
            admin.handle(request, reply);
          } catch (RuntimeException | Error e) {
            fatal.accept(e);
          }
        });
      } catch (RejectedExecutionException e) {
        reply.accept(new AdminReply.Unavailable("the node is stopping"));
      }
    }

    @Override
    public void status(Consumer<NodeStatus> callback) {
      try {
        nodeLoop.execute(() -> callback.accept(snapshot()));
      } catch (RejectedExecutionException e) {
        callback.accept(NodeStatus.stopped(config.nodeId()));
      }
    }
  }

  /** Stops serving, stops the driver, closes the log; idempotent. Blocks up to a few seconds. */
  @Override
  public void close() {
    watchdog.close();
    if (http != null) {
      http.close();
    }
    if (peerServer != null) {
      peerServer.close();
    }
    if (forwarder != null) {
      forwarder.close();
    }
    if (tls != null) {
      tls.close();
    }
    if (!nodeLoop.isShuttingDown()) {
      nodeLoop.submit(() -> {
        node.stop();
        transport.close();
      }).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    try {
      wal.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the log: " + e);
    }
    if (ioGroup != nodeGroup) {
      ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    nodeGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  public InetSocketAddress httpAddress() {
    return httpAddress;
  }

  public InetSocketAddress peerAddress() {
    return peerAddress;
  }

  public RuntimeConfig config() {
    return config;
  }

  public NodeMetrics metrics() {
    return metrics;
  }
}
