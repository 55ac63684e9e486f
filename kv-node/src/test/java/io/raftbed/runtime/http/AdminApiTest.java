package io.raftbed.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply;
import io.raftbed.runtime.AdminReply;
import io.raftbed.runtime.AdminRequest;
import io.raftbed.runtime.config.Member;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The administrative routes: parsing, the replies' statuses, forwarding, and the JSON of /cluster. */
class AdminApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ApiRequest parse(String method, String uri, String body) {
    return ApiRequestParser.parse(method, uri, new DefaultHttpHeaders(), body.getBytes(StandardCharsets.UTF_8));
  }

  private static AdminRequest admin(String method, String uri, String body) {
    ApiRequest r = parse(method, uri, body);
    return assertInstanceOf(ApiRequest.Admin.class, r, r.toString()).request();
  }

  @Test
  void addMemberIsAVoterUnlessALearnerIsAsked() {
    String body = "{\"id\": 4, \"peer\": \"127.0.0.1:9084\", \"http\": \"http://127.0.0.1:8084\"}";
    Member four = new Member(4, "127.0.0.1", 9084, 8084);
    assertEquals(new AdminRequest.AddMember(four, true), admin("POST", "/cluster/members", body));
    assertEquals(new AdminRequest.AddMember(four, true), admin("POST", "/cluster/members?as=voter", body));
    assertEquals(new AdminRequest.AddMember(four, false), admin("POST", "/cluster/members?as=learner", body));
    assertEquals("127.0.0.1:9084|http://127.0.0.1:8084", four.address());
  }

  @Test
  void removeAndTransferNameTheirNode() {
    assertEquals(new AdminRequest.RemoveMember(3), admin("DELETE", "/cluster/members/3", ""));
    assertEquals(new AdminRequest.RemoveMember(3), admin("DELETE", "/cluster/members/n3", ""));
    assertEquals(new AdminRequest.TransferLeadership(2), admin("POST", "/cluster/leader", "{\"id\": 2}"));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "POST   | /cluster/members          | {\"id\":4,\"peer\":\"h:1\"}                                | http must be a string",
      "POST   | /cluster/members          | not json                                               | not JSON",
      "POST   | /cluster/members          | [1]                                                    | JSON object",
      "POST   | /cluster/members          | {\"id\":0,\"peer\":\"h:1\",\"http\":\"http://h:2\"}         | positive integer",
      "POST   | /cluster/members          | {\"id\":1.5,\"peer\":\"h:1\",\"http\":\"http://h:2\"}       | positive integer",
      "POST   | /cluster/members          | {\"id\":4,\"peer\":\"h:1\",\"http\":\"http://g:2\"}         | one host",
      "POST   | /cluster/members          | {\"id\":4,\"peer\":\"h\",\"http\":\"http://h:2\"}           | not HOST:PORT",
      "POST   | /cluster/members          | {\"id\":4,\"peer\":\"h:1\",\"http\":\"h:2\"}                | http://",
      "POST   | /cluster/members          | {\"id\":4,\"peer\":\"h:1\",\"http\":\"http://h:2\",\"x\":1} | unknown field 'x'",
      "POST   | /cluster/members?as=boss  | {\"id\":4,\"peer\":\"h:1\",\"http\":\"http://h:2\"}         | voter' or 'learner",
      "POST   | /cluster/members?who=me   | {\"id\":4,\"peer\":\"h:1\",\"http\":\"http://h:2\"}         | unknown query parameter 'who'",
      "DELETE | /cluster/members/zero     |                                                        | positive number",
      "DELETE | /cluster/members/-1       |                                                        | positive number",
      "POST   | /cluster/leader           |                                                        | JSON object",
      "POST   | /cluster/leader           | {\"id\":\"two\"}                                          | positive integer"})
  void malformedAdminRequestsGet400NamingTheProblem(String method, String uri, String body, String expected) {
    ApiRequest r = parse(method, uri, body == null ? "" : body);
    ApiRequest.Invalid invalid = assertInstanceOf(ApiRequest.Invalid.class, r, r.toString());
    assertEquals(400, invalid.status());
    assertTrue(invalid.message().contains(expected), invalid.message());
  }

  @Test
  void wrongMethodsGet405WithAllow() {
    ApiRequest.Invalid r = (ApiRequest.Invalid) parse("GET", "/cluster/members", "");
    assertEquals(405, r.status());
    assertEquals(List.of("POST"), r.allow());
    assertEquals(List.of("DELETE"), ((ApiRequest.Invalid) parse("PUT", "/cluster/members/4", "")).allow());
    assertEquals(List.of("POST"), ((ApiRequest.Invalid) parse("DELETE", "/cluster/leader", "")).allow());
  }

  private static FullHttpResponse send(FakeGateway gateway, String method, String path, String body) {
    EmbeddedChannel ch = HttpApiHandlerTest.connect(HttpApiHandlerTest.server(gateway, 10));
    List<FullHttpResponse> rs = HttpApiHandlerTest.exchange(ch, method + " " + path + " HTTP/1.1\r\nHost: x\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    assertEquals(1, rs.size());
    return rs.get(0);
  }

  private static JsonNode json(FullHttpResponse r) throws Exception {
    return JSON.readTree(HttpApiHandlerTest.body(r));
  }

  @Test
  void aDoneChangeAnswersTheNewConfiguration() throws Exception {
    FakeGateway gateway = new FakeGateway(r -> new ClientReply.Done(Result.OK));
    FullHttpResponse r = send(gateway, "DELETE", "/cluster/members/3", "");
    assertEquals(200, r.status().code(), HttpApiHandlerTest.body(r));
    assertEquals(List.of(new AdminRequest.RemoveMember(3)), gateway.adminRequests);
    JsonNode n = json(r);
    assertEquals("[1,2,3]", n.get("voters").toString());
    assertEquals("[4]", n.get("learners").toString());
    assertEquals("learner", n.get("members").get(3).get("membership").asText());
    assertEquals("127.0.0.1:9004|http://127.0.0.1:8004", n.get("members").get(3).get("address").asText());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"refused-404, 404, no_such_member", "refused-409, 409, member_exists", "unavailable, 503, unavailable",
      "unknown, 504, outcome_unknown", "no-leader, 503, no_leader"})
  void everyOutcomeHasItsStatus(String outcome, int status, String code) throws Exception {
    FakeGateway gateway = new FakeGateway(r -> new ClientReply.Done(Result.OK));
    gateway.adminAnswer = r -> switch (outcome) {
      case "refused-404" -> new AdminReply.Refused(404, "no_such_member", "node 9 is not a member");
      case "refused-409" -> new AdminReply.Refused(409, "member_exists", "node 4 is a member elsewhere");
      case "unavailable" -> new AdminReply.Unavailable("another configuration change is in progress");
      case "unknown" -> new AdminReply.Unknown("timed out");
      default -> new AdminReply.NotLeader(0);
    };
    FullHttpResponse r = send(gateway, "POST", "/cluster/leader", "{\"id\":2}");
    assertEquals(status, r.status().code());
    assertEquals(code, json(r).get("code").asText());
    if (status == 503) {
      assertEquals("1", r.headers().get("Retry-After"));
    }
  }

  @Test
  void aFollowerForwardsToTheLeaderOnce() throws Exception {
    FakeGateway gateway = new FakeGateway(r -> new ClientReply.Done(Result.OK));
    gateway.adminAnswer = r -> new AdminReply.NotLeader(2);
    // The test forwarder knows no peers: the forward fails before sending, so the change surely did not happen.
    FullHttpResponse r = send(gateway, "POST", "/cluster/members", "{\"id\":5,\"peer\":\"h:1\",\"http\":\"http://h:2\"}");
    assertEquals(503, r.status().code());
    assertTrue(json(r).get("message").asText().contains("leader n2"), HttpApiHandlerTest.body(r));
  }

  @Test
  void clusterStatusListsMembersAddressesAndFoundingVoters() throws Exception {
    FullHttpResponse r = send(new FakeGateway(x -> new ClientReply.Done(Result.OK)), "GET", "/cluster", "");
    JsonNode n = json(r);
    assertEquals("fake", n.get("clusterId").asText());
    assertEquals("http://127.0.0.1:8002", n.get("leaderUrl").asText());
    assertEquals("[1,2,3]", n.get("initialVoters").toString());
    assertEquals(4, n.get("members").size());
    JsonNode one = n.get("members").get(0);
    assertEquals("voter", one.get("membership").asText());
    assertTrue(one.get("self").asBoolean());
    assertEquals("127.0.0.1:9001", one.get("peer").asText());
    assertTrue(n.get("members").get(1).get("leader").asBoolean());
  }
}
