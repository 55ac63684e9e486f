package io.raftbed.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply;
import io.raftbed.runtime.http.ApiRequest.Op;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the API's responses. Errors are JSON objects {@code {"code": ..., "message": ...}} with a
 * stable machine-readable code; 503s carry {@code Retry-After}. Values are returned raw
 * ({@code application/octet-stream}).
 *
 * <p>Stateless and thread-safe.
 */
public final class ApiResponses {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Seconds a client should wait before retrying a 503. */
  static final int RETRY_AFTER_SECONDS = 1;

  private ApiResponses() {}

  /** Maps the node's reply to a response; {@link ClientReply.NotLeader} is the caller's to forward. */
  static FullHttpResponse fromReply(Op op, ClientReply reply) {
    return switch (reply) {
      case ClientReply.Done done -> fromResult(op, done.result());
      case ClientReply.NotLeader nl -> unavailable("no_leader", "no leader is known; the cluster may be electing"
          + " one");
      case ClientReply.Unavailable u -> unavailable("unavailable", u.reason());
      case ClientReply.Rejected r -> r.tooLarge() ? error(413, "too_large", r.reason())
          : error(400, "bad_request", r.reason());
      case ClientReply.Unknown u -> error(504, "outcome_unknown", u.reason() + " (the write may or may not have"
          + " taken effect; retry with the same X-Client-Id and X-Seq to apply it at most once)");
    };
  }

  private static FullHttpResponse fromResult(Op op, Result r) {
    return switch (r.status()) {
      case OK -> op == Op.GET || op == Op.STALE_GET ? value(r.value() == null ? new byte[0] : r.value()) : ok();
      case NOT_FOUND -> error(404, "key_not_found", "no such key");
      case CAS_MISMATCH -> casMismatch(r.value());
      case STALE_REQUEST -> error(409, "stale_sequence", "X-Seq is older than this client's latest request;"
          + " it was not applied");
    };
  }

  private static FullHttpResponse casMismatch(byte[] current) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", "cas_mismatch");
    body.put("message", current == null ? "the key does not exist" : "the key holds a different value");
    body.put("exists", current != null);
    if (current != null) {
      String text = utf8OrNull(current);
      body.put(text != null ? "current" : "currentBase64",
          text != null ? text : java.util.Base64.getEncoder().encodeToString(current));
    }
    return json(409, body);
  }

  static FullHttpResponse value(byte[] v) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.wrappedBuffer(v));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, v.length);
    return r;
  }

  static FullHttpResponse ok() {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.EMPTY_BUFFER);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return r;
  }

  static FullHttpResponse error(ApiRequest.Invalid invalid) {
    FullHttpResponse r = error(invalid.status(), invalid.code(), invalid.message());
    if (!invalid.allow().isEmpty()) {
      r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", invalid.allow()));
    }
    return r;
  }

  static FullHttpResponse error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    return json(status, body);
  }

  static FullHttpResponse unavailable(String code, String message) {
    FullHttpResponse r = error(503, code, message);
    r.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
    return r;
  }

  static FullHttpResponse json(int status, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + body.getClass(), e);
    }
    return bytes(status, bytes, "application/json");
  }

  static FullHttpResponse text(int status, String text, String contentType) {
    return bytes(status, text.getBytes(StandardCharsets.UTF_8), contentType);
  }

  private static FullHttpResponse bytes(int status, byte[] bytes, String contentType) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }

  /** A raw HTTP/1.1 response for paths that have no HTTP encoder, such as the connection limiter. */
  static byte[] raw(int status, String reason, String code, String message) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Map.of("code", code, "message", message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\nRetry-After: " + RETRY_AFTER_SECONDS + "\r\nConnection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  private static String utf8OrNull(byte[] b) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
