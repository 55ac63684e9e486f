package io.raftbed.runtime.http;

import io.raftbed.raft.Membership;
import io.raftbed.runtime.NodeGateway;
import io.raftbed.runtime.NodeStatus;
import io.raftbed.runtime.config.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of {@code GET /cluster} and of a successful administrative request: this node's view of
 * the configuration, every member with its role and addresses. A member whose address this node does
 * not know has null addresses. Field names are stable: scripts and {@code raftbed cluster} read them,
 * and a joining node reads {@code clusterId}, {@code members[].address} and {@code initialVoters}.
 *
 * <p>Stateless; called on the node's thread (where the status was taken) or any other.
 */
final class ClusterJson {
  private ClusterJson() {}

  /** {@code GET /cluster}: this node's state and its view of the configuration. */
  static Map<String, Object> status(NodeStatus s, NodeGateway gateway) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", s.id());
    body.put("name", "n" + s.id());
    body.put("clusterId", gateway.clusterId());
    body.put("role", s.role().name().toLowerCase());
    body.put("term", s.term());
    body.put("leaderId", s.leaderId());
    body.put("leaderUrl", s.leaderId() == 0 ? null : gateway.member(s.leaderId()).map(Member::httpUrl).orElse(null));
    body.put("commitIndex", s.commitIndex());
    body.put("appliedIndex", s.appliedIndex());
    body.put("lastIndex", s.lastIndex());
    body.put("syncedIndex", s.syncedIndex());
    body.put("keys", s.keys());
    body.putAll(configuration(s.membership(), s.leaderId(), s.id(), gateway));
    body.put("initialVoters", gateway.initialVoters());
    return body;
  }

  /** The configuration: {@code voters}, {@code learners} (ids) and {@code members} (details). */
  static Map<String, Object> configuration(Membership m, int leaderId, int selfId, NodeGateway gateway) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("voters", List.copyOf(m.voters().keySet()));
    body.put("learners", List.copyOf(m.learners().keySet()));
    List<Map<String, Object>> members = new ArrayList<>();
    m.voters().keySet().forEach(id -> members.add(member(id, "voter", leaderId, selfId, gateway)));
    m.learners().keySet().forEach(id -> members.add(member(id, "learner", leaderId, selfId, gateway)));
    body.put("members", members);
    return body;
  }

  private static Map<String, Object> member(int id, String kind, int leaderId, int selfId, NodeGateway gateway) {
    Optional<Member> known = gateway.member(id);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", id);
    entry.put("name", "n" + id);
    entry.put("membership", kind);
    entry.put("http", known.map(Member::httpUrl).orElse(null));
    entry.put("peer", known.map(Member::peerAddress).orElse(null));
    entry.put("address", known.map(Member::address).orElse(null));
    entry.put("self", id == selfId);
    entry.put("leader", id == leaderId);
    return entry;
  }
}
