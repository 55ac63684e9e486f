package io.raftbed.chaos.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.raftbed.chaos.scenario.FaultRule.Range;
import io.raftbed.chaos.scenario.Scenario.ChecksSpec;
import io.raftbed.chaos.scenario.Scenario.ClusterSpec;
import io.raftbed.chaos.scenario.Scenario.HealSpec;
import io.raftbed.chaos.scenario.Scenario.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a scenario script (YAML) into a {@link Scenario}, checking every field: an unknown field, a
 * value out of range or a fault that cannot happen (a node id beyond the cluster, a membership
 * change without spares) is a {@link ScenarioException} naming the field, before anything starts.
 * The fault fields are parsed by {@link FaultParser}. The format is documented in
 * {@code chaos/scenarios/README.md}.
 */
public final class ScenarioParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ScenarioParser() {}

  /** Parses a file; a missing or unreadable file is an {@link IOException}, a bad script a {@link ScenarioException}. */
  public static Scenario parse(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file + ": no such scenario file");
    }
    try {
      return parse(text);
    } catch (ScenarioException e) {
      throw new ScenarioException(file + ": " + e.getMessage());
    }
  }

  public static Scenario parse(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ScenarioException("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || root.isMissingNode()) {
      throw new ScenarioException("the file is empty");
    }
    Node top = new Node(root, "");
    String name = top.text("name", null);
    if (!name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
      throw top.error("name", "use lower-case letters, digits and dashes (it names the run's folder), got '"
          + name + "'");
    }
    String description = top.text("description", "");
    String backend = top.text("backend", "processes");
    if (!backend.equals("processes") && !backend.equals("containers")) {
      throw top.error("backend", "expected processes or containers, got '" + backend + "'");
    }
    long seed = top.integer("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
    Duration duration = top.duration("duration", null);
    if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofHours(6)) > 0) {
      throw top.error("duration", "must be between 1s and 6 hours");
    }
    ClusterSpec cluster = cluster(top.map("cluster"));
    WorkloadSpec workload = workload(top.map("workload"));
    HealSpec heal = heal(top.map("heal"));
    ChecksSpec checks = checks(top.map("checks"));
    List<FaultRule> faults = new ArrayList<>();
    for (Node f : top.maps("faults")) {
      faults.add(FaultParser.rule(f, cluster, duration));
    }
    top.done();
    return new Scenario(name, description, cluster, workload, duration, seed, faults, heal, checks, backend);
  }

  private static ClusterSpec cluster(Node n) {
    if (n == null) {
      return new ClusterSpec(3, 0, Map.of(), List.of());
    }
    int nodes = (int) n.integer("nodes", 3, 1, 9);
    int spares = (int) n.integer("spares", 0, 0, 5);
    Map<String, String> settings = new LinkedHashMap<>();
    Node s = n.map("settings");
    if (s != null) {
      for (String key : s.fieldNames()) {
        JsonNode v = s.raw(key);
        if (!key.matches("[a-z][a-z0-9-]*") || v == null || !v.isValueNode()) {
          throw s.error(key, "a node setting is a flag name without dashes and one value, e.g."
              + " election-ticks-min: 15");
        }
        if (List.of("id", "peers", "join", "routes", "data-dir", "http-port", "peer-port", "listen-host",
            "cluster-id", "initial-voters").contains(key)) {
          throw s.error(key, "set by the harness for every node; a scenario cannot set it");
        }
        settings.put(key, v.asText());
      }
    }
    List<String> javaOptions = new ArrayList<>();
    for (JsonNode o : n.list("java-options")) {
      javaOptions.add(o.asText());
    }
    n.done();
    return new ClusterSpec(nodes, spares, settings, javaOptions);
  }

  private static WorkloadSpec workload(Node n) {
    if (n == null) {
      return new WorkloadSpec(5, 3, 100, 0.5, 0.4, 0.1, Duration.ofSeconds(2), false);
    }
    int clients = (int) n.integer("clients", 5, 1, 256);
    int keys = (int) n.integer("keys", 3, 1, 10_000);
    double rate = n.number("rate", 100, 0, 100_000);
    double read = 0.5;
    double write = 0.4;
    double cas = 0.1;
    Node mix = n.map("mix");
    if (mix != null) {
      read = mix.number("read", 0, 0, 1);
      write = mix.number("write", 0, 0, 1);
      cas = mix.number("cas", 0, 0, 1);
      mix.done();
      if (Math.abs(read + write + cas - 1) > 1e-6) {
        throw n.error("mix", "read, write and cas must sum to 1, got " + (read + write + cas));
      }
      if (write == 0 && cas == 0) {
        throw n.error("mix", "a workload without writes checks nothing; give write or cas a share");
      }
    }
    Duration timeout = n.duration("timeout", Duration.ofSeconds(2));
    if (timeout.toMillis() < 50) {
      throw n.error("timeout", "must be at least 50ms");
    }
    boolean stale = n.bool("stale-reads", false);
    n.done();
    return new WorkloadSpec(clients, keys, rate, read, write, cas, timeout, stale);
  }

  private static HealSpec heal(Node n) {
    if (n == null) {
      return new HealSpec(Duration.ofSeconds(8), Duration.ofSeconds(3));
    }
    Duration quiet = n.duration("quiet", Duration.ofSeconds(8));
    Duration grace = n.duration("grace", Duration.ofSeconds(3));
    if (grace.compareTo(quiet) >= 0) {
      throw n.error("grace", "must be shorter than quiet (" + Durations.format(quiet) + "): liveness is judged"
          + " in the rest of the quiet period");
    }
    n.done();
    return new HealSpec(quiet, grace);
  }

  private static ChecksSpec checks(Node n) {
    if (n == null) {
      return new ChecksSpec(true, true, true);
    }
    ChecksSpec c = new ChecksSpec(n.bool("linearizable", true), n.bool("live-after-heal", true),
        n.bool("durable-after-restart", true));
    n.done();
    return c;
  }

  static String enumName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static <E extends Enum<E>> E enumValue(Node n, String field, Class<E> type, E fallback) {
    String text = n.text(field, fallback == null ? null : enumName(fallback));
    for (E e : type.getEnumConstants()) {
      if (enumName(e).equals(text)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(enumName(e));
    }
    throw n.error(field, "'" + text + "' is not one of " + String.join(", ", names));
  }

  static Range range(Node n, String field, Range fallback) {
    if (!n.has(field)) {
      n.raw(field);
      return fallback;
    }
    String text = n.text(field, null);
    try {
      int dots = text.indexOf("..");
      if (dots < 0) {
        return Range.of(Durations.parse(text));
      }
      Duration min = Durations.parse(text.substring(0, dots));
      Duration max = Durations.parse(text.substring(dots + 2));
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("the range " + text + " ends before it starts");
      }
      return new Range(min, max);
    } catch (IllegalArgumentException e) {
      throw n.error(field, e.getMessage());
    }
  }
}
