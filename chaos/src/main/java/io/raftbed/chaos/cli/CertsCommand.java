package io.raftbed.chaos.cli;

import io.raftbed.chaos.tls.ClusterCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftbed certs}: a CA, node and admin certificates and tokens for a cluster (see {@link ClusterCertificates}). */
@Command(name = "certs", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = {"Makes a CA, a certificate per node (CN=n1 ... for peer mutual TLS and HTTPS), an operator's"
        + " client certificate (CN=admin) and two bearer tokens (admin.token: membership and transfer; client.token:"
        + " reads and writes) in --dir. Keeps what exists: run it again with more --nodes for nodes that join later.",
        "", "Then start each node with --tls-cert DIR/nN.crt --tls-key DIR/nN.key --tls-ca DIR/ca.crt"
        + " [--admin-token-file DIR/admin.token] [--client-token-file DIR/client.token];"
        + " 'raftbed cluster up --tls' does all of it.",
        "", "Example: raftbed certs --dir runs/certs --nodes 3",
        "         curl --cacert runs/certs/ca.crt -H \"Authorization: Bearer $(cat runs/certs/admin.token)\" ..."},
    footer = {"", "Exit codes: 0 made (or already there); 1 the files could not be written; 2 bad options."})
final class CertsCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the files go (created if"
      + " missing).")
  Path dir;

  @Option(names = "--nodes", defaultValue = "3", paramLabel = "N", description = "Certificates for nodes 1..N."
      + " Default: ${DEFAULT-VALUE}.")
  int nodes;

  @Option(names = "--host", paramLabel = "HOST", description = "A further DNS name or IP address the node"
      + " certificates are valid for (HTTPS clients check it), repeatable. Always: localhost, 127.0.0.1.")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--days", defaultValue = "825", paramLabel = "DAYS", description = "Validity of new certificates."
      + " Default: ${DEFAULT-VALUE}.")
  int days;

  @Override
  public Integer call() {
    if (nodes < 1 || nodes > 1000) {
      return Usage.fail("certs", "--nodes must be 1..1000, got " + nodes);
    }
    if (days < 1) {
      return Usage.fail("certs", "--days must be positive, got " + days);
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      return Usage.fail("certs", "--dir " + dir + " is a file, not a directory");
    }
    ClusterCertificates certs = new ClusterCertificates(dir, Duration.ofDays(days));
    try {
      List<Path> made = certs.ensure(IntStream.rangeClosed(1, nodes).boxed().toList(), hosts);
      System.out.println(made.isEmpty() ? "everything was already in " + dir : "made " + made.size() + " files in "
          + dir + ": " + String.join(" ", made.stream().map(p -> p.getFileName().toString()).toList()));
      return 0;
    } catch (IOException e) {
      System.err.println("raftbed certs: " + e.getMessage());
      return 1;
    }
  }
}
