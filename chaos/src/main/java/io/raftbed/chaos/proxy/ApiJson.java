package io.raftbed.chaos.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The control API's JSON, shaped as Toxiproxy's ({@code api.go}: {@code proxyWithToxics},
 * {@code toxics.ToxicWrapper}, {@code ApiError}), and request bodies read the way Go's
 * {@code encoding/json} reads them into Toxiproxy's structs: unknown fields ignored, field names
 * matched exactly or else case-insensitively, {@code null} leaves a field as it was, a value of the
 * wrong JSON type is a 400 "bad request body", and integer attributes take integer literals only.
 * Stateless.
 */
final class ApiJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiJson() {}

  /** {@code {"name","listen","upstream","enabled","toxics":[...]}}, upstream toxics first. */
  static ObjectNode proxy(FaultProxy.State s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", s.name());
    o.put("listen", s.listen());
    o.put("upstream", s.upstream());
    o.put("enabled", s.enabled());
    ArrayNode list = o.putArray("toxics");
    for (ToxicSpec t : ordered(s.toxics())) {
      list.add(toxic(t));
    }
    return o;
  }

  /** The toxic list as Toxiproxy's {@code GetToxicArray}: the upstream chain, then the downstream one. */
  static List<ToxicSpec> ordered(List<ToxicSpec> toxics) {
    List<ToxicSpec> out = new ArrayList<>(toxics.size());
    for (Direction d : Direction.values()) {
      for (ToxicSpec t : toxics) {
        if (t.stream() == d) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** {@code {"attributes":{...},"name","type","stream","toxicity"}} in Toxiproxy's field order. */
  static ObjectNode toxic(ToxicSpec t) {
    ObjectNode o = MAPPER.createObjectNode();
    ObjectNode attributes = o.putObject("attributes");
    long[] values = ToxicType.values(t.attributes());
    for (int i = 0; i < values.length; i++) {
      attributes.put(t.type().fields.get(i), values[i]);
    }
    o.put("name", t.name());
    o.put("type", t.type().jsonName);
    o.put("stream", t.stream().jsonName);
    float toxicity = t.toxicity();
    // Go prints a float32 of 1 as 1, not 1.0.
    if (toxicity == Math.rint(toxicity) && Math.abs(toxicity) < 1e15) {
      o.put("toxicity", (long) toxicity);
    } else {
      o.put("toxicity", toxicity);
    }
    return o;
  }

  static ObjectNode error(ApiException e) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("error", e.getMessage());
    o.put("status", e.status);
    return o;
  }

  /** Parses a request body; an empty or malformed one is a 400, as Go's decoder fails on it. */
  static JsonNode parse(byte[] body) throws ApiException {
    if (body.length == 0) {
      throw ApiException.badBody("EOF");
    }
    try {
      JsonNode n = MAPPER.readTree(body);
      if (n == null || n.isMissingNode()) {
        throw ApiException.badBody("EOF");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw ApiException.badBody(e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.badBody(e.getMessage());
    }
  }

  /** A proxy's fields from a request, each defaulting to {@code base}'s (Toxiproxy's Proxy struct). */
  record ProxyFields(String name, String listen, String upstream, Boolean enabled) {
    static ProxyFields read(JsonNode body, ProxyFields base, String context) throws ApiException {
      ObjectNode o = object(body, context);
      return new ProxyFields(
          string(o, "name", base.name, context),
          string(o, "listen", base.listen, context),
          string(o, "upstream", base.upstream, context),
          bool(o, "enabled", base.enabled, context));
    }
  }

  /** The body of {@code POST /populate}: an array of proxies; {@code enabled} defaults to true. */
  static List<ProxyFields> populate(JsonNode body) throws ApiException {
    if (body.isNull()) {
      return List.of();
    }
    if (!body.isArray()) {
      throw ApiException.badBody(cannot(body, "Go value of type []struct { toxiproxy.Proxy }"));
    }
    List<ProxyFields> out = new ArrayList<>();
    ProxyFields base = new ProxyFields("", "", "", null);
    for (JsonNode item : body) {
      ProxyFields f = ProxyFields.read(item, base, "Proxy");
      out.add(new ProxyFields(f.name, f.listen, f.upstream, f.enabled == null ? Boolean.TRUE : f.enabled));
    }
    return out;
  }

  /**
   * A new toxic ({@code AddToxicJson} in Toxiproxy's {@code toxic_collection.go}): stream defaults to
   * downstream, toxicity to 1.0, name to {@code <type>_<stream>}; the stream is checked before the
   * type; attributes missing are 0.
   */
  static ToxicSpec newToxic(JsonNode body) throws ApiException {
    ObjectNode o = object(body, "ToxicWrapper");
    String streamText = string(o, "stream", "downstream", "ToxicWrapper");
    float toxicity = float32(o, "toxicity", 1.0f);
    Direction stream = Direction.parse(streamText);
    if (stream == null) {
      throw ApiException.invalidStream();
    }
    String typeName = string(o, "type", "", "ToxicWrapper");
    String name = string(o, "name", "", "ToxicWrapper");
    if (name.isEmpty()) {
      name = typeName + "_" + streamText;
    }
    ToxicType type = ToxicType.parse(typeName);
    if (type == null) {
      throw ApiException.invalidToxicType();
    }
    return new ToxicSpec(name, stream, toxicity, attributes(o, type.defaults()));
  }

  /** An update ({@code UpdateToxicJson}): only {@code attributes} (partially) and {@code toxicity}. */
  static ToxicSpec updatedToxic(ToxicSpec current, JsonNode body) throws ApiException {
    ObjectNode o = object(body, "struct { Attributes interface {} }");
    float toxicity = float32(o, "toxicity", current.toxicity());
    return current.with(toxicity, attributes(o, current.attributes()));
  }

  private static ToxicAttributes attributes(ObjectNode o, ToxicAttributes base) throws ApiException {
    JsonNode a = field(o, "attributes");
    if (a == null || a.isNull()) {
      return base;
    }
    ToxicType type = base.type();
    String context = type.name().toLowerCase() + " toxic attributes";
    ObjectNode attrs = object(a, context);
    long[] values = ToxicType.values(base);
    for (int i = 0; i < values.length; i++) {
      JsonNode v = field(attrs, type.fields.get(i));
      if (v == null || v.isNull()) {
        continue;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw ApiException.badBody(cannot(v, "Go struct field " + type.fields.get(i) + " of type int64"));
      }
      values[i] = v.longValue();
    }
    return type.of(values);
  }

  private static ObjectNode object(JsonNode n, String goType) throws ApiException {
    if (n.isNull()) {
      return MAPPER.createObjectNode();
    }
    if (!n.isObject()) {
      throw ApiException.badBody(cannot(n, "Go value of type " + goType));
    }
    return (ObjectNode) n;
  }

  private static String string(ObjectNode o, String name, String base, String goType) throws ApiException {
    JsonNode v = field(o, name);
    if (v == null || v.isNull()) {
      return base;
    }
    if (!v.isTextual()) {
      throw ApiException.badBody(cannot(v, "Go struct field " + goType + "." + name + " of type string"));
    }
    return v.textValue();
  }

  private static Boolean bool(ObjectNode o, String name, Boolean base, String goType) throws ApiException {
    JsonNode v = field(o, name);
    if (v == null || v.isNull()) {
      return base;
    }
    if (!v.isBoolean()) {
      throw ApiException.badBody(cannot(v, "Go struct field " + goType + "." + name + " of type bool"));
    }
    return v.booleanValue();
  }

  private static float float32(ObjectNode o, String name, float base) throws ApiException {
    JsonNode v = field(o, name);
    if (v == null || v.isNull()) {
      return base;
    }
    if (!v.isNumber()) {
      throw ApiException.badBody(cannot(v, "Go struct field " + name + " of type float32"));
    }
    return v.floatValue();
  }

  /** The member named {@code name}: an exact match, else a case-insensitive one (as Go). */
  private static JsonNode field(ObjectNode o, String name) {
    JsonNode exact = o.get(name);
    if (exact != null) {
      return exact;
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.equalsIgnoreCase(name)) {
        return o.get(key);
      }
    }
    return null;
  }

  private static String cannot(JsonNode v, String target) {
    JsonNodeType t = v.getNodeType();
    String kind = switch (t) {
      case ARRAY -> "array";
      case OBJECT, POJO -> "object";
      case BOOLEAN -> "bool";
      case NUMBER -> "number " + v.asText();
      case STRING, BINARY -> "string";
      case NULL, MISSING -> "null";
    };
    return "json: cannot unmarshal " + kind + " into " + target;
  }
}
