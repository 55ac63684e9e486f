package io.raftbed.runtime;

import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import java.util.function.Consumer;

/**
 * How servers reach a node from their own threads: every call is handed to the node's event loop.
 * The HTTP layer depends on this interface, not on the node, so it can be tested (and fuzzed) with a
 * stand-in.
 */
public interface NodeGateway {
  /** This node's id. */
  int nodeId();

  /** Submits a request from any thread; the sink is called exactly once, on the node's thread. */
  void submit(ClientRequest request, ClientReply.Sink sink);

  /** Takes a status snapshot from any thread; the callback runs on the node's thread. */
  void status(Consumer<NodeStatus> callback);
}
