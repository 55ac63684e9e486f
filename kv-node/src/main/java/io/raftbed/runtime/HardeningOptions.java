package io.raftbed.runtime;

import io.raftbed.runtime.config.Connections;
import io.raftbed.runtime.config.Security;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of {@code raftbed node} that protect it: connection limits and timeouts, TLS and
 * credentials. A picocli mixin of {@link NodeMain}; like every option, each can also come from the
 * environment or the config file.
 */
final class HardeningOptions {
  @Option(names = "--connections-per-address-max", paramLabel = "N", defaultValue = "512", description = "HTTP"
      + " connections from one client address; beyond it the address's longest-idle connection is closed, or the"
      + " new one refused. Default: ${DEFAULT-VALUE}.")
  int httpPerAddressMax;

  @Option(names = "--connections-reserved", paramLabel = "N", defaultValue = "32", description = "Of"
      + " --connections-max, slots kept for addresses that hold no connection yet. When all are taken, a new"
      + " connection evicts the one reading a request the longest (after 1 s) or idle the longest."
      + " Default: ${DEFAULT-VALUE}.")
  int httpReserved;

  @Option(names = "--http-idle-timeout-millis", paramLabel = "MS", defaultValue = "60000", description = "An HTTP"
      + " connection waiting for a request closes after this long. Default: ${DEFAULT-VALUE}.")
  int httpIdleTimeoutMillis;

  @Option(names = "--http-header-timeout-millis", paramLabel = "MS", defaultValue = "10000", description = "A"
      + " request's line and headers must arrive within this long of its first byte (else 408, closed)."
      + " Default: ${DEFAULT-VALUE}.")
  int httpHeaderTimeoutMillis;

  @Option(names = "--http-body-timeout-millis", paramLabel = "MS", defaultValue = "30000", description = "A"
      + " request's body must arrive within this long of its headers (else 408, closed). Default: ${DEFAULT-VALUE}.")
  int httpBodyTimeoutMillis;

  @Option(names = "--peer-connections-max", paramLabel = "N", defaultValue = "64", description = "Inbound peer"
      + " connections at once; when full, one that has not said hello yet is closed for a new one."
      + " Default: ${DEFAULT-VALUE}.")
  int peerConnectionsMax;

  @Option(names = "--peer-connections-per-address-max", paramLabel = "N", defaultValue = "32", description = "Inbound"
      + " peer connections from one address (peers dialled through proxies share the proxy's)."
      + " Default: ${DEFAULT-VALUE}.")
  int peerPerAddressMax;

  @Option(names = "--peer-handshake-timeout-millis", paramLabel = "MS", defaultValue = "5000", description = "Time"
      + " an inbound peer connection has for its TLS handshake and hello. Default: ${DEFAULT-VALUE}.")
  int peerHandshakeTimeoutMillis;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "This node's certificate (PEM; 'raftbed certs'"
      + " makes one). With --tls-key and --tls-ca: peers talk mutual TLS and must show a certificate of the CA that"
      + " names them (CN=n<ID>); clients use HTTPS unless --no-http-tls.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "Its private key (PEM, PKCS#8).")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "The cluster's CA certificate (PEM).")
  Path tlsCa;

  @Option(names = "--http-tls", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "With --tls-cert: serve HTTPS, and take CA-signed client certificates (CN=admin, or a node's,"
      + " for admin requests). Default: on.")
  boolean httpTls;

  @Option(names = "--tls-reload-seconds", paramLabel = "S", defaultValue = "60", description = "Look for changed"
      + " certificate files this often; new connections use them. 0 never. Default: ${DEFAULT-VALUE}.")
  int tlsReloadSeconds;

  @Option(names = "--admin-token-file", paramLabel = "FILE", description = "A file holding the bearer token"
      + " (Authorization: Bearer TOKEN) that membership changes and leadership transfer need. Without it they are"
      + " open unless HTTPS takes client certificates.")
  Path adminTokenFile;

  @Option(names = "--client-token-file", paramLabel = "FILE", description = "A file holding the bearer token that"
      + " reads and writes need (the admin token also works). Without it they are open.")
  Path clientTokenFile;

  @Option(names = "--protect-status", description = "Put /health, /metrics and /cluster behind a token too"
      + " (default: open; 'raftbed cluster' and --join read /cluster).")
  boolean protectStatus;

  private static void readable(String option, Path file) {
    if (file != null && !Files.isReadable(file)) {
      throw new IllegalArgumentException("cannot read " + option + " " + file);
    }
  }

  Connections connections() {
    return new Connections(httpPerAddressMax, httpReserved, httpIdleTimeoutMillis, httpHeaderTimeoutMillis,
        httpBodyTimeoutMillis, peerConnectionsMax, peerPerAddressMax, peerHandshakeTimeoutMillis);
  }

  Security security() {
    boolean anyTls = tlsCert != null || tlsKey != null || tlsCa != null;
    if (anyTls && (tlsCert == null || tlsKey == null || tlsCa == null)) {
      throw new IllegalArgumentException("TLS needs all three of --tls-cert, --tls-key and --tls-ca");
    }
    readable("--tls-cert", tlsCert);
    readable("--tls-key", tlsKey);
    readable("--tls-ca", tlsCa);
    readable("--admin-token-file", adminTokenFile);
    readable("--client-token-file", clientTokenFile);
    Security.Tls tls = anyTls ? new Security.Tls(tlsCert, tlsKey, tlsCa, tlsReloadSeconds) : null;
    return new Security(tls, anyTls && httpTls, adminTokenFile, clientTokenFile, protectStatus);
  }
}
