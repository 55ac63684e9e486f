package io.raftbed.runtime.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.raftbed.runtime.config.Security;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The node's TLS contexts, built from PEM files and rebuilt when the files change: mutual TLS for the
 * peer port (both ends show a certificate of the cluster's CA), HTTPS that takes client certificates
 * when offered, and the client side used to dial peers and forward to the leader.
 *
 * <p>Identity: a certificate names its holder in the subject's common name: {@code n<ID>} for a node,
 * {@code admin} for an operator. Peers are checked against the id they claim, never against a host
 * name: a peer may be dialled through a proxy at any address. Host name verification is off on the
 * client side for the same reason; the CA is the only trust anchor.
 *
 * <p>Threading: contexts are immutable and published through volatile fields, so any I/O thread may
 * make handlers from them; {@link #reloadIfChanged} runs on one scheduled executor.
 */
public final class TlsContexts implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TlsContexts.class.getName());
  /**
   * BoringSSL (netty-tcnative) where it loads: several times cheaper per handshake and per record
   * than the JDK's engine, which matters with HTTP on the node's own loop; the JDK's otherwise, or
   * with {@code -Draftbed.jdk-tls=true}.
   */
  private static final SslProvider PROVIDER = !Boolean.getBoolean("raftbed.jdk-tls") && OpenSsl.isAvailable()
      ? SslProvider.OPENSSL : SslProvider.JDK;

  /** The contexts of one generation of the files. */
  private record Generation(SslContext peerServer, SslContext httpServer, SslContext client, List<FileTime> stamps) {}

  private final Security.Tls files;
  private final Runnable reloaded;
  private volatile Generation current;
  private ScheduledExecutorService reloader;

  private TlsContexts(Security.Tls files, Runnable reloaded) throws IOException {
    this.files = files;
    this.reloaded = reloaded;
    this.current = load(files);
  }

  /**
   * Loads the files, failing with a message that names the bad one.
   *
   * @param reloaded told after each successful reload
   */
  public static TlsContexts load(Security.Tls files, Runnable reloaded) throws IOException {
    return new TlsContexts(files, reloaded);
  }

  /**
   * Looks for changed files every {@code reloadSeconds} (0: never), on a daemon thread of its own:
   * building contexts takes milliseconds that the node loop should not spend.
   */
  public void startReloading() {
    if (files.reloadSeconds() > 0) {
      reloader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tls-reload");
        t.setDaemon(true);
        return t;
      });
      reloader.scheduleWithFixedDelay(this::reloadIfChanged, files.reloadSeconds(), files.reloadSeconds(),
          TimeUnit.SECONDS);
    }
  }

  /** Rebuilds the contexts if any file changed; a broken file keeps the old contexts (and is logged). */
  public boolean reloadIfChanged() {
    try {
      if (stamps(files).equals(current.stamps())) {
        return false;
      }
      current = load(files);
      LOG.log(System.Logger.Level.INFO, "reloaded the TLS certificate " + files.certificate() + "; new connections use"
          + " it");
      reloaded.run();
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "certificate files changed but cannot be loaded; keeping the old ones: "
          + e.getMessage());
      return false;
    }
  }

  private static Generation load(Security.Tls f) throws IOException {
    for (Path p : List.of(f.certificate(), f.privateKey(), f.trustedCa())) {
      if (!Files.isReadable(p)) {
        throw new IOException("cannot read " + p);
      }
    }
    List<FileTime> stamps = stamps(f);
    try {
      SslContext peerServer = SslContextBuilder.forServer(f.certificate().toFile(), f.privateKey().toFile())
          .sslProvider(PROVIDER).trustManager(f.trustedCa().toFile()).clientAuth(ClientAuth.REQUIRE).build();
      SslContext httpServer = SslContextBuilder.forServer(f.certificate().toFile(), f.privateKey().toFile())
          .sslProvider(PROVIDER).trustManager(f.trustedCa().toFile()).clientAuth(ClientAuth.OPTIONAL).build();
      SslContext client = SslContextBuilder.forClient().sslProvider(PROVIDER)
          .keyManager(f.certificate().toFile(), f.privateKey().toFile()).trustManager(f.trustedCa().toFile())
          .endpointIdentificationAlgorithm(null).build();
      return new Generation(peerServer, httpServer, client, stamps);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException("cannot load TLS files " + f.certificate() + ", " + f.privateKey() + ", " + f.trustedCa()
          + ": " + e.getMessage(), e);
    }
  }

  private static List<FileTime> stamps(Security.Tls f) throws IOException {
    return List.of(Files.getLastModifiedTime(f.certificate()), Files.getLastModifiedTime(f.privateKey()),
        Files.getLastModifiedTime(f.trustedCa()));
  }

  /** Which TLS implementation the contexts use: "openssl" (BoringSSL) or "jdk". */
  public static String providerName() {
    return PROVIDER == SslProvider.OPENSSL ? "openssl" : "jdk";
  }

  /** A handler for an accepted peer connection: the peer must show a certificate of the CA. */
  public SslHandler peerServerHandler(Channel ch, int handshakeTimeoutMillis) {
    SslHandler h = current.peerServer().newHandler(ch.alloc());
    h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return h;
  }

  /** A handler for an accepted HTTPS connection; a client certificate is asked for, not required. */
  public SslHandler httpServerHandler(Channel ch, int handshakeTimeoutMillis) {
    SslHandler h = current.httpServer().newHandler(ch.alloc());
    h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return h;
  }

  /** A handler for a connection this node dials (a peer, or the leader's HTTPS port). */
  public SslHandler clientHandler(Channel ch) {
    return current.client().newHandler(ch.alloc());
  }

  /** The certificate the other end of {@code ch} showed, if the channel has TLS and one was shown. */
  public static Optional<X509Certificate> peerCertificate(Channel ch) {
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /** The common name of {@code cert}'s subject, if it has one. */
  public static Optional<String> commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // no usable name
    }
    return Optional.empty();
  }

  /** The node a certificate names ({@code CN=n2} is node 2), if it names one. */
  public static OptionalInt nodeId(X509Certificate cert) {
    Optional<String> cn = commonName(cert);
    if (cn.isPresent() && cn.get().matches("n[1-9][0-9]{0,8}")) {
      return OptionalInt.of(Integer.parseInt(cn.get().substring(1)));
    }
    return OptionalInt.empty();
  }

  /** A JDK TLS context that trusts only the CA in {@code caFile} (PEM), for plain HTTPS clients. */
  public static SSLContext trustOnly(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("cluster-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the CA certificate " + caFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }
}
