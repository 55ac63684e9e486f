package io.raftbed.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the JSON and JSON-lines files reports are made of, with errors that name the file and the
 * line. Writers of these files (fuzz, chaos, bench, JMH) are other modules or tools: fields are read
 * by name, unknown fields ignored, missing ones defaulted where a report can do without. Thread-safe.
 */
public final class JsonFiles {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFiles() {}

  /** A JSON line of a file, with its number. */
  public record Line(Path file, int number, JsonNode json) {}

  /** Every non-blank line of {@code file} as a JSON object. */
  public static List<Line> lines(Path file) throws BadInputException {
    List<Line> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int n = 0;
      for (String s = r.readLine(); s != null; s = r.readLine()) {
        n++;
        if (s.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
          throw new BadInputException(file + ":" + n + ": not a JSON line (" + e.getOriginalMessage() + ")");
        }
        if (!node.isObject()) {
          throw new BadInputException(file + ":" + n + ": a JSON object expected, found " + node.getNodeType());
        }
        out.add(new Line(file, n, node));
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The whole of {@code file} as one JSON value. */
  public static JsonNode read(Path file) throws BadInputException {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new BadInputException(file + ":" + e.getLocation().getLineNr() + ": not valid JSON ("
          + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The first non-blank line of {@code file} (to tell what a file holds), or null when it has none. */
  public static String firstLine(Path file) throws BadInputException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String s = r.readLine(); s != null; s = r.readLine()) {
        if (!s.isBlank()) {
          return s.trim();
        }
      }
      return null;
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code node.get(field)} as text, or {@code fallback} when it is absent or null. */
  public static String text(JsonNode node, String field, String fallback) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  /** {@code node.get(field)} as a long, or {@code fallback} when it is absent or not a number. */
  public static long longOr(JsonNode node, String field, long fallback) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || !v.isNumber() ? fallback : v.asLong();
  }

  /** {@code node.get(field)} as a double, or NaN when it is absent or not a number. */
  public static double doubleOr(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }
}
