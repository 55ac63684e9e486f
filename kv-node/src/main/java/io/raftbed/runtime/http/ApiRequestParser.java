package io.raftbed.runtime.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.raftbed.kv.Command;
import io.raftbed.node.ClientRequest;
import io.raftbed.node.ReadMode;
import io.raftbed.runtime.http.ApiRequest.Invalid;
import io.raftbed.runtime.http.ApiRequest.KeyOp;
import io.raftbed.runtime.http.ApiRequest.Op;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an HTTP request into an {@link ApiRequest}: the routing and every check of the API's syntax.
 * Limits on sizes are the node's job (one place decides them); this class only rejects what is
 * malformed, and never throws on any input.
 *
 * <pre>
 * GET    /keys/{key}                      linearizable read
 * GET    /keys/{key}?consistency=stale    local read, may be stale
 * PUT    /keys/{key}                      body = value
 * PUT    /keys/{key}?cas={expected}       set only if the value is {expected} (percent-encoded bytes)
 * PUT    /keys/{key}  If-None-Match: *    set only if the key is absent
 * DELETE /keys/{key}                      remove
 * DELETE /keys/{key}?cas={expected}       remove only if the value is {expected}
 * GET    /cluster | /health | /metrics
 * POST   /cluster/members, DELETE /cluster/members/{id}, POST /cluster/leader   (see AdminRequestParser)
 * headers X-Client-Id and X-Seq (positive decimals, both or neither) make a write apply once
 * </pre>
 *
 * Keys are the percent-decoded path after {@code /keys/}, which must be UTF-8; {@code %2F} and a
 * literal {@code /} are both part of the key. Unknown query parameters are rejected, so that a typo
 * (say {@code consistancy=stale}) is not silently a different request.
 *
 * <p>Stateless and thread-safe.
 */
public final class ApiRequestParser {
  public static final String CLIENT_ID_HEADER = "X-Client-Id";
  public static final String SEQ_HEADER = "X-Seq";
  private static final String KEYS_PREFIX = "/keys/";
  private static final List<String> KEY_METHODS = List.of("GET", "PUT", "DELETE");
  private static final List<String> READ_METHODS = List.of("GET");

  private ApiRequestParser() {}

  /** Parses a request; {@code body} is the whole content (empty when there is none). */
  public static ApiRequest parse(String method, String uri, HttpHeaders headers, byte[] body) {
    try {
      return route(method, uri, headers, body);
    } catch (BadRequest e) {
      return Invalid.badRequest(e.getMessage());
    }
  }

