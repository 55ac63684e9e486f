package io.raftbed.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario transcripts: text files under {@code src/test/resources/scenarios} that drive a
 * {@link TestCluster} with commands ({@code > deliver}) and pin the output that follows each
 * command, as etcd's data-driven tests do. A change in protocol behaviour shows as a diff.
 * Regenerate after an intended change with {@code -Dscenarios.rewrite=true} and review the diff.
 *
 * <p>Commands: {@code cluster N [prevote]}, {@code campaign ID}, {@code tick ID [N]},
 * {@code deliver [ID]} (all messages, or only those to ID), {@code deliver-except TYPE},
 * {@code propose ID TEXT}, {@code isolate ID}, {@code heal}, {@code restart ID},
 * {@code status}, {@code log ID}, {@code read ID READID}, {@code reads ID}, {@code snapshot ID BYTES},
 * {@code machine ID}, {@code add-learner LEADER ID}, {@code promote LEADER ID}, {@code remove LEADER ID},
 * {@code transfer LEADER TARGET}, {@code members}.
 */
class ScenarioTest {
  static Stream<Path> scenarios() throws IOException {
    return Files.list(Path.of("src/test/resources/scenarios")).filter(p -> p.toString().endsWith(".txt")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void transcriptMatches(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    StringBuilder expected = new StringBuilder();
    StringBuilder actual = new StringBuilder();
    TestCluster cluster = null;
    for (String line : lines) {
      expected.append(line).append('\n');
      if (line.startsWith("#") || line.isBlank()) {
        actual.append(line).append('\n');
        continue;
      }
      if (!line.startsWith("> ")) {
        continue; // recorded output: regenerated below
      }
      actual.append(line).append('\n');
      String[] cmd = line.substring(2).trim().split("\\s+");
      if (cmd[0].equals("cluster")) {
        cluster = new TestCluster(Integer.parseInt(cmd[1]), cmd.length > 2 && cmd[2].equals("prevote"));
        continue;
      }
      for (String out : run(cluster, cmd)) {
        actual.append(out).append('\n');
      }
    }
    if (Boolean.getBoolean("scenarios.rewrite")) {
      Files.writeString(file, actual.toString(), StandardCharsets.UTF_8);
      return;
    }
    assertEquals(expected.toString(), actual.toString(), "transcript " + file.getFileName()
        + " differs; if the change is intended, rerun with -Dscenarios.rewrite=true and review the diff");
  }

  private static List<String> run(TestCluster c, String[] cmd) {
    List<String> out = new ArrayList<>();
    switch (cmd[0]) {
      case "campaign" -> c.campaign(id(cmd[1]));
      case "tick" -> c.tick(id(cmd[1]), cmd.length > 2 ? Integer.parseInt(cmd[2]) : 1);
      case "deliver" -> {
        List<Message> ms = cmd.length > 1 ? c.deliver(m -> m.to() == id(cmd[1])) : c.deliverAll();
        ms.forEach(m -> out.add(format(m)));
      }
      case "deliver-except" -> c.deliver(m -> !m.getClass().getSimpleName().equals(cmd[1]))
          .forEach(m -> out.add(format(m)));
      case "propose" -> out.add("index " + c.propose(id(cmd[1]), cmd[2]));
      case "isolate" -> c.isolate(id(cmd[1]));
      case "heal" -> c.heal();
      case "restart" -> c.start(id(cmd[1]));
      case "status" -> c.nodes.values().forEach(n -> out.add(n.id() + ": " + n.role() + " term=" + n.term()
          + " vote=" + n.votedFor() + " leader=" + n.leaderId() + " last=" + n.lastIndex() + " commit="
          + n.commitIndex() + " applied=" + n.appliedIndex()));
      case "log" -> {
        RaftNode n = c.node(id(cmd[1]));
        StringBuilder sb = new StringBuilder();
        for (long i = 1; i <= n.lastIndex(); i++) {
          LogEntry e = n.entryAt(i);
          sb.append(i).append('@').append(e.term()).append(e.type() == LogEntry.Type.NOOP ? "(noop) "
              : "(" + new String(e.data(), StandardCharsets.UTF_8) + ") ");
        }
        out.add(sb.toString().trim());
      }
      case "read" -> out.add("accepted " + c.node(id(cmd[1])).readIndex(Long.parseLong(cmd[2])));
      case "snapshot" -> {
        RaftNode n = c.node(id(cmd[1]));
        long at = n.appliedIndex();
        n.snapshotTaken(new Snapshot(at, n.termAt(at), n.membershipAt(at), new byte[Integer.parseInt(cmd[2])]), at);
        out.add("snapshot at " + at + ", log now starts at " + n.firstIndex());
      }
      case "machine" -> c.addMachine(id(cmd[1]));
      case "add-learner" -> out.add("index " + c.node(id(cmd[1])).proposeMembership(
          c.node(id(cmd[1])).membership().withLearner(id(cmd[2]), "n" + cmd[2])));
      case "promote" -> out.add("index " + c.node(id(cmd[1])).proposeMembership(
          c.node(id(cmd[1])).membership().withVoter(id(cmd[2]), "n" + cmd[2])));
      case "remove" -> out.add("index " + c.node(id(cmd[1])).proposeMembership(
          c.node(id(cmd[1])).membership().without(id(cmd[2]))));
      case "transfer" -> out.add("started " + c.node(id(cmd[1])).transferLeadership(id(cmd[2])));
      case "members" -> c.nodes.values().forEach(n -> out.add(n.id() + ": " + n.membership()));
      case "reads" -> c.reads.get(id(cmd[1])).forEach(r -> out.add("read " + r.readId() + " at index " + r.index()));
      default -> throw new IllegalArgumentException("unknown scenario command: " + String.join(" ", cmd));
    }
    return out;
  }

  private static int id(String s) {
    return Integer.parseInt(s);
  }

  static String format(Message m) {
    String head = m.from() + "->" + m.to() + " t" + m.term() + " ";
    return head + switch (m) {
      case Message.RequestVote rv -> (rv.preVote() ? "PreVote" : "RequestVote") + " last=" + rv.lastLogIndex() + "@"
          + rv.lastLogTerm();
      case Message.VoteResponse vr -> (vr.preVote() ? "PreVoteResponse" : "VoteResponse")
          + (vr.granted() ? " granted" : " rejected");
      case Message.AppendEntries ae -> "AppendEntries prev=" + ae.prevLogIndex() + "@" + ae.prevLogTerm()
          + " entries=" + ae.entries().size() + " commit=" + ae.leaderCommit();
      case Message.AppendResponse ar -> "AppendResponse " + (ar.success() ? "ok index=" + ar.index()
          : "reject index=" + ar.index() + " hint=" + ar.rejectHint());
      case Message.Heartbeat hb -> "Heartbeat commit=" + hb.commit() + " round=" + hb.readRound();
      case Message.HeartbeatResponse hr -> "HeartbeatResponse round=" + hr.readRound() + " last=" + hr.lastIndex();
      case Message.InstallSnapshot is -> "InstallSnapshot " + is.index() + "@" + is.snapshotTerm() + " offset="
          + is.offset() + " bytes=" + is.chunk().length + "/" + is.totalBytes();
      case Message.SnapshotResponse sr -> "SnapshotResponse index=" + sr.index() + (sr.done() ? " done"
          : " next=" + sr.nextOffset());
      case Message.TimeoutNow tn -> "TimeoutNow";
    };
  }
}
