package io.raftbed.jmh;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.raftbed.runtime.http.ApiRequest;
import io.raftbed.runtime.http.ApiRequestParser;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing the node's HTTP API requests: {@code route} is the API's own parser (routing, percent
 * decoding, session headers, the command) on an already decoded request; {@code fromBytes} adds
 * Netty's HTTP/1.1 request decoder and aggregator, from the bytes a keep-alive client sends to the request
 * object, as the node's pipeline does. Keys are 16 bytes, values 128.
 *
 * <p>Run: {@code bin/raftbed jmh HttpParsing}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 600, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class HttpParsingBenchmark {
  @Param({"get", "staleGet", "put", "cas", "delete"})
  public String request;

  private String method;
  private String uri;
  private HttpHeaders headers;
  private byte[] body;
  private byte[] wire;
  private EmbeddedChannel channel;

  @Setup
  public void setUp() {
    String key = "/keys/k000000000000042";
    String value = "v".repeat(128);
    String casExpected = "old%20value%2Fwith%3Dodd%26bytes";
    switch (request) {
      case "get" -> set("GET", key, "");
      case "staleGet" -> set("GET", key + "?consistency=stale", "");
      case "put" -> set("PUT", key, value);
      case "cas" -> set("PUT", key + "?cas=" + casExpected, value);
      case "delete" -> set("DELETE", key, "");
      default -> throw new IllegalArgumentException("no sample request " + request);
    }
    headers = new DefaultHttpHeaders().set("Host", "127.0.0.1:8081").set(ApiRequestParser.CLIENT_ID_HEADER, "4242")
        .set(ApiRequestParser.SEQ_HEADER, "17").setInt("Content-Length", body.length);
    StringBuilder raw = new StringBuilder(method + " " + uri + " HTTP/1.1\r\n");
    headers.forEach(h -> raw.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
    wire = (raw + "\r\n" + new String(body, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
    // The decoding half of the node's HttpServerCodec, with its limits (the encoding half would count
    // requests awaiting responses, which a benchmark that sends none would overflow).
    channel = new EmbeddedChannel(new HttpRequestDecoder(4096, 8192, 64 << 10), new HttpObjectAggregator(1 << 20));
    if (!(route() instanceof ApiRequest.KeyOp) || !(fromBytes() instanceof ApiRequest.KeyOp)) {
      throw new IllegalStateException(request + " does not parse as a key operation: " + route());
    }
  }

  private void set(String m, String u, String b) {
    method = m;
    uri = u;
    body = b.getBytes(StandardCharsets.US_ASCII);
  }

  @TearDown
  public void close() {
    channel.finishAndReleaseAll();
  }

  /** One operation: one decoded request routed and parsed into an API request. */
  @Benchmark
  public ApiRequest route() {
    return ApiRequestParser.parse(method, uri, headers, body);
  }

  /** One operation: one request's bytes decoded by Netty's HTTP codec, aggregated, then parsed. */
  @Benchmark
  public ApiRequest fromBytes() {
    channel.writeInbound(Unpooled.wrappedBuffer(wire));
    FullHttpRequest r = channel.readInbound();
    try {
      return ApiRequestParser.parse(r.method().name(), r.uri(), r.headers(), ByteBufUtil.getBytes(r.content()));
    } finally {
      r.release();
    }
  }
}
