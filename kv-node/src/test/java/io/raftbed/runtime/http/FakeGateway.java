package io.raftbed.runtime.http;

import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.raft.Role;
import io.raftbed.runtime.NodeGateway;
import io.raftbed.runtime.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A stand-in node for HTTP tests: either answers every request at once with {@code answer}, or
 * (when {@code answer} is null) keeps the requests so the test replies when and in what order it
 * likes.
 */
final class FakeGateway implements NodeGateway {
  record Pending(ClientRequest request, ClientReply.Sink sink) {}

  private final Function<ClientRequest, ClientReply> answer;
  final List<Pending> pending = new ArrayList<>();

  FakeGateway(Function<ClientRequest, ClientReply> answer) {
    this.answer = answer;
  }

  @Override
  public int nodeId() {
    return 1;
  }

  @Override
  public void submit(ClientRequest request, ClientReply.Sink sink) {
    if (answer == null) {
      pending.add(new Pending(request, sink));
    } else {
      sink.reply(answer.apply(request));
    }
  }

  @Override
  public void status(Consumer<NodeStatus> callback) {
    callback.accept(new NodeStatus(1, true, Role.FOLLOWER, 3, 2, 10, 10, 11, 11, 5, 0, 0));
  }
}
