package io.raftbed.chaos.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.raftbed.runtime.tls.TlsContexts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * What a client of a cluster needs to talk to it: the CA to trust for HTTPS (null for plain HTTP)
 * and a bearer token to send (null for none). Host names are verified against the node certificates
 * ({@code raftbed certs} makes them valid for localhost and 127.0.0.1).
 *
 * @param trustedCa the cluster's CA certificate (PEM), or null
 * @param bearerToken sent as {@code Authorization: Bearer ...} with every request, or null
 */
public record ClientCredentials(Path trustedCa, String bearerToken) {
  public static final ClientCredentials NONE = new ClientCredentials(null, null);

  /** A JDK TLS context trusting only the CA; null without one. */
  public SSLContext sslContext() {
    if (trustedCa == null) {
      return null;
    }
    try {
      return TlsContexts.trustOnly(trustedCa);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Netty client TLS context trusting only the CA (for the load generator); null without one. */
  public SslContext nettyContext() {
    if (trustedCa == null) {
      return null;
    }
    try {
      return SslContextBuilder.forClient().trustManager(trustedCa.toFile()).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CA certificate " + trustedCa, e);
    }
  }
}
