package io.raftbed.chaos.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Toxiproxy HTTP API as its clients see it, driven through {@code toxiproxy-java} (hand-written
 * requests only where that client cannot express the request; each says why). Where each expectation
 * comes from, in github.com/Shopify/toxiproxy:
 *
 * <ul>
 *   <li>README "HTTP API / Proxy fields": {@code enabled} defaults to true; a {@code listen} port of 0
 *       picks a free port and the response reports it; changing {@code listen} restarts the proxy;
 *       {@code enabled=false} takes it down.
 *   <li>README "Toxic fields": name defaults to {@code <type>_<stream>}, stream to downstream,
 *       toxicity to 1.0; {@code api.go} {@code ToxicCreate} answers 200 with the toxic.
 *   <li>README "Endpoints" and "Populating Proxies"; {@code proxy_collection.go}
 *       ({@code AddOrReplace}: same listen and upstream leaves a proxy untouched, else it is
 *       replaced) and {@code api.go} {@code Populate} (201, {@code {"proxies": [...]}}).
 *   <li>{@code api.go}: status codes (201 create, 204 delete and reset, 404 {@code proxy not found}
 *       and {@code toxic not found}, 409 {@code proxy already exists} and
 *       {@code toxic already exists}, 400 {@code invalid toxic type}, {@code missing required field}
 *       and the stream error) and the error body {@code {"error": ..., "status": N}};
 *       {@code ResetState} re-enables every proxy and removes every toxic.
 *   <li>{@code toxic_collection.go} {@code UpdateToxicJson}: an update changes only the attributes
 *       it names and the toxicity; {@code GetToxicArray} lists upstream toxics before downstream.
 *   <li>Testcontainers' {@code ToxiproxyContainer} waits for HTTP 200 on {@code GET /version}.
 * </ul>
 */
abstract class ApiConformanceSuite extends ConformanceBase {