  private static ApiRequest route(String method, String uri, HttpHeaders headers, byte[] body) {
    if (uri.isEmpty() || uri.charAt(0) != '/') {
      throw new BadRequest("the request target must be a path starting with '/', got '" + shorten(uri) + "'");
    }
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : uri.substring(q + 1));
    if (rawPath.startsWith(KEYS_PREFIX)) {
      if (!KEY_METHODS.contains(method)) {
        return notAllowed(method, KEY_METHODS);
      }
      return keyOp(method, utf8(percentDecode(rawPath.substring(KEYS_PREFIX.length())), "key"), query, headers, body);
    }
    if (AdminRequestParser.handles(rawPath)) {
      return AdminRequestParser.parse(method, rawPath, query, body);
    }
    ApiRequest fixed = switch (rawPath) {
      case "/cluster" -> new ApiRequest.Cluster();
      case "/health" -> new ApiRequest.Health();
      case "/metrics" -> new ApiRequest.Metrics();
      default -> null;
    };
    if (fixed == null) {
      return new Invalid(404, "no_such_route", "no route " + shorten(rawPath) + "; the API serves /keys/{key},"
          + " /cluster, /cluster/members, /cluster/leader, /health and /metrics", List.of());
    }
    if (!READ_METHODS.contains(method)) {
      return notAllowed(method, READ_METHODS);
    }
    if (!query.isEmpty()) {
      throw new BadRequest(rawPath + " takes no query parameters");
    }
    return fixed;
  }

  private static ApiRequest keyOp(String method, String key, Map<String, String> query, HttpHeaders headers,
      byte[] body) {
    if (key.isEmpty()) {
      throw new BadRequest("the key is empty: use /keys/{key}");
    }
    long clientId = positiveHeader(headers, CLIENT_ID_HEADER);
    long seq = positiveHeader(headers, SEQ_HEADER);
    if ((clientId == 0) != (seq == 0)) {
      throw new BadRequest(CLIENT_ID_HEADER + " and " + SEQ_HEADER + " go together: send both or neither");
    }
    String consistency = query.remove("consistency");
    String cas = query.remove("cas");
    if (!query.isEmpty()) {
      throw new BadRequest("unknown query parameter '" + shorten(query.keySet().iterator().next())
          + "'; /keys/{key} takes consistency (GET) and cas (PUT, DELETE)");
    }
    String ifNoneMatch = headers.get("If-None-Match");
    return switch (method) {
      case "GET" -> {
        if (cas != null || ifNoneMatch != null) {
          throw new BadRequest("cas and If-None-Match apply to PUT and DELETE, not GET");
        }
        ReadMode mode = readMode(consistency);
        Op op = mode == ReadMode.STALE ? Op.STALE_GET : Op.GET;
        yield new KeyOp(op, new ClientRequest(clientId, seq, new Command.Get(key), mode));
      }
      case "PUT" -> {
        noConsistency(consistency);
        if (ifNoneMatch != null && !ifNoneMatch.equals("*")) {
          throw new BadRequest("If-None-Match supports only '*' (create if absent)");
        }
        if (ifNoneMatch != null && cas != null) {
          throw new BadRequest("use either cas or If-None-Match, not both");
        }
        Command c = cas != null ? new Command.Cas(key, percentDecode(cas), body)
            : ifNoneMatch != null ? new Command.Cas(key, null, body) : new Command.Put(key, body);
        yield new KeyOp(c instanceof Command.Cas ? Op.CAS : Op.PUT, write(clientId, seq, c));
      }
      default -> { // DELETE
        noConsistency(consistency);
        if (ifNoneMatch != null) {
          throw new BadRequest("If-None-Match applies to PUT");
        }
        Command c = cas != null ? new Command.Cas(key, percentDecode(cas), null) : new Command.Delete(key);
        yield new KeyOp(c instanceof Command.Cas ? Op.CAS : Op.DELETE, write(clientId, seq, c));
      }
    };
  }

  private static ClientRequest write(long clientId, long seq, Command c) {
    return new ClientRequest(clientId, seq, c, ReadMode.LINEARIZABLE);
  }

  private static ReadMode readMode(String consistency) {
    if (consistency == null || consistency.equals("linearizable")) {
      return ReadMode.LINEARIZABLE;
    }
    if (consistency.equals("stale")) {
      return ReadMode.STALE;
    }
    throw new BadRequest("consistency must be 'linearizable' or 'stale', got '" + shorten(consistency) + "'");
  }

  private static void noConsistency(String consistency) {
    if (consistency != null) {
      throw new BadRequest("consistency applies to GET only");
    }
  }

  private static Invalid notAllowed(String method, List<String> allowed) {
    return new Invalid(405, "method_not_allowed", "method " + shorten(method) + " is not allowed here; use "
        + String.join(", ", allowed), allowed);
  }

  private static long positiveHeader(HttpHeaders headers, String name) {
    String v = headers.get(name);
    if (v == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadRequest(name + " must be a positive decimal number, got '" + shorten(v) + "'");
  }

  /** Parameters by percent-decoded name; values stay encoded (the cas value is bytes, not text). */
  private static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw.isEmpty()) {
      return params;
    }
    for (String part : raw.split("&", -1)) {
      int eq = part.indexOf('=');
      String name = utf8(percentDecode(eq < 0 ? part : part.substring(0, eq)), "parameter name");
      String value = eq < 0 ? "" : part.substring(eq + 1);
      if (params.put(name, value) != null) {
        throw new BadRequest("query parameter '" + shorten(name) + "' appears twice");
      }
    }
    return params;
  }

  /** Decodes %XX escapes to bytes; every other character must be printable ASCII. */
  static byte[] percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new BadRequest("bad percent-escape at character " + i + " of '" + shorten(s) + "'");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c > 0x20 && c < 0x7f && c != '#') {
        out.write(c);
      } else {
        throw new BadRequest("character 0x" + Integer.toHexString(c) + " must be percent-encoded");
      }
    }
    return out.toByteArray();
  }

  private static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new BadRequest("the " + what + " is not valid UTF-8 once percent-decoded");
    }
  }

  /** Echoes user input in messages at most 64 characters long. */
  private static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }

  /** A syntax error, turned into a 400 by {@link #parse}. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
