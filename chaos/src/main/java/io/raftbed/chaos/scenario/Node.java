package io.raftbed.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A map of a parsed scenario, read field by field: each accessor names the field's path in its
 * error ({@code faults[2].shape: ...}), and {@link #done} refuses any field nobody read, so a typo
 * is an error rather than a setting silently ignored.
 */
final class Node {
  private final JsonNode json;
  private final String path;
  private final Set<String> read = new LinkedHashSet<>();

  Node(JsonNode json, String path) {
    if (json == null || !json.isObject()) {
      throw new ScenarioException(where(path) + "expected a map of fields");
    }
    this.json = json;
    this.path = path;
  }

  private static String where(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }

  String path() {
    return path;
  }

  private String child(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  boolean has(String field) {
    return json.has(field) && !json.get(field).isNull();
  }

  private JsonNode get(String field) {
    read.add(field);
    return json.get(field);
  }

  ScenarioException error(String field, String message) {
    return new ScenarioException(where(child(field)) + message);
  }

  String text(String field, String fallback) {
    JsonNode n = get(field);
    if (n == null || n.isNull()) {
      if (fallback == null) {
        throw error(field, "required");
      }
      return fallback;
    }
    if (!n.isValueNode()) {
      throw error(field, "expected a value, not a " + (n.isArray() ? "list" : "map"));
    }
    return n.asText();
  }

  long integer(String field, long fallback, long min, long max) {
    JsonNode n = get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
      throw error(field, "expected a whole number in " + min + ".." + max + ", got " + n);
    }
    return n.asLong();
  }

  double number(String field, double fallback, double min, double max) {
    JsonNode n = get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
      throw error(field, "expected a number in " + min + ".." + max + ", got " + n);
    }
    return n.asDouble();
  }

  boolean bool(String field, boolean fallback) {
    JsonNode n = get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw error(field, "expected true or false, got " + n);
    }
    return n.asBoolean();
  }

  Duration duration(String field, Duration fallback) {
    JsonNode n = get(field);
    if (n == null || n.isNull()) {
      if (fallback == null) {
        throw error(field, "required");
      }
      return fallback;
    }
    try {
      return Durations.parse(n.asText());
    } catch (IllegalArgumentException e) {
      throw error(field, e.getMessage());
    }
  }

  /** The field as a map, or null when absent. */
  Node map(String field) {
    JsonNode n = get(field);
    return n == null || n.isNull() ? null : new Node(n, child(field));
  }

  /** The field as a list of maps (absent: empty). */
  List<Node> maps(String field) {
    JsonNode n = get(field);
    List<Node> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw error(field, "expected a list");
    }
    for (int i = 0; i < n.size(); i++) {
      out.add(new Node(n.get(i), child(field) + "[" + i + "]"));
    }
    return out;
  }

  /** The field as a list of values (absent: empty). */
  List<JsonNode> list(String field) {
    JsonNode n = get(field);
    List<JsonNode> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw error(field, "expected a list");
    }
    n.forEach(out::add);
    return out;
  }

  /** The field names of this map, in order (for maps whose keys are data, such as node settings). */
  List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    names.forEach(read::add);
    return names;
  }

  JsonNode raw(String field) {
    return get(field);
  }

  /** Refuses fields that were never read: a misspelt field must not be silently ignored. */
  void done() {
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!read.contains(f)) {
        throw error(f, "unknown field");
      }
    }
  }
}
