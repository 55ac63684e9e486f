package io.raftbed.runtime.config;

import java.nio.file.Path;

/**
 * TLS and credentials of a node; everything off unless configured.
 *
 * <p>With {@code tls} set, peers talk mutual TLS only: each side proves membership with a certificate
 * the cluster's CA signed whose subject names its node ({@code CN=n2}), checked against the id it
 * claims (never against the host name it was dialled by, so fault proxies in between are fine). The
 * HTTP port then serves HTTPS too unless {@code httpTls} is off, and accepts client certificates:
 * the CA's {@code CN=admin} and node certificates carry the admin right.
 *
 * @param tls certificate files, or null for plain TCP everywhere
 * @param httpTls whether clients must use HTTPS (needs {@code tls})
 * @param adminTokenFile a file holding the bearer token that membership changes and leadership
 *     transfer need; null leaves them open unless client certificates are on
 * @param clientTokenFile a file holding a bearer token that reads and writes need; null leaves them
 *     open (the admin token works for them too)
 * @param protectStatus whether {@code /health}, {@code /metrics} and {@code /cluster} need a token too
 */
public record Security(Tls tls, boolean httpTls, Path adminTokenFile, Path clientTokenFile, boolean protectStatus) {
  public static final Security NONE = new Security(null, false, null, null, false);

  /**
   * @param certificate this node's certificate chain (PEM)
   * @param privateKey its private key (PEM, PKCS#8)
   * @param trustedCa the cluster's CA certificate (PEM): the only issuer peers and clients are checked against
   * @param reloadSeconds how often to look for changed files and load them for new connections; 0 never
   */
  public record Tls(Path certificate, Path privateKey, Path trustedCa, int reloadSeconds) {
    public Tls {
      if (certificate == null || privateKey == null || trustedCa == null || reloadSeconds < 0) {
        throw new IllegalArgumentException("TLS needs a certificate, its key and the CA certificate");
      }
    }
  }

  public Security {
    if (httpTls && tls == null) {
      throw new IllegalArgumentException("HTTPS needs --tls-cert, --tls-key and --tls-ca");
    }
    if (protectStatus && adminTokenFile == null && clientTokenFile == null) {
      throw new IllegalArgumentException("--protect-status needs a token (--admin-token-file or"
          + " --client-token-file)");
    }
  }

  /** Whether the HTTP port asks for credentials at all. */
  public boolean httpAuth() {
    return adminTokenFile != null || clientTokenFile != null || httpTls;
  }
}
