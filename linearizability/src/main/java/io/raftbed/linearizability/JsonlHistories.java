package io.raftbed.linearizability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON lines histories: one object per line, e.g.
 * {@code {"process":1,"type":"ok","f":"cas","key":"x","value":[1,2],"time":5,"index":3}}.
 * {@code type} and {@code f} may carry a leading colon; keywords are written as {@code ":name"}
 * strings. Blank lines are skipped. Stateless; thread-safe.
 */
final class JsonlHistories {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonlHistories() {}

  static History read(String text, String source) throws HistoryFormatException {
    List<Op> ops = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    String[] rows = text.split("\n", -1);
    for (int i = 0; i < rows.length; i++) {
      String row = rows[i].strip();
      if (row.isEmpty()) {
        continue;
      }
      int line = i + 1;
      JsonNode node;
      try {
        node = MAPPER.readTree(row);
      } catch (JsonProcessingException e) {
        throw new HistoryFormatException(source, line, "a JSON object expected: " + e.getOriginalMessage());
      }
      if (!(node instanceof ObjectNode obj)) {
        throw new HistoryFormatException(source, line, "one JSON object per line expected, found " + node.getNodeType());
      }
      Op op = OpDecoder.decode(k -> toValue(obj.get(k)), obj.has("key"), ops.size(), source, line);
      if (op != null) {
        ops.add(op);
        lines.add(line);
      }
    }
    return OpDecoder.history(ops, lines, source);
  }

  private static Object toValue(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber()) {
      return Values.normalize(node.bigIntegerValue());
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>(node.size());
      for (JsonNode e : node) {
        out.add(toValue(e));
      }
      return Collections.unmodifiableList(out);
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), toValue(e.getValue()));
    }
    return out;
  }

  static void write(History history, Writer out) throws IOException {
    for (Op op : history.ops()) {
      ObjectNode obj = JsonNodeFactory.instance.objectNode();
      obj.put("process", op.process());
      obj.put("type", op.type().keywordName());
      obj.put("f", op.f());
      if (op.key() != null) {
        obj.set("key", toJson(op.key()));
      }
      obj.set("value", toJson(op.value()));
      if (op.hasTime()) {
        obj.put("time", op.timeNanos());
      }
      obj.put("index", op.index());
      out.write(MAPPER.writeValueAsString(obj));
      out.write('\n');
    }
  }

  private static JsonNode toJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (value) {
      case null -> f.nullNode();
      case Long l -> f.numberNode(l);
      case java.math.BigInteger b -> f.numberNode(b);
      case Double d -> f.numberNode(d);
      case Boolean b -> f.booleanNode(b);
      case String s -> f.textNode(s);
      case List<?> list -> {
        ArrayNode a = f.arrayNode();
        list.forEach(e -> a.add(toJson(e)));
        yield a;
      }
      case Set<?> set -> {
        ArrayNode a = f.arrayNode();
        set.forEach(e -> a.add(toJson(e)));
        yield a;
      }
      case Map<?, ?> map -> {
        ObjectNode o = f.objectNode();
        map.forEach((k, v) -> o.set(k instanceof Keyword kw ? kw.name() : String.valueOf(k), toJson(v)));
        yield o;
      }
      default -> f.textNode(value.toString());
    };
  }
}
