package io.raftbed.runtime;

import io.raftbed.node.ClientReply;
import io.raftbed.node.KvNode;
import io.raftbed.node.MembershipChange;
import io.raftbed.raft.Membership;
import io.raftbed.raft.RaftNode;
import io.raftbed.raft.Role;
import io.raftbed.runtime.config.Member;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Carries out {@link AdminRequest}s on the leader: checks each against the current configuration (so
 * that a request that makes no sense is refused with a reason rather than proposed), hands the rest
 * to the driver's {@link KvNode#changeMembership} and {@link KvNode#transferLeadership}, and maps
 * the driver's replies to {@link AdminReply}.
 *
 * <p>Threading: runs on the node's loop only, like the driver; the reply consumer is called on it,
 * exactly once per request. A node that does not lead answers {@link AdminReply.NotLeader} at once.
 */
final class NodeAdmin {
  private final KvNode node;
  private final MemberDirectory directory;

  NodeAdmin(KvNode node, MemberDirectory directory) {
    this.node = node;
    this.directory = directory;
  }

  void handle(AdminRequest request, Consumer<AdminReply> reply) {
    RaftNode raft = node.raft();
    if (raft.role() != Role.LEADER) {
      reply.accept(new AdminReply.NotLeader(raft.leaderId()));
      return;
    }
    Membership current = raft.membership();
    AdminReply refusal = refusal(request, current);
    if (refusal != null) {
      reply.accept(refusal);
      return;
    }
    ClientReply.Sink sink = r -> reply.accept(map(r));
    switch (request) {
      case AdminRequest.AddMember add -> {
        Member m = add.member();
        node.changeMembership(add.asVoter() ? new MembershipChange.AddVoter(m.id(), m.address())
            : new MembershipChange.AddLearner(m.id(), m.address()), sink);
      }
      case AdminRequest.RemoveMember remove -> node.changeMembership(new MembershipChange.Remove(remove.id()), sink);
      case AdminRequest.TransferLeadership t -> {
        if (t.target() == node.id()) {
          reply.accept(new AdminReply.Done(current, node.id())); // it leads already
        } else {
          node.transferLeadership(t.target(), sink);
        }
      }
    }
  }

  /** Why {@code request} makes no sense against {@code current}, or null when it does. */
  private AdminReply refusal(AdminRequest request, Membership current) {
    return switch (request) {
      case AdminRequest.AddMember add -> {
        int id = add.member().id();
        Optional<Member> known = current.isMember(id) ? directory.member(id) : Optional.empty();
        if (known.isPresent() && !known.get().equals(add.member())) {
          yield new AdminReply.Refused(409, "member_exists", "node " + id + " is already a member at "
              + known.get().address() + "; remove it first to add it at another address");
        }
        for (int other : members(current)) {
          Optional<Member> at = directory.member(other);
          if (other != id && at.isPresent() && at.get().peerAddress().equals(add.member().peerAddress())) {
            yield new AdminReply.Refused(409, "address_in_use", "member n" + other + " serves at "
                + add.member().peerAddress() + " already");
          }
        }
        if (!add.asVoter() && current.isVoter(id)) {
          yield new AdminReply.Refused(409, "member_exists", "node " + id + " is a voter; remove it first to make"
              + " it a learner");
        }
        yield null;
      }
      case AdminRequest.RemoveMember remove -> !current.isMember(remove.id())
          ? new AdminReply.Refused(404, "no_such_member", "node " + remove.id() + " is not a member; the members"
              + " are " + current)
          : current.isVoter(remove.id()) && current.voters().size() == 1
              ? new AdminReply.Refused(409, "last_voter", "node " + remove.id() + " is the only voter; a cluster"
                  + " needs one")
              : null;
      case AdminRequest.TransferLeadership t -> !current.isVoter(t.target())
          ? new AdminReply.Refused(current.isMember(t.target()) ? 409 : 404, current.isMember(t.target())
              ? "not_a_voter" : "no_such_member", "node " + t.target() + " is not a voter; the members are "
              + current)
          : null;
    };
  }

  private static java.util.List<Integer> members(Membership m) {
    java.util.List<Integer> ids = new java.util.ArrayList<>(m.voters().keySet());
    ids.addAll(m.learners().keySet());
    return ids;
  }

  /** The driver's reply, on the node's loop: a success reports the configuration as it is now. */
  private AdminReply map(ClientReply r) {
    return switch (r) {
      case ClientReply.Done d -> new AdminReply.Done(node.raft().membership(), node.raft().leaderId());
      case ClientReply.NotLeader nl -> new AdminReply.NotLeader(nl.leaderId());
      case ClientReply.Unavailable u -> new AdminReply.Unavailable(u.reason());
      case ClientReply.Rejected rj -> new AdminReply.Refused(409, "conflict", rj.reason());
      case ClientReply.Unknown u -> new AdminReply.Unknown(u.reason());
    };
  }
}
