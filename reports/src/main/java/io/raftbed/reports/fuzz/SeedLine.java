package io.raftbed.reports.fuzz;

import static io.raftbed.reports.JsonFiles.longOr;
import static io.raftbed.reports.JsonFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftbed.reports.BadInputException;
import io.raftbed.reports.JsonFiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One seed's line of a fuzz campaign's results file ({@code results-shard-K-of-N.jsonl}, written by
 * {@code raftbed fuzz}), as a report needs it. Read by field name from JSON, so that this module does
 * not depend on the simulator. Immutable.
 *
 * @param seed the run's seed
 * @param shard the shard that ran it, {@code K/N}
 * @param violation the violation kind, or null when the seed was clean
 * @param message the (shortened) violation message, or null
 * @param faultTypes the fault types the swarm turned on
 * @param options the swarm's other draws as {@code name -> value} (intensities and, when the seed
 *     drew its own cluster, the cluster and workload options), for attribution
 * @param scheduleEvents fault events in the seed's schedule
 * @param linearizability the checker's verdict word, e.g. {@code linearizable} or {@code not-checked}
 * @param digest the run's trace digest
 * @param wallMs wall milliseconds the seed took
 * @param finishedAtMs when it finished (epoch ms), or 0 when the line predates that field
 */
public record SeedLine(long seed, String shard, String violation, String message, List<String> faultTypes,
    SortedMap<String, String> options, long scheduleEvents, String linearizability, String digest, long wallMs,
    long finishedAtMs) {

  public SeedLine {
    faultTypes = List.copyOf(faultTypes);
    options = new TreeMap<>(options);
  }

  public boolean clean() {
    return violation == null;
  }

  /** When the seed started, epoch ms (0 when unknown). */
  public long startedAtMs() {
    return finishedAtMs == 0 ? 0 : finishedAtMs - wallMs;
  }

  /**
   * What makes two runs of this seed the same run: seed, outcome, violation kind, verdict and trace
   * digest. Wall times and the shard that ran it are not part of it.
   */
  public String identity() {
    return seed + " " + (clean() ? "clean" : "violation " + violation) + " " + linearizability + " " + digest;
  }

  /** Parses a results line; {@code where} names the file and line for errors. */
  public static SeedLine parse(JsonNode json, String where) throws BadInputException {
    JsonNode seed = json.get("seed");
    if (seed == null || !seed.canConvertToLong()) {
      throw new BadInputException(where + ": a fuzz results line needs a numeric \"seed\"");
    }
    String outcome = text(json, "outcome", null);
    if (outcome == null) {
      throw new BadInputException(where + ": a fuzz results line needs an \"outcome\" (clean or violation)");
    }
    JsonNode v = json.get("violation");
    String kind = null;
    String message = null;
    if (v != null && !v.isNull()) {
      kind = text(v, "kind", "unknown");
      message = text(v, "message", "");
    } else if (!outcome.equals("clean")) {
      kind = outcome;
    }
    List<String> types = new ArrayList<>();
    JsonNode t = json.get("faultTypes");
    if (t != null && t.isArray()) {
      t.forEach(e -> types.add(e.asText()));
    }
    SortedMap<String, String> options = new TreeMap<>();
    JsonNode swarm = json.get("swarm");
    if (swarm != null && swarm.isObject()) {
      options.put("messages", text(swarm, "messageLevelPercent", "?") + "%");
      options.put("durations", text(swarm, "durationPercent", "?") + "%");
      options.put("fault interval", intervalBucket(longOr(swarm, "faultIntervalMillis", -1)));
    }
    flatten(json.get("cluster"), options);
    return new SeedLine(seed.asLong(), text(json, "shard", "1/1"), kind, message, types, options,
        longOr(json, "scheduleEvents", 0), text(json, "linearizability", "unknown"), text(json, "digest", ""),
        longOr(json, "wallMs", 0), longOr(json, "finishedAtMs", 0));
  }

  /** Parses every line of a results file. */
  public static List<SeedLine> parseFile(java.nio.file.Path file) throws BadInputException {
    List<SeedLine> out = new ArrayList<>();
    for (JsonFiles.Line line : JsonFiles.lines(file)) {
      out.add(parse(line.json(), file + ":" + line.number()));
    }
    return out;
  }

  /** Mean fault intervals are drawn log-uniformly from 0.3 to 10 s: three buckets a reader can compare. */
  static String intervalBucket(long millis) {
    if (millis < 0) {
      return "?";
    }
    return millis < 1_000 ? "0.3-1 s" : millis < 3_000 ? "1-3 s" : "3-10 s";
  }

  /** The cluster profile's fields, each as an option: flags as on/off, numbers and text as they are. */
  private static void flatten(JsonNode cluster, Map<String, String> into) {
    if (cluster == null || !cluster.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = cluster.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = f.getValue();
      if (v.isBoolean()) {
        into.put(f.getKey(), v.asBoolean() ? "on" : "off");
      } else if (v.isValueNode() && !v.isNull()) {
        into.put(f.getKey(), v.asText());
      }
    }
  }
}