  @Test
  void createReportsFieldsAndTheRealPort() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    String name = name("create");
    Proxy p = client.createProxy(name, "127.0.0.1:0", "127.0.0.1:" + echo.port());
    assertEquals(name, p.getName());
    assertEquals("127.0.0.1:" + echo.port(), p.getUpstream());
    assertTrue(p.isEnabled(), "enabled defaults to true");
    assertTrue(p.getListen().startsWith("127.0.0.1:"), p.getListen());
    assertNotEquals(0, port(p.getListen()), "port 0 must be replaced by the port picked");
    assertTrue(roundTripMillis(connect(p), "ping".getBytes()) >= 0);
  }

  @Test
  void listAndGetShowEveryProxy() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy a = proxyTo(echo, "list-a");
    Proxy b = proxyTo(echo, "list-b");
    Set<String> listed = client.getProxies().stream().map(Proxy::getName).collect(Collectors.toSet());
    assertTrue(listed.containsAll(Set.of(a.getName(), b.getName())), listed.toString());
    Proxy got = client.getProxy(a.getName());
    assertEquals(a.getListen(), got.getListen());
    assertEquals(a.getUpstream(), got.getUpstream());
    assertTrue(got.isEnabled());
  }

  @Test
  void deleteRemovesTheProxyAndItsListener() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "delete");
    p.delete();
    assertNull(client.getProxyOrNull(p.getName()));
    assertFalse(client.getProxies().stream().anyMatch(x -> x.getName().equals(p.getName())));
    assertThrows(ConnectException.class, () -> connect(p));
    assertIoFailure("[404]", () -> client.getProxy(p.getName()));
  }

  @Test
  void duplicateProxyIs409AndMissingFieldsAre400() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "dup");
    assertIoFailure("[409] proxy already exists",
        () -> client.createProxy(p.getName(), "127.0.0.1:0", p.getUpstream()));
    assertIoFailure("[400] missing required field: name",
        () -> client.createProxy("", "127.0.0.1:0", p.getUpstream()));
    assertIoFailure("[400] missing required field: upstream",
        () -> client.createProxy(name("no-upstream"), "127.0.0.1:0", ""));
  }

  /** Hand-written: the client turns an error into an exception message and drops the body. */
  @Test
  void errorsHaveToxiproxysBody() throws Exception {
    Raw missing = raw("GET", "/proxies/" + name("absent"), null);
    assertEquals(404, missing.status());
    JsonNode body = missing.json();
    assertEquals("proxy not found", body.get("error").asText());
    assertEquals(404, body.get("status").asInt());
    Raw noName = raw("POST", "/proxies", "{\"upstream\":\"127.0.0.1:1\"}");
    assertEquals(400, noName.status());
    assertEquals("missing required field: name", noName.json().get("error").asText());
  }

  @Test
  void toxicsAreCreatedReadAndUpdatedInPlace() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "toxic-update");
    Latency created = p.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 100);
    assertEquals(100, created.getLatency());
    assertEquals(0, created.getJitter());
    assertEquals(1.0f, created.getToxicity());
    assertEquals(ToxicDirection.DOWNSTREAM, created.getStream());
    created.setJitter(20);
    created.setToxicity(0.5f);
    Latency read = p.toxics().get("slow", Latency.class);
    assertEquals(100, read.getLatency(), "an update changes only the attributes it names");
    assertEquals(20, read.getJitter());
    assertEquals(0.5f, read.getToxicity());
    assertEquals(ToxicDirection.DOWNSTREAM, read.getStream());
  }

  @Test
  void everyToxicTypeKeepsItsAttributes() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "types");
    p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 10).setJitter(3);
    p.toxics().bandwidth("b", ToxicDirection.DOWNSTREAM, 1000);
    p.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 20);
    p.toxics().timeout("t", ToxicDirection.DOWNSTREAM, 30);
    p.toxics().resetPeer("r", ToxicDirection.DOWNSTREAM, 40);
    p.toxics().slicer("s", ToxicDirection.DOWNSTREAM, 50, 60).setSizeVariation(5);
    p.toxics().limitData("ld", ToxicDirection.UPSTREAM, 70);
    List<? extends Toxic> all = p.toxics().getAll();
    assertEquals(List.of("ld", "l", "b", "sc", "t", "r", "s"), all.stream().map(Toxic::getName).toList(),
        "upstream toxics are listed first, each direction in the order added");
    assertEquals(3, p.toxics().get("l", Latency.class).getJitter());
    assertEquals(1000, p.toxics().get("b", Bandwidth.class).getRate());
    assertEquals(20, p.toxics().get("sc", SlowClose.class).getDelay());
    assertEquals(30, p.toxics().get("t", Timeout.class).getTimeout());
    assertEquals(40, p.toxics().get("r", ResetPeer.class).getTimeout());
    Slicer s = p.toxics().get("s", Slicer.class);
    assertEquals(List.of(50L, 5L, 60L), List.of(s.getAverageSize(), s.getSizeVariation(), s.getDelay()));
    LimitData ld = p.toxics().get("ld", LimitData.class);
    assertEquals(70, ld.getBytes());
    assertEquals(ToxicDirection.UPSTREAM, ld.getStream());
    assertEquals(7, client.getProxy(p.getName()).toxics().getAll().size());
  }

  /** Hand-written: the client always sends name, stream and toxicity, so defaults need a raw body. */
  @Test
  void toxicDefaultsAreToxiproxys() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "defaults");
    String toxics = "/proxies/" + p.getName() + "/toxics";
    Raw r = raw("POST", toxics, "{\"type\":\"latency\",\"attributes\":{\"latency\":10}}");
    assertEquals(200, r.status(), r.body());
    Latency l = p.toxics().get("latency_downstream", Latency.class);
    assertEquals(ToxicDirection.DOWNSTREAM, l.getStream());
    assertEquals(1.0f, l.getToxicity());
    assertEquals(10, l.getLatency());
    assertEquals(0, l.getJitter());
    Raw up = raw("POST", toxics, "{\"type\":\"timeout\",\"stream\":\"upstream\"}");
    assertEquals(200, up.status(), up.body());
    Timeout t = p.toxics().get("timeout_upstream", Timeout.class);
    assertEquals(ToxicDirection.UPSTREAM, t.getStream());
    assertEquals(0, t.getTimeout(), "a missing attribute is 0");
  }

  @Test
  void duplicateToxicIs409AndMissingToxicIs404() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "toxic-codes");
    Latency l = p.toxics().latency("once", ToxicDirection.UPSTREAM, 1);
    assertIoFailure("[409] toxic already exists", () -> p.toxics().latency("once", ToxicDirection.DOWNSTREAM, 1));
    assertIoFailure("[404] toxic not found", () -> p.toxics().get("never"));
    l.remove();
    assertIoFailure("[404] toxic not found", () -> p.toxics().get("once"));
    assertThrows(IOException.class, l::remove, "removing a removed toxic fails (404)");
    Proxy gone = proxyTo(echo, "toxic-codes-gone");
    gone.delete();
    assertIoFailure("[404] proxy not found", () -> gone.toxics().getAll());
    assertIoFailure("[404] proxy not found", () -> gone.toxics().latency("x", ToxicDirection.UPSTREAM, 1));
  }

  /** Hand-written: the client can only name the toxic types and streams it knows. */
  @Test
  void unknownToxicTypeAndStreamAre400() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "bad-toxic");
    String toxics = "/proxies/" + p.getName() + "/toxics";
    Raw type = raw("POST", toxics, "{\"type\":\"gremlin\"}");
    assertEquals(400, type.status());
    assertEquals("invalid toxic type", type.json().get("error").asText());
    assertEquals(400, type.json().get("status").asInt());
    Raw stream = raw("POST", toxics, "{\"type\":\"latency\",\"stream\":\"sideways\"}");
    assertEquals(400, stream.status());
    assertTrue(stream.json().get("error").asText().startsWith("stream was invalid"), stream.body());
    Raw body = raw("POST", toxics, "{not json");
    assertEquals(400, body.status());
    assertTrue(body.json().get("error").asText().startsWith("bad request body"), body.body());
    assertTrue(p.toxics().getAll().isEmpty(), "no failed request may leave a toxic behind");
  }

  @Test
  void proxyFieldsUpdate() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    TestServers.Server other = closeLater(TestServers.echo());
    Proxy p = proxyTo(echo, "update");
    p.disable();
    assertFalse(p.isEnabled());
    assertFalse(client.getProxy(p.getName()).isEnabled());
    p.enable();
    assertTrue(client.getProxy(p.getName()).isEnabled());
    p.setUpstream("127.0.0.1:" + other.port());
    assertEquals("127.0.0.1:" + other.port(), client.getProxy(p.getName()).getUpstream());
    roundTripMillis(connect(p), "to-other".getBytes());
    assertTrue(other.receivedBytes.get() > 0, "traffic must reach the new upstream");
    String oldListen = p.getListen();
    p.setListen("127.0.0.1:0");
    assertNotEquals(oldListen, p.getListen(), "a new listen address restarts the proxy on a new port");
    roundTripMillis(connect(p), "new-port".getBytes());
    Proxy old = client.getProxy(p.getName());
    assertEquals(p.getListen(), old.getListen());
  }

  /** Hand-written: toxiproxy-java 2.1.7 has no populate call. */
  @Test
  void populateCreatesKeepsAndReplaces() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    TestServers.Server other = closeLater(TestServers.echo());
    String a = name("populate-a");
    String b = name("populate-b");
    String up = "127.0.0.1:" + echo.port();
    Raw created = populate(entry(a, "127.0.0.1:0", up, "") + "," + entry(b, "127.0.0.1:0", up, ",\"enabled\":false"));
    assertEquals(201, created.status(), created.body());
    assertEquals(2, created.json().get("proxies").size());
    Proxy pa = client.getProxy(a);
    assertTrue(pa.isEnabled(), "enabled defaults to true");
    assertFalse(client.getProxy(b).isEnabled());
    pa.toxics().latency("kept", ToxicDirection.DOWNSTREAM, 5);
    Raw same = populate(entry(a, pa.getListen(), up, ""));
    assertEquals(201, same.status(), same.body());
    assertEquals(1, client.getProxy(a).toxics().getAll().size(), "same listen and upstream: untouched");
    String moved = "127.0.0.1:" + other.port();
    Raw replaced = populate(entry(a, pa.getListen(), moved, ""));
    assertEquals(201, replaced.status(), replaced.body());
    Proxy pa2 = client.getProxy(a);
    assertEquals(moved, pa2.getUpstream());
    assertTrue(pa2.toxics().getAll().isEmpty(), "a replaced proxy starts without toxics");
    Raw invalid = populate("{\"name\":\"" + name("populate-c") + "\",\"listen\":\"127.0.0.1:0\"}");
    assertEquals(400, invalid.status(), invalid.body());
    assertTrue(invalid.json().get("error").asText().startsWith("missing required field"), invalid.body());
  }

  private static String entry(String name, String listen, String upstream, String more) {
    return String.format("{\"name\":\"%s\",\"listen\":\"%s\",\"upstream\":\"%s\"%s}", name, listen, upstream, more);
  }

  private Raw populate(String entries) throws Exception {
    return raw("POST", "/populate", "[" + entries + "]");
  }

  @Test
  void resetEnablesEveryProxyAndRemovesEveryToxic() throws Exception {
    TestServers.Server echo = closeLater(TestServers.echo());
    Proxy a = proxyTo(echo, "reset-a");
    Proxy b = proxyTo(echo, "reset-b");
    a.toxics().latency("l", ToxicDirection.DOWNSTREAM, 1000);
    b.toxics().timeout("t", ToxicDirection.UPSTREAM, 0);
    b.disable();
    freshClient().reset();
    for (Proxy p : List.of(client.getProxy(a.getName()), client.getProxy(b.getName()))) {
      assertTrue(p.isEnabled(), p.getName());
      assertTrue(p.toxics().getAll().isEmpty(), p.getName());
    }
    Socket s = connect(client.getProxy(b.getName()));
    assertTrue(roundTripMillis(s, "after-reset".getBytes()) < 1000, "no toxic may remain on the link");
  }

  /** Hand-written status check: Testcontainers' wait strategy only looks at the HTTP status. */
  @Test
  void versionAnswers() throws Exception {
    assertFalse(client.version().isBlank());
    assertEquals(200, raw("GET", "/version", null).status());
  }
}
