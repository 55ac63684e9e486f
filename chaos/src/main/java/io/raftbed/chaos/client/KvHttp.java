package io.raftbed.chaos.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A small blocking client of one node's HTTP API, for cluster tooling and tests (the load generator
 * has its own, leaner client). Every call has a timeout; network failures come back as
 * {@link IOException}, HTTP errors as a {@link Reply} with their status.
 *
 * <p>Thread-safe: {@link HttpClient} is.
 */
public final class KvHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, body and the headers a caller may need. */
  public record Reply(int status, byte[] body, String retryAfter) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The {@code code} of a JSON error body, or null. */
    public String errorCode() {
      try {
        JsonNode n = JSON.readTree(body);
        return n != null && n.has("code") ? n.get("code").asText() : null;
      } catch (IOException e) {
        return null;
      }
    }
  }

  private final HttpClient http;
  private final Duration timeout;
  private final String authorization;

  public KvHttp(Duration timeout) {
    this(timeout, ClientCredentials.NONE);
  }

  /** A client that trusts the cluster's CA for HTTPS and sends its token, as {@code credentials} say. */
  public KvHttp(Duration timeout, ClientCredentials credentials) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1);
    if (credentials.trustedCa() != null) {
      b.sslContext(credentials.sslContext());
    }
    this.http = b.build();
    this.timeout = timeout;
    this.authorization = credentials.bearerToken() == null ? null : "Bearer " + credentials.bearerToken();
  }

  public Reply put(String baseUrl, String key, byte[] value, Map<String, String> headers) throws IOException {
    return send(request(baseUrl + "/keys/" + encode(key), headers).PUT(HttpRequest.BodyPublishers.ofByteArray(value)));
  }

  public Reply put(String baseUrl, String key, String value) throws IOException {
    return put(baseUrl, key, value.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public Reply get(String baseUrl, String key, boolean stale) throws IOException {
    String query = stale ? "?consistency=stale" : "";
    return send(request(baseUrl + "/keys/" + encode(key) + query, Map.of()).GET());
  }

  public Reply delete(String baseUrl, String key) throws IOException {
    return send(request(baseUrl + "/keys/" + encode(key), Map.of()).DELETE());
  }

  /** Any request, for tests of odd methods and paths; {@code path} is sent as given. */
  public Reply raw(String baseUrl, String method, String path, byte[] body) throws IOException {
    return raw(baseUrl, method, path, body, Map.of());
  }

  public Reply raw(String baseUrl, String method, String path, byte[] body, Map<String, String> headers)
      throws IOException {
    return send(request(baseUrl + path, headers).method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** {@code GET /cluster} as JSON. */
  public JsonNode cluster(String baseUrl) throws IOException {
    Reply r = send(request(baseUrl + "/cluster", Map.of()).GET());
    if (r.status() != 200) {
      throw new IOException(baseUrl + "/cluster answered " + r.status() + ": " + r.text());
    }
    return JSON.readTree(r.body());
  }

  /** The unlabelled samples of {@code GET /metrics}, by name (labelled ones are left out). */
  public Map<String, Double> metrics(String baseUrl) throws IOException {
    Reply r = send(request(baseUrl + "/metrics", Map.of()).GET());
    if (r.status() != 200) {
      throw new IOException(baseUrl + "/metrics answered " + r.status());
    }
    return parseMetrics(r.text());
  }

  /** The unlabelled samples of a Prometheus text page. */
  public static Map<String, Double> parseMetrics(String page) {
    Map<String, Double> out = new java.util.HashMap<>();
    for (String line : page.split("\n")) {
      String[] parts = line.split(" ");
      if (parts.length == 2 && !line.startsWith("#") && !parts[0].contains("{")) {
        try {
          out.put(parts[0], Double.parseDouble(parts[1]));
        } catch (NumberFormatException e) {
          // not a sample
        }
      }
    }
    return out;
  }

  private HttpRequest.Builder request(String url, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    if (authorization != null && !headers.containsKey("Authorization")) {
      b.header("Authorization", authorization);
    }
    headers.forEach(b::header);
    return b;
  }

  private Reply send(HttpRequest.Builder b) throws IOException {
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Percent-encodes a key for the path (spaces as %20, not '+'). */
  public static String encode(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
