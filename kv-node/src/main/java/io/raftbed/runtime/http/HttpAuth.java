package io.raftbed.runtime.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.raftbed.runtime.tls.TlsContexts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Who may do what over HTTP. Three rights, each needing one of a few credentials:
 * <ul>
 *   <li>{@code ADMIN} (membership changes, leadership transfer): the admin token, or a client
 *       certificate of the cluster's CA for {@code CN=admin} or a node ({@code CN=n<ID>}: a member
 *       forwarding a request it already checked). Open only when neither a token nor client
 *       certificates are configured (a node on loopback, as before);
 *   <li>{@code DATA} (keys): the client token, the admin token or any client certificate of the CA;
 *       open without a client token;
 *   <li>{@code STATUS} ({@code /health}, {@code /metrics}, {@code /cluster}): open unless
 *       {@code protectStatus}; then any credential above.
 * </ul>
 * No credential, or a wrong token, is 401 with {@code WWW-Authenticate: Bearer}; a valid credential
 * without the right is 403. Tokens are compared in constant time.
 *
 * <p>Immutable; shared by every connection.
 */
public final class HttpAuth {
  /** What a request needs. */
  public enum Right { NONE, STATUS, DATA, ADMIN }

  /** Nothing protected: every request allowed (the default). */
  public static final HttpAuth OPEN = new HttpAuth(null, null, false, false);

  private final byte[] adminToken;
  private final byte[] clientToken;
  private final boolean clientCertificates;
  private final boolean protectStatus;

  /**
   * @param adminToken the admin token, or null
   * @param clientToken the token for reads and writes, or null
   * @param clientCertificates whether the port takes client certificates (HTTPS)
   * @param protectStatus whether status pages need a credential
   */
  public HttpAuth(String adminToken, String clientToken, boolean clientCertificates, boolean protectStatus) {
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    this.clientToken = clientToken == null ? null : clientToken.getBytes(StandardCharsets.UTF_8);
    this.clientCertificates = clientCertificates;
    this.protectStatus = protectStatus;
  }

  /** What the caller proved: the highest right its credentials carry, or null for a wrong token. */
  private Right granted(HttpHeaders headers, Channel channel) {
    String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return null;
      }
      byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      if (adminToken != null && MessageDigest.isEqual(presented, adminToken)) {
        return Right.ADMIN;
      }
      if (clientToken != null && MessageDigest.isEqual(presented, clientToken)) {
        return Right.DATA;
      }
      return null;
    }
    if (clientCertificates) {
      Optional<X509Certificate> cert = TlsContexts.peerCertificate(channel);
      if (cert.isPresent()) {
        boolean admin = TlsContexts.nodeId(cert.get()).isPresent()
            || TlsContexts.commonName(cert.get()).filter("admin"::equals).isPresent();
        return admin ? Right.ADMIN : Right.DATA;
      }
    }
    return Right.NONE;
  }

  /** Whether {@code right} needs any credential here. */
  private boolean open(Right right) {
    return switch (right) {
      case NONE -> true;
      case STATUS -> !protectStatus;
      case DATA -> clientToken == null;
      case ADMIN -> adminToken == null && !clientCertificates;
    };
  }

  /** Null when the request may go on, else the 401 or 403 to answer it with. */
  FullHttpResponse refusal(Right needed, HttpHeaders headers, Channel channel) {
    if (open(needed)) {
      return null;
    }
    Right has = granted(headers, channel);
    if (has == null || has == Right.NONE) {
      FullHttpResponse r = ApiResponses.error(401, "unauthorized", has == null ? "the bearer token is not valid here"
          : "this request needs a credential: " + credentialsFor(needed));
      r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"raftbed\"");
      return r;
    }
    if (has.compareTo(needed) >= 0) {
      return null;
    }
    return ApiResponses.error(403, "forbidden", "this credential does not allow this request; it needs "
        + credentialsFor(needed));
  }

  private String credentialsFor(Right needed) {
    return switch (needed) {
      case ADMIN -> clientCertificates ? "the admin token or an admin client certificate" : "the admin token";
      case DATA -> "the client token" + (clientCertificates ? " or a client certificate of the cluster's CA" : "");
      case STATUS, NONE -> "a token" + (clientCertificates ? " or a client certificate" : "");
    };
  }
}
