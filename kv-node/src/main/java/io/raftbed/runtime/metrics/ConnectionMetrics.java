package io.raftbed.runtime.metrics;

import io.raftbed.runtime.net.ConnectionGovernor.Activity;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the node did to protect itself from its connections: refused, evicted and timed
 * out connections on both ports, TLS handshakes that failed and requests refused for lack of
 * credentials. Rendered as part of {@link NodeMetrics#render}.
 *
 * <p>Threading: lock-free adders, updated from any I/O thread.
 */
public final class ConnectionMetrics {
  private final LongAdder httpRefused = new LongAdder();
  private final LongAdder httpEvictedIdle = new LongAdder();
  private final LongAdder httpEvictedReading = new LongAdder();
  private final LongAdder httpIdleTimeouts = new LongAdder();
  private final LongAdder httpReadTimeouts = new LongAdder();
  private final LongAdder peerRefused = new LongAdder();
  private final LongAdder peerEvicted = new LongAdder();
  private final LongAdder tlsHandshakeFailures = new LongAdder();
  private final LongAdder peerCertificateRejections = new LongAdder();
  private final LongAdder unauthorized = new LongAdder();
  private final LongAdder forbidden = new LongAdder();
  private final LongAdder certificateReloads = new LongAdder();
  private volatile java.util.function.IntSupplier httpOpen = () -> 0;

  /** Where to read the number of open HTTP connections from; set once the server runs. */
  public void httpOpenSource(java.util.function.IntSupplier source) {
    this.httpOpen = source;
  }

  /** A new HTTP connection was refused (503): over a limit with nothing to evict. */
  public void httpRefused() {
    httpRefused.increment();
  }

  /** An HTTP connection was closed to make room for a new one. */
  public void httpEvicted(Activity activity) {
    (activity == Activity.READING ? httpEvictedReading : httpEvictedIdle).increment();
  }

  /** An HTTP connection outlived a deadline: idle too long, or a request arrived too slowly (408). */
  public void httpTimedOut(boolean whileReading) {
    (whileReading ? httpReadTimeouts : httpIdleTimeouts).increment();
  }

  public void peerRefused() {
    peerRefused.increment();
  }

  public void peerEvicted() {
    peerEvicted.increment();
  }

  /** A TLS handshake failed on either port (no or a bad certificate, wrong protocol, timeout). */
  public void tlsHandshakeFailed() {
    tlsHandshakeFailures.increment();
  }

  /** A peer's certificate was valid TLS but does not name the node it claims to be (or any node). */
  public void peerCertificateRejected() {
    peerCertificateRejections.increment();
  }

  /** A request got 401 (no or a wrong credential) or 403 (a credential without the right). */
  public void authRefused(int status) {
    (status == 403 ? forbidden : unauthorized).increment();
  }

  public void certificatesReloaded() {
    certificateReloads.increment();
  }

  public long httpRefusedTotal() {
    return httpRefused.sum();
  }

  public long httpEvictedTotal() {
    return httpEvictedIdle.sum() + httpEvictedReading.sum();
  }

  public long tlsHandshakeFailuresTotal() {
    return tlsHandshakeFailures.sum();
  }

  void render(StringBuilder out) {
    NodeMetrics.gauge(out, "raftbed_http_connections_open", "HTTP connections open now.", httpOpen.getAsInt());
    labelled(out, "raftbed_http_connections_evicted_total", "HTTP connections closed to make room for new ones,"
        + " by what they were doing.", "state", new String[] {"idle", "reading"},
        new long[] {httpEvictedIdle.sum(), httpEvictedReading.sum()});
    labelled(out, "raftbed_http_connections_timed_out_total", "HTTP connections closed by a deadline: idle too"
        + " long, or a request that arrived too slowly (408).", "state", new String[] {"idle", "reading"},
        new long[] {httpIdleTimeouts.sum(), httpReadTimeouts.sum()});
    counter(out, "raftbed_peer_connections_refused_total", "Inbound peer connections refused over the connection"
        + " limits.", peerRefused.sum());
    counter(out, "raftbed_peer_connections_evicted_total", "Inbound peer connections that had not said hello, closed"
        + " to make room for new ones.", peerEvicted.sum());
    counter(out, "raftbed_tls_handshake_failures_total", "TLS handshakes that failed, on either port (a peer"
        + " without a certificate of the cluster's CA is one).", tlsHandshakeFailures.sum());
    counter(out, "raftbed_peer_certificate_rejections_total", "Peer connections whose CA-signed certificate does not"
        + " name the node they claimed to be.", peerCertificateRejections.sum());
    labelled(out, "raftbed_http_auth_refusals_total", "Requests refused for credentials: 401 none or a wrong one,"
        + " 403 one without the right.", "code", new String[] {"401", "403"},
        new long[] {unauthorized.sum(), forbidden.sum()});
    counter(out, "raftbed_tls_certificate_reloads_total", "Times changed certificate files were loaded.",
        certificateReloads.sum());
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name)
        .append(" counter\n").append(name).append(' ').append(value).append('\n');
  }

  private static void labelled(StringBuilder out, String name, String help, String label, String[] values,
      long[] counts) {
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n");
    for (int i = 0; i < values.length; i++) {
      out.append(name).append('{').append(label).append("=\"").append(values[i]).append("\"} ").append(counts[i])
          .append('\n');
    }
  }
}
