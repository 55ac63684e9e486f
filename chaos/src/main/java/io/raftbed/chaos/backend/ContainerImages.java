package io.raftbed.chaos.backend;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * The images of the containers backend, all built locally by {@code bin/lib/images.sh} (nothing can
 * be pulled): {@link #BASE} (debootstrap + libfaketime), {@link #node()} (a jlink runtime and the
 * node's jars) and {@link #proxy()} (the Toxiproxy-API proxy). The node and proxy tags carry this
 * build's version, so a checkout never runs another version's image by accident.
 *
 * <p>Stateless and thread-safe; every Docker call goes through Testcontainers' client.
 */
public final class ContainerImages {
  public static final String BASE = "raftbed/base:bookworm";
  /** The path of libfaketime inside the images (a link to the architecture's directory). */
  public static final Path LIBFAKETIME = Path.of("/usr/local/lib/faketime/libfaketime.so.1");
  /** Label of the proxy image: {@code present} when the jars it was built from hold the proxy. */
  public static final String PROXY_LABEL = "io.raftbed.proxy";

  private ContainerImages() {}

  /** This build's version ({@code project.version}), the tag of the node and proxy images. */
  public static String version() {
    try (InputStream in = ContainerImages.class.getResourceAsStream("images.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      String v = p.getProperty("version", "");
      if (v.isBlank() || v.startsWith("$")) {
        throw new IllegalStateException("images.properties holds no version; build the chaos module with Maven");
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String node() {
    return "raftbed/node:" + version();
  }

  public static String proxy() {
    return "raftbed/proxy:" + version();
  }

  /** Why no Docker engine can be used from here, or empty when one answers. */
  public static Optional<String> engineProblem() {
    try {
      DockerClientFactory.instance().client().pingCmd().exec();
      return Optional.empty();
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return Optional.of("no Docker engine answers (" + message.lines().findFirst().orElse(message).strip() + ")");
    }
  }

  /** Whether {@code image} is in the engine's local store. */
  public static boolean present(String image) {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** A label of a local image, if the image and the label are there. */
  public static Optional<String> label(String image, String key) {
    try {
      Map<String, String> labels = DockerClientFactory.instance().client().inspectImageCmd(image).exec()
          .getConfig().getLabels();
      return Optional.ofNullable(labels == null ? null : labels.get(key));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** Fails with the command that builds it when {@code image} is not in the local store. */
  public static void require(String image) throws IOException {
    if (!present(image)) {
      throw new IOException("image " + image + " is not built; run bin/raftbed images (nothing can be pulled)");
    }
  }

  /**
   * Builds (or refreshes) every image with {@code ROOT/bin/lib/images.sh} from the jars packaged in
   * {@code root}; its output goes to {@code log}. Returns the script's exit code: 0 built, 2 cannot
   * build here (no engine, jars not packaged, the base image needs root), 1 a build failed.
   */
  public static int build(Path root, Path log, Duration timeout) throws IOException {
    Path script = root.resolve("bin/lib/images.sh");
    if (!Files.isExecutable(script)) {
      throw new IOException(script + " is missing: not a raftbed checkout");
    }
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process p = new ProcessBuilder(script.toString()).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("bin/lib/images.sh did not finish in " + timeout + "; see " + log);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building images", e);
    }
    return p.exitValue();
  }

  /** The last {@code lines} lines of a file, for messages. */
  public static String tail(Path file, int lines) throws IOException {
    List<String> all = Files.readAllLines(file);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
