package io.raftbed.chaos.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The system a load run measures, and how each operation is asked of it over HTTP/1.1: raftbed's
 * own API, or etcd's v3 JSON gateway (gRPC-gateway: keys and values base64 in JSON bodies; a range
 * read is linearizable unless {@code serializable}, etcd's local read). Stateless; thread-safe.
 */
public enum Target {
  /** {@code PUT/GET /keys/{key}}, {@code ?consistency=stale} for local reads. */
  RAFTBED("raftbed"),
  /** {@code POST /v3/kv/put} and {@code POST /v3/kv/range} ({@code "serializable":true} for local reads). */
  ETCD("etcd");

  private final String label;

  Target(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Target parse(String s) {
    for (Target t : values()) {
      if (t.label.equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown target '" + s + "'; use raftbed or etcd");
  }

  /** The request for {@code op} on {@code key}; {@code value} is shared and only duplicated. */
  FullHttpRequest request(BenchSpec.Op op, String key, ByteBuf value, String authority) {
    FullHttpRequest r = switch (this) {
      case RAFTBED -> {
        boolean write = op == BenchSpec.Op.PUT;
        yield new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, write ? HttpMethod.PUT : HttpMethod.GET,
            "/keys/" + key + (op == BenchSpec.Op.STALE_GET ? "?consistency=stale" : ""),
            write ? value.duplicate() : Unpooled.EMPTY_BUFFER);
      }
      case ETCD -> {
        String k = b64(key.getBytes(StandardCharsets.US_ASCII));
        String body = switch (op) {
          case PUT -> "{\"key\":\"" + k + "\",\"value\":\"" + b64(bytes(value)) + "\"}";
          case GET -> "{\"key\":\"" + k + "\"}";
          case STALE_GET -> "{\"key\":\"" + k + "\",\"serializable\":true}";
        };
        FullHttpRequest post = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
            op == BenchSpec.Op.PUT ? "/v3/kv/put" : "/v3/kv/range",
            Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.US_ASCII)));
        post.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        yield post;
      }
    };
    r.headers().set(HttpHeaderNames.HOST, authority).setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  /** Whether a response status is a completed operation (raftbed answers a read of an absent key 404; etcd 200). */
  boolean ok(BenchSpec.Op op, int status) {
    return status == 200 || (this == RAFTBED && status == 404 && op != BenchSpec.Op.PUT);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }
}
