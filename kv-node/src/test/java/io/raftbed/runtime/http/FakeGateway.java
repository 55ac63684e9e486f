package io.raftbed.runtime.http;

import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Role;
import io.raftbed.runtime.AdminReply;
import io.raftbed.runtime.AdminRequest;
import io.raftbed.runtime.NodeGateway;
import io.raftbed.runtime.NodeStatus;
import io.raftbed.runtime.config.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A stand-in node for HTTP tests: either answers every request at once with {@code answer}, or
 * (when {@code answer} is null) keeps the requests so the test replies when and in what order it
 * likes.
 */
final class FakeGateway implements NodeGateway {
  record Pending(ClientRequest request, ClientReply.Sink sink) {}

  /** Voters 1, 2, 3 (this node is 1, node 2 leads) and learner 4; all at 127.0.0.1, ports 900N and 800N. */
  static final Membership MEMBERSHIP = Membership.ofVoters(List.of(1, 2, 3)).withLearner(4,
      new Member(4, "127.0.0.1", 9004, 8004).address());

  private final Function<ClientRequest, ClientReply> answer;
  final List<Pending> pending = new ArrayList<>();
  /** Administrative requests received, in order. */
  final List<AdminRequest> adminRequests = new ArrayList<>();
  /** How administrative requests are answered. */
  Function<AdminRequest, AdminReply> adminAnswer = r -> new AdminReply.Done(MEMBERSHIP, 2);

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
  public String clusterId() {
    return "fake";
  }

  @Override
  public List<Integer> initialVoters() {
    return List.of(1, 2, 3);
  }

  @Override
  public Optional<Member> member(int id) {
    return id >= 1 && id <= 4 ? Optional.of(new Member(id, "127.0.0.1", 9000 + id, 8000 + id)) : Optional.empty();
  }

  @Override
  public void admin(AdminRequest request, Consumer<AdminReply> reply) {
    adminRequests.add(request);
    reply.accept(adminAnswer.apply(request));
  }

  @Override
  public void status(Consumer<NodeStatus> callback) {
    callback.accept(new NodeStatus(1, true, Role.FOLLOWER, 3, 2, 10, 10, 11, 11, 5, 0, 0, MEMBERSHIP, 0, 0));
  }
}
