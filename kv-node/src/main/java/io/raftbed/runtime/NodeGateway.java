package io.raftbed.runtime;

import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.runtime.config.Member;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How servers reach a node from their own threads: every call that touches the node is handed to the
 * node's event loop. The HTTP layer depends on this interface, not on the node, so it can be tested
 * (and fuzzed) with a stand-in.
 */
public interface NodeGateway {
  /** This node's id. */
  int nodeId();

  /** The cluster's id, which every member's handshake carries. */
  String clusterId();

  /** The cluster's founding voters, which a node that joins starts from. */
  List<Integer> initialVoters();

  /** Where member {@code id} serves, if this node knows; any thread. */
  Optional<Member> member(int id);

  /** Submits a request from any thread; the sink is called exactly once, on the node's thread. */
  void submit(ClientRequest request, ClientReply.Sink sink);

  /** Submits an administrative request from any thread; the reply comes exactly once, on the node's thread. */
  void admin(AdminRequest request, Consumer<AdminReply> reply);

  /** Takes a status snapshot from any thread; the callback runs on the node's thread. */
  void status(Consumer<NodeStatus> callback);
}
