package io.raftbed.chaos.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.runtime.NodeRuntime;
import io.raftbed.runtime.config.Connections;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.config.RuntimeConfig;
import io.raftbed.runtime.config.Security;
import io.raftbed.runtime.tls.TlsContexts;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates are reloaded while the node runs: new connections get the new certificate; a broken
 * file keeps the old one.
 */
@Timeout(90)
class CertificateReloadTest {
  @TempDir
  Path dir;

  @Test
  void aNodeServesItsNewCertificateToNewConnectionsAndKeepsTheOldOneWhenTheNewIsBroken() throws Exception {
    ClusterCertificates certs = new ClusterCertificates(dir.resolve("tls"), Duration.ofDays(1));
    certs.ensure(List.of(1), List.of());
    Security security = new Security(new Security.Tls(certs.certificate("n1"), certs.key("n1"), certs.caCertificate(),
        1), true, null, null, false);
    RuntimeConfig config = new RuntimeConfig(1, "reload", List.of(new Member(1, "127.0.0.1", 1, 1)), "127.0.0.1", 0, 0,
        dir.resolve("data"), RuntimeConfig.Timing.defaults(), new RuntimeConfig.Limits(64, 4096, 1000, 8192, 64), 0,
        1 << 20, 0, 5, false).with(Connections.defaults().withHttpReserved(8), security);
    try (NodeRuntime node = NodeRuntime.start(config, e -> { })) {
      int port = node.httpAddress().getPort();
      BigInteger first = servedSerial(certs, port);
      assertEquals(ClusterCertificates.readCertificate(certs.certificate("n1")).getSerialNumber(), first);

      Files.delete(certs.certificate("n1")); // a new certificate (and key) for n1 from the same CA
      Files.delete(certs.key("n1"));
      certs.ensure(List.of(1), List.of());
      touch(certs.certificate("n1"));
      BigInteger second = ClusterCertificates.readCertificate(certs.certificate("n1")).getSerialNumber();
      assertNotEquals(first, second);
      assertEquals(second, awaitSerial(certs, port, second), "new connections get the new certificate");

      Files.writeString(certs.certificate("n1"), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
      touch(certs.certificate("n1"));
      Thread.sleep(2_500); // two reload periods
      assertEquals(second, servedSerial(certs, port), "a broken file keeps the certificate in use");
      String metrics = node.metrics().render(io.raftbed.runtime.NodeStatus.stopped(1));
      assertTrue(metrics.contains("raftbed_tls_certificate_reloads_total 1\n"), metrics);
    }
  }

  /** The modification time moved a little into the future, so that a change within a second is seen. */
  private static void touch(Path p) throws Exception {
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().plusSeconds(2)));
  }

  private static BigInteger awaitSerial(ClusterCertificates certs, int port, BigInteger wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    BigInteger served;
    do {
      served = servedSerial(certs, port);
      if (served.equals(wanted)) {
        return served;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return served;
  }

  /** The serial number of the certificate the node's HTTPS port shows a new connection. */
  private static BigInteger servedSerial(ClusterCertificates certs, int port) throws Exception {
    try (SSLSocket s = (SSLSocket) TlsContexts.trustOnly(certs.caCertificate()).getSocketFactory()
        .createSocket("127.0.0.1", port)) {
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
