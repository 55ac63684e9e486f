package io.raftbed.chaos.workload;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One client's operations against a node's HTTP API, written from the API's documentation and
 * nothing else of the node's code: this is the independent witness. Each call returns the
 * operation's {@link Outcome}, classified as Jepsen does: {@code :ok} it took effect (with what a read
 * saw), {@code :fail} it certainly did not (refused before it could apply), {@code :info} nobody
 * knows (a timeout, a connection lost after the request may have left, an outcome-unknown answer).
 *
 * <p>Not thread-safe: one client thread owns one instance (and its connections).
 */
public final class KvOps {
  /** What became of one operation. */
  public record Outcome(HistoryRecorder.Type type, Long value, String error) {
    static Outcome ok(Long value) {
      return new Outcome(HistoryRecorder.Type.OK, value, null);
    }

    static Outcome fail(String why) {
      return new Outcome(HistoryRecorder.Type.FAIL, null, why);
    }

    static Outcome info(String why) {
      return new Outcome(HistoryRecorder.Type.INFO, null, why);
    }
  }

  private final HttpClient http;
  private final Duration timeout;
  private final boolean staleReads;

  public KvOps(Duration timeout, boolean staleReads) {
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    this.timeout = timeout;
    this.staleReads = staleReads;
  }

  public Outcome read(String baseUrl, String key) {
    String query = staleReads ? "?consistency=stale" : "";
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/keys/" + key + query)).GET(), "read");
  }

  public Outcome write(String baseUrl, String key, long value) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/keys/" + key))
        .PUT(HttpRequest.BodyPublishers.ofString(Long.toString(value))), "write");
  }

  public Outcome cas(String baseUrl, String key, long expected, long value) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/keys/" + key + "?cas=" + expected))
        .PUT(HttpRequest.BodyPublishers.ofString(Long.toString(value))), "cas");
  }

  private Outcome send(HttpRequest.Builder request, String f) {
    HttpResponse<String> r;
    try {
      r = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      return Outcome.fail("connect timed out"); // never connected, so nothing was sent
    } catch (ConnectException e) {
      return Outcome.fail("connection refused");
    } catch (HttpTimeoutException e) {
      return Outcome.info("timed out after " + timeout.toMillis() + "ms");
    } catch (IOException e) {
      return Outcome.info("connection lost: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.info("interrupted");
    }
    return classify(f, r.statusCode(), r.body());
  }

  /**
   * The outcome a status code means, by the node's documented API: 200 ok (a read's body is the
   * value), 404 a read of an absent key (ok, nil) or a cas on one (fail), 409 a cas mismatch (fail),
   * 503 refused before anything was proposed (fail), 504 outcome unknown (info). Anything else is
   * info: the witness does not assume what an undocumented answer means.
   */
  static Outcome classify(String f, int status, String body) {
    return switch (status) {
      case 200 -> {
        if (!f.equals("read")) {
          yield Outcome.ok(null);
        }
        try {
          yield Outcome.ok(Long.parseLong(body.trim()));
        } catch (NumberFormatException e) {
          yield Outcome.info("read an unexpected body '" + abbreviate(body) + "'");
        }
      }
      case 404 -> f.equals("read") ? Outcome.ok(null) : Outcome.fail("no such key");
      case 409 -> Outcome.fail("cas mismatch");
      case 503 -> Outcome.fail("unavailable: " + abbreviate(body));
      case 504 -> Outcome.info("outcome unknown: " + abbreviate(body));
      default -> Outcome.info("HTTP " + status + ": " + abbreviate(body));
    };
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ').trim();
    return one.length() <= 160 ? one : one.substring(0, 157) + "...";
  }

  /** Closes this client's connections. */
  public void close() {
    http.close();
  }
}
