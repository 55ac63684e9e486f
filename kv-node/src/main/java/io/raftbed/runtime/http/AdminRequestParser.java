package io.raftbed.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftbed.runtime.AdminRequest;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.http.ApiRequest.Invalid;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The administrative routes of the API, JSON in:
 *
 * <pre>
 * POST   /cluster/members[?as=voter|learner]  {"id": 4, "peer": "127.0.0.1:9084", "http": "http://127.0.0.1:8084"}
 * DELETE /cluster/members/{id}
 * POST   /cluster/leader                      {"id": 2}
 * </pre>
 *
 * Unknown fields and query parameters are rejected, so that a typo is not silently a different
 * request. Never throws; stateless and thread-safe.
 */
final class AdminRequestParser {
  static final String MEMBERS = "/cluster/members";
  static final String LEADER = "/cluster/leader";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEMBER_BODY = "{\"id\": 4, \"peer\": \"HOST:PORT\", \"http\": \"http://HOST:PORT\"}";

  private AdminRequestParser() {}

  /** Whether {@code path} is one of the administrative routes. */
  static boolean handles(String path) {
    return path.equals(MEMBERS) || path.startsWith(MEMBERS + "/") || path.equals(LEADER);
  }

  static ApiRequest parse(String method, String path, Map<String, String> query, byte[] body) {
    try {
      if (path.equals(MEMBERS)) {
        return method.equals("POST") ? addMember(query, body) : notAllowed(method, "POST");
      }
      if (path.equals(LEADER)) {
        return method.equals("POST") ? transfer(query, body) : notAllowed(method, "POST");
      }
      if (!method.equals("DELETE")) {
        return notAllowed(method, "DELETE");
      }
      noQuery(query, path);
      return new ApiRequest.Admin(new AdminRequest.RemoveMember(parseId(path.substring(MEMBERS.length() + 1))));
    } catch (BadAdminRequest e) {
      return Invalid.badRequest(e.getMessage());
    }
  }

  private static ApiRequest addMember(Map<String, String> query, byte[] body) {
    String as = query.remove("as");
    noQuery(query, MEMBERS);
    if (as != null && !as.equals("voter") && !as.equals("learner")) {
      throw new BadAdminRequest("as must be 'voter' or 'learner', got '" + shorten(as) + "'");
    }
    JsonNode n = object(body, Set.of("id", "peer", "http"), MEMBER_BODY);
    int id = id(n.get("id"), MEMBER_BODY);
    String peer = text(n.get("peer"), "peer", MEMBER_BODY);
    String http = text(n.get("http"), "http", MEMBER_BODY);
    Member member;
    try {
      member = Member.fromAddress(id, peer + "|" + http);
    } catch (IllegalArgumentException e) {
      throw new BadAdminRequest(e.getMessage());
    }
    return new ApiRequest.Admin(new AdminRequest.AddMember(member, !"learner".equals(as)));
  }

  private static ApiRequest transfer(Map<String, String> query, byte[] body) {
    noQuery(query, LEADER);
    JsonNode n = object(body, Set.of("id"), "{\"id\": 2}");
    return new ApiRequest.Admin(new AdminRequest.TransferLeadership(id(n.get("id"), "{\"id\": 2}")));
  }

  /** The body as a JSON object with only {@code allowed} fields. */
  private static JsonNode object(byte[] body, Set<String> allowed, String example) {
    JsonNode n;
    try {
      n = body.length == 0 ? null : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadAdminRequest("the body is not JSON (" + shorten(e.getOriginalMessage()) + "); send " + example);
    } catch (java.io.IOException e) {
      throw new BadAdminRequest("the body cannot be read; send " + example);
    }
    if (n == null || !n.isObject()) {
      throw new BadAdminRequest("the body must be a JSON object: " + example);
    }
    for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new BadAdminRequest("unknown field '" + shorten(name) + "'; send " + example);
      }
    }
    return n;
  }

  private static int id(JsonNode n, String example) {
    if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() <= 0) {
      throw new BadAdminRequest("id must be a positive integer; send " + example);
    }
    return n.intValue();
  }

  private static String text(JsonNode n, String field, String example) {
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new BadAdminRequest(field + " must be a string; send " + example);
    }
    return n.asText();
  }

  private static int parseId(String text) {
    String s = text.startsWith("n") ? text.substring(1) : text;
    try {
      int id = Integer.parseInt(s);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadAdminRequest("the member id must be a positive number, e.g. /cluster/members/4; got '"
        + shorten(text) + "'");
  }

  private static void noQuery(Map<String, String> query, String path) {
    if (!query.isEmpty()) {
      throw new BadAdminRequest("unknown query parameter '" + shorten(query.keySet().iterator().next()) + "' for "
          + path + (path.equals(MEMBERS) ? " (it takes as=voter|learner)" : ""));
    }
  }

  private static Invalid notAllowed(String method, String allowed) {
    return new Invalid(405, "method_not_allowed", "method " + shorten(method) + " is not allowed here; use "
        + allowed, List.of(allowed));
  }

  private static String shorten(String s) {
    return s == null ? "" : s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }

  /** A syntax error, turned into a 400 by {@link #parse}. */
  private static final class BadAdminRequest extends RuntimeException {
    BadAdminRequest(String message) {
      super(message, null, false, false);
    }
  }
}
