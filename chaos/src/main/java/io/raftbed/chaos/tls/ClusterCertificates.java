package io.raftbed.chaos.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The certificates of a local cluster, in one directory: a CA ({@code ca.crt}, {@code ca.key}), a
 * certificate and key per node ({@code n1.crt}, {@code n1.key}: subject {@code CN=n1}, for server and
 * client use, valid for {@code localhost}, 127.0.0.1 and any extra hosts), an operator's client
 * certificate ({@code admin.crt}, {@code admin.key}: {@code CN=admin}) and two bearer tokens
 * ({@code admin.token} for membership and transfer, {@code client.token} for reads and writes).
 * Keys are EC P-256 in PEM PKCS#8, readable by their owner only.
 *
 * <p>Idempotent: an existing CA is kept and signs what is missing, so a node that joins later gets
 * its certificate from the same CA. Files are written to a temporary name and moved into place.
 *
 * <p>Not thread-safe; one caller per directory.
 */
public final class ClusterCertificates {
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String ADMIN_TOKEN = "admin.token";
  public static final String CLIENT_TOKEN = "client.token";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final Duration validity;

  public ClusterCertificates(Path dir, Duration validity) {
    this.dir = dir;
    this.validity = validity;
  }

  public Path dir() {
    return dir;
  }

  public Path caCertificate() {
    return dir.resolve(CA_CERT);
  }

  public Path certificate(String name) {
    return dir.resolve(name + ".crt");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  public Path adminToken() {
    return dir.resolve(ADMIN_TOKEN);
  }

  public Path clientToken() {
    return dir.resolve(CLIENT_TOKEN);
  }

  /**
   * Makes whatever of the CA, the nodes' and the admin's certificates and the tokens is missing;
   * returns the files it wrote.
   *
   * @param hosts extra DNS names or IP addresses the node certificates are valid for
   */
  public List<Path> ensure(Collection<Integer> nodeIds, Collection<String> hosts) throws IOException {
    Files.createDirectories(dir);
    List<Path> made = new ArrayList<>();
    try {
      if (!Files.exists(caCertificate()) || !Files.exists(dir.resolve(CA_KEY))) {
        KeyPair ca = newKeyPair();
        X500Name name = new X500Name("CN=raftbed cluster CA,O=raftbed");
        JcaX509v3CertificateBuilder b = builder(name, name, ca);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        write(dir.resolve(CA_KEY), new JcaPKCS8Generator(ca.getPrivate(), null), true, made);
        write(caCertificate(), new JcaMiscPEMGenerator(sign(b, ca.getPrivate())), false, made);
      }
      X509Certificate caCert = readCertificate(caCertificate());
      PrivateKey caKey = readKey(dir.resolve(CA_KEY));
      for (int id : nodeIds) {
        if (!Files.exists(certificate("n" + id))) {
          issue("n" + id, caCert, caKey, true, hosts, made);
        }
      }
      if (!Files.exists(certificate("admin"))) {
        issue("admin", caCert, caKey, false, List.of(), made);
      }
      for (Path token : List.of(adminToken(), clientToken())) {
        if (!Files.exists(token)) {
          byte[] secret = new byte[32];
          RANDOM.nextBytes(secret);
          writeText(token, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n", true, made);
        }
      }
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make certificates in " + dir + ": " + e.getMessage(), e);
    }
    return made;
  }

  /** A certificate for {@code name} signed by the CA: a node's (server and client) or an operator's (client). */
  private void issue(String name, X509Certificate caCert, PrivateKey caKey, boolean node, Collection<String> hosts,
      List<Path> made) throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair pair = newKeyPair();
    JcaX509v3CertificateBuilder b = builder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
        new X500Name("CN=" + name + ",O=raftbed"), pair);
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCert));
    b.addExtension(Extension.extendedKeyUsage, false, node
        ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
        : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    if (node) {
      Set<String> all = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
      all.addAll(hosts);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(all.stream().map(h ->
          isAddress(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h))
          .toArray(GeneralName[]::new)));
    }
    write(key(name), new JcaPKCS8Generator(pair.getPrivate(), null), true, made);
    write(certificate(name), new JcaMiscPEMGenerator(sign(b, caKey)), false, made);
  }

  private JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair)
      throws GeneralSecurityException, IOException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, RANDOM).abs(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, pair.getPublic());
    b.addExtension(Extension.subjectKeyIdentifier, false,
        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
    return b;
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  /** Reads the first certificate of a PEM file. */
  public static X509Certificate readCertificate(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file); PEMParser p = new PEMParser(r)) {
      if (p.readObject() instanceof X509CertificateHolder holder) {
        return new JcaX509CertificateConverter().getCertificate(holder);
      }
      throw new IOException(file + " holds no certificate");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the certificate " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a PKCS#8 private key from a PEM file. */
  public static PrivateKey readKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file); PEMParser p = new PEMParser(r)) {
      if (p.readObject() instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      throw new IOException(file + " holds no PKCS#8 private key");
    }
  }

  private static void write(Path file, PemObjectGenerator pem, boolean secret, List<Path> made) throws IOException {
    StringWriter text = new StringWriter();
    try (PemWriter w = new PemWriter(text)) {
      w.writeObject(pem);
    }
    writeText(file, text.toString(), secret, made);
  }

  private static void writeText(Path file, String text, boolean secret, List<Path> made) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp);
    if (secret) {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: nothing finer to set
      }
    }
    Files.writeString(temp, text, StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    made.add(file);
  }

  /** Reads a token file (one line). */
  public static String readToken(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
