package io.raftbed.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.raftbed.chaos.client.ClientCredentials;
import io.raftbed.chaos.client.KvHttp;
import io.raftbed.chaos.tls.ClusterCertificates;
import io.raftbed.runtime.peer.PeerCodec;
import io.raftbed.runtime.peer.PeerFrame;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node cluster of real processes started as {@code cluster up --tls} starts it: HTTPS and tokens
 * for clients; mutual TLS between peers, where a stranger (a certificate of another CA, none at all,
 * or a member's certificate claiming another id) is refused and counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class TlsClusterTest {
  private final Path dir = Path.of("target", "tls-cluster-test");
  private LocalCluster cluster;
  private KvHttp admin;

  @BeforeAll
  void start() throws Exception {
    RealClusterTest.deleteRecursively(dir);
    List<ClusterLayout.NodeSpec> nodes = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      nodes.add(new ClusterLayout.NodeSpec(id, RealClusterTest.freePort(), RealClusterTest.freePort()));
    }
    ClusterLayout layout = new ClusterLayout("tls", "127.0.0.1", nodes, List.of("--io-threads=0"),
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"))
        .withTls(true);
    cluster = LocalCluster.createOrOpen(dir, layout, LocalCluster.Launcher.ofCurrentJvm(false, false));
    cluster.startAll();
    for (ClusterLayout.NodeSpec n : layout.nodes()) {
      cluster.awaitServing(n.id(), Duration.ofSeconds(60));
    }
    assertTrue(cluster.awaitLeader(Duration.ofSeconds(60)).isPresent(), "a leader over mutual TLS");
    admin = new KvHttp(Duration.ofSeconds(10), cluster.credentials());
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.layout().nodes().forEach(n -> cluster.kill(n.id()));
    }
  }

  @Test
  void clientsUseHttpsAndAdminRequestsNeedTheAdminToken() throws Exception {
    int leader = cluster.awaitLeader(Duration.ofSeconds(30)).orElseThrow();
    String follower = cluster.layout().httpUrl(leader % 3 + 1);
    assertTrue(follower.startsWith("https://"), follower);
    assertEquals(200, putEventually(follower, "k", "v"), "a write through a follower, forwarded over TLS");
    assertEquals("v", admin.get(cluster.layout().httpUrl(leader), "k", false).text());

    ClusterCertificates certs = cluster.certificates();
    KvHttp anonymous = new KvHttp(Duration.ofSeconds(10), new ClientCredentials(certs.caCertificate(), null));
    KvHttp client = new KvHttp(Duration.ofSeconds(10), new ClientCredentials(certs.caCertificate(),
        ClusterCertificates.readToken(certs.clientToken())));
    byte[] transfer = ("{\"id\":" + leader + "}").getBytes();
    KvHttp.Reply none = anonymous.raw(follower, "POST", "/cluster/leader", transfer);
    assertEquals(401, none.status(), none.text());
    assertEquals("unauthorized", none.errorCode());
    KvHttp.Reply wrong = anonymous.raw(follower, "POST", "/cluster/leader", transfer,
        Map.of("Authorization", "Bearer not-the-token"));
    assertEquals(401, wrong.status(), wrong.text());
    KvHttp.Reply data = client.raw(follower, "POST", "/cluster/leader", transfer);
    assertEquals(403, data.status(), data.text());
    assertEquals("forbidden", data.errorCode());
    KvHttp.Reply ok = eventually(() -> admin.raw(follower, "POST", "/cluster/leader", transfer));
    assertEquals(200, ok.status(), "the admin token, through a follower to the leader: " + ok.text());
    assertEquals(200, anonymous.raw(follower, "GET", "/health", new byte[0]).status(), "status pages stay open");
    String metrics = anonymous.raw(follower, "GET", "/metrics", new byte[0]).text();
    assertTrue(metric(metrics, "raftbed_http_auth_refusals_total{code=\"401\"}") >= 2, metrics);
  }

  @Test
  void aPeerWithoutACertificateOfTheClusterCaIsRefusedAndCounted(@TempDir Path elsewhere) throws Exception {
    int victim = cluster.layout().nodes().get(0).id();
    int peerPort = cluster.layout().node(victim).peerPort();
    String url = cluster.layout().httpUrl(victim);
    long failedBefore = metric(admin.raw(url, "GET", "/metrics", new byte[0]).text(),
        "raftbed_tls_handshake_failures_total");

    // A certificate for "n2" from a CA of its own: TLS itself refuses it.
    ClusterCertificates rogue = new ClusterCertificates(elsewhere.resolve("rogue"), Duration.ofDays(1));
    rogue.ensure(List.of(2), List.of());
    assertRefused(tlsSocket(rogue, "n2", peerPort), "a certificate of another CA");
    // Plain TCP with a well-formed hello: the cluster id is public, it proves nothing.
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", peerPort), 2_000);
    writeHello(plain, 2, victim);
    assertRefused(plain, "plain TCP");

    long failedAfter = metric(admin.raw(url, "GET", "/metrics", new byte[0]).text(),
        "raftbed_tls_handshake_failures_total");
    assertTrue(failedAfter >= failedBefore + 2, "both counted: " + failedBefore + " -> " + failedAfter);

    // A member's own certificate (n3's) used to claim to be n2: TLS passes, the hello does not.
    int impostor = victim == 3 ? 2 : 3;
    int claimed = victim == 2 ? 1 : 2;
    SSLSocket s = tlsSocket(cluster.certificates(), "n" + impostor, peerPort);
    writeHello(s, claimed, victim);
    assertRefused(s, "a member's certificate claiming another id");
    String metrics = admin.raw(url, "GET", "/metrics", new byte[0]).text();
    assertTrue(metric(metrics, "raftbed_peer_certificate_rejections_total") >= 1, metrics);
    assertEquals(200, putEventually(url, "still", "serving"), "the cluster goes on");
  }

  /** The status of a PUT, retried while there is no leader (a loaded machine may cost one an election). */
  private int putEventually(String url, String key, String value) throws Exception {
    return eventually(() -> admin.put(url, key, value)).status();
  }

  /** The first answer that is not 503 or 504 (no leader, or not known in time), within 30 s. */
  private static KvHttp.Reply eventually(java.util.concurrent.Callable<KvHttp.Reply> request) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    KvHttp.Reply r;
    do {
      r = request.call();
      if (r.status() != 503 && r.status() != 504) {
        return r;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return r;
  }

  private static void writeHello(Socket s, int from, int to) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    PeerCodec.encodeHello(new PeerFrame.Hello("tls", from, to, ""), buf);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    s.getOutputStream().write(bytes);
    s.getOutputStream().flush();
  }

  /** The node closes the connection (or the handshake fails) without accepting anything. */
  private static void assertRefused(Socket s, String who) throws IOException {
    try (s) {
      s.setSoTimeout(10_000);
      if (s instanceof SSLSocket ssl) {
        ssl.startHandshake(); // may already fail here
      }
      InputStream in = s.getInputStream();
      assertEquals(-1, in.read(), who + ": the node closes the connection");
    } catch (IOException e) {
      // the handshake failed or the node reset the connection: refused as well
    }
  }

  /** A TLS connection presenting {@code name}'s certificate from {@code certs}, trusting any server. */
  private static SSLSocket tlsSocket(ClusterCertificates certs, String name, int port) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(name, ClusterCertificates.readKey(certs.key(name)), new char[0],
        new Certificate[] {ClusterCertificates.readCertificate(certs.certificate(name))});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), new TrustManager[] {new TrustAll()}, null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    return s;
  }

  private static long metric(String page, String name) {
    for (String line : page.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " missing from /metrics:\n" + page);
  }

  /** The attacker's side trusts whatever server it reaches: only the node's checks are under test. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }
}
