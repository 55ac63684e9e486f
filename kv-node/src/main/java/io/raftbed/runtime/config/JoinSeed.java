package io.raftbed.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a node that joins an existing cluster ({@code --join URL}) learns before it starts: the
 * cluster id, the members it can reach and the cluster's founding voters, from any member's
 * {@code GET /cluster}. The node then starts with those founding voters as its initial configuration
 * (so it never campaigns as a one-node cluster) and waits for a leader to add it.
 *
 * <p>The seed is saved in {@code DATA_DIR/join.json} the first time and read from there on every later
 * start, so a joined node restarts without any other member being up. Members added after the seed
 * was taken come from the log, whose configuration entries carry their addresses.
 *
 * @param clusterId the cluster's id, which the node's handshakes must carry
 * @param members the members with known addresses when the seed was taken
 * @param initialVoters the cluster's founding voters (the configuration at log index 0)
 * @param memberIds every id in the configuration when the seed was taken, voters and learners
 */
public record JoinSeed(String clusterId, List<Member> members, List<Integer> initialVoters, List<Integer> memberIds) {
  public static final String FILE = "join.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public JoinSeed {
    members = List.copyOf(members);
    initialVoters = List.copyOf(initialVoters);
    memberIds = List.copyOf(memberIds);
  }

  /** The seed saved by an earlier start, if any. */
  public static Optional<JoinSeed> load(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(JSON.readTree(file.toFile()), file.toString()));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is damaged (" + e.getMessage() + "); restore it or rejoin with a new id", e);
    }
  }

  /** Writes the seed atomically (temp file, fsync, rename). */
  public void save(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path temp = dataDir.resolve(FILE + ".tmp");
    Files.write(temp, JSON.writeValueAsBytes(toJson()));
    try (var ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(temp, dataDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Asks each URL's {@code GET /cluster} in turn, round after round, until one answers or
   * {@code timeout} passes. Throws {@link IOException} naming the last failure.
   */
  public static JoinSeed fetch(List<URI> urls, Duration timeout) throws IOException, InterruptedException {
    return fetch(urls, timeout, null);
  }

  /** As {@link #fetch(List, Duration)}, over HTTPS trusting {@code tls} when it is not null. */
  public static JoinSeed fetch(List<URI> urls, Duration timeout, javax.net.ssl.SSLContext tls)
      throws IOException, InterruptedException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls != null) {
      builder.sslContext(tls);
    }
    HttpClient client = builder.build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no URL given";
    do {
      for (URI url : urls) {
        try {
          HttpRequest request = HttpRequest.newBuilder(url.resolve("/cluster")).timeout(Duration.ofSeconds(3)).build();
          HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() == 200) {
            return fromJson(JSON.readTree(r.body()), url + "/cluster");
          }
          last = url + "/cluster answered " + r.statusCode();
        } catch (IOException | IllegalArgumentException e) {
          last = url + "/cluster: " + e.getMessage();
        }
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new IOException("no member answered within " + timeout.toSeconds() + " s; last: " + last);
  }

  /** Reads the fields of a {@code GET /cluster} answer (or of a saved seed, which has the same names). */
  static JoinSeed fromJson(JsonNode n, String source) {
    if (n == null || !n.path("clusterId").isTextual() || !n.path("members").isArray()
        || !n.path("initialVoters").isArray()) {
      throw new IllegalArgumentException(source + " lacks clusterId, members or initialVoters (is it a raftbed"
          + " node of this version?)");
    }
    List<Member> members = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (JsonNode m : n.get("members")) {
      int id = m.path("id").asInt();
      ids.add(id);
      if (m.path("address").isTextual()) {
        members.add(Member.fromAddress(id, m.get("address").asText()));
      }
    }
    List<Integer> voters = new ArrayList<>();
    n.get("initialVoters").forEach(v -> voters.add(v.asInt()));
    return new JoinSeed(n.get("clusterId").asText(), members, voters, ids);
  }

  private JsonNode toJson() {
    var root = JSON.createObjectNode();
    root.put("clusterId", clusterId);
    var list = root.putArray("members");
    for (int id : memberIds) {
      var entry = list.addObject().put("id", id);
      members.stream().filter(m -> m.id() == id).findFirst().ifPresent(m -> entry.put("address", m.address()));
    }
    var voters = root.putArray("initialVoters");
    initialVoters.forEach(voters::add);
    return root;
  }
}
