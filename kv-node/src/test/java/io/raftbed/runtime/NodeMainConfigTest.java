package io.raftbed.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.runtime.config.ConfigSources;
import io.raftbed.runtime.config.JoinSeed;
import io.raftbed.runtime.config.Member;
import io.raftbed.runtime.config.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags over environment over config file over defaults. */
class NodeMainConfigTest {
  @TempDir
  Path dir;

  private RuntimeConfig parse(Map<String, String> env, String... args) {
    NodeMain main = new NodeMain();
    CommandLine cli = new CommandLine(main);
    ConfigSources sources = ConfigSources.from(args, env);
    sources.checkFileKeys(cli.getCommandSpec());
    cli.setDefaultValueProvider(sources);
    cli.parseArgs(args);
    return main.toConfig();
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(file, """
        # a node's settings
        peers = 1=127.0.0.1:9001:8001,2=127.0.0.1:9002:8002,3=127.0.0.1:9003:8003
        tick-interval-millis = 9
        heartbeat-ticks = 4
        election-ticks-min = 20
        election-ticks-max = 40
        """);
    RuntimeConfig c = parse(Map.of("RAFTBED_TICK_INTERVAL_MILLIS", "8", "RAFTBED_HEARTBEAT_TICKS", "3",
        "RAFTBED_ID", "n2"), "--tick-interval-millis", "7", "--config", file.toString());
    assertEquals(7, c.timing().tickIntervalMillis(), "flag");
    assertEquals(3, c.timing().heartbeatTicks(), "environment");
    assertEquals(20, c.timing().electionTicksMin(), "file");
    assertEquals(40, c.timing().electionTicksMax(), "file");
    assertEquals(2, c.nodeId(), "environment");
    assertEquals(9002, c.peerPort(), "this node's entry in --peers");
    assertEquals(8002, c.httpPort());
    assertEquals(RuntimeConfig.Limits.defaults(), c.limits(), "defaults");
    assertEquals("127.0.0.1", c.listenHost());
    assertEquals(Path.of("raftbed-data", "n2"), c.dataDir());
  }

  @Test
  void anUnknownFileKeyIsAnError() throws Exception {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "tick-intervall-millis = 9\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "--config=" + file));
    assertTrue(e.getMessage().contains("tick-intervall-millis"), e.getMessage());
  }

  @Test
  void badSettingsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "--id", "4", "--peers", "1=127.0.0.1:9001:8001"));
    assertTrue(e.getMessage().contains("--id 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--id", "1", "--peers",
        "1=127.0.0.1:9001:8001", "--heartbeat-ticks", "20"));
    assertTrue(e.getMessage().contains("heartbeat"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--id", "1", "--peers", "1=localhost:x:1"));
    assertTrue(e.getMessage().contains("ID=HOST:PEER_PORT:HTTP_PORT"), e.getMessage());
  }

  @Test
  void routesAndLeaseReadsAreNodeSettings() {
    RuntimeConfig c = parse(Map.of(), "--id", "1", "--peers", "1=127.0.0.1:9001:8001,2=127.0.0.1:9002:8002",
        "--routes", "2=127.0.0.1:20012:21012,3=127.0.0.1:20013:21013", "--lease-reads",
        "--clock-drift-bound-permille", "50");
    assertEquals(List.of(new Member(2, "127.0.0.1", 20012, 21012), new Member(3, "127.0.0.1", 20013, 21013)),
        c.routes());
    assertTrue(c.nodeConfig().raft().leaseReads());
    assertEquals(50, c.nodeConfig().raft().clockDriftBoundPermille());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--id", "1",
        "--peers", "1=127.0.0.1:9001:8001", "--routes", "1=127.0.0.1:20011:21011"));
    assertTrue(e.getMessage().contains("route"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--id", "1",
        "--peers", "1=127.0.0.1:9001:8001", "--lease-reads", "--no-check-quorum"));
    assertTrue(e.getMessage().contains("check-quorum"), e.getMessage());
  }

  @Test
  void aJoiningNodeStartsFromTheFoundingVotersWithoutItself() {
    NodeMain main = new NodeMain();
    new CommandLine(main).parseArgs("--id", "4", "--join", "http://127.0.0.1:8001", "--peer-port", "9004",
        "--http-port", "8004", "--no-pre-vote");
    JoinSeed seed = new JoinSeed("prod", List.of(new Member(1, "127.0.0.1", 9001, 8001),
        new Member(2, "127.0.0.1", 9002, 8002)), List.of(1, 2, 3), List.of(1, 2));
    RuntimeConfig c = main.toConfig(seed);
    assertTrue(c.joining());
    assertEquals("prod", c.clusterId(), "the cluster's id is adopted");
    assertEquals(List.of(1, 2, 3), c.nodeConfig().raft().voters());
    assertEquals(List.of(1, 2, 4), c.members().stream().map(Member::id).toList());
    assertEquals(new Member(4, "127.0.0.1", 9004, 8004), c.self());
    assertFalse(c.nodeConfig().raft().preVote());
    assertTrue(c.nodeConfig().raft().checkQuorum());
  }

  @Test
  void joinConflictsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--id", "4",
        "--join", "http://127.0.0.1:8001", "--peers", "1=127.0.0.1:9001:8001"));
    assertTrue(e.getMessage().contains("do not give --peers"), e.getMessage());
    NodeMain main = new NodeMain();
    new CommandLine(main).parseArgs("--id", "4", "--join", "http://127.0.0.1:8001", "--peer-port", "9004",
        "--http-port", "8004", "--cluster-id", "staging");
    e = assertThrows(IllegalArgumentException.class, () -> main.toConfig(new JoinSeed("prod",
        List.of(new Member(1, "127.0.0.1", 9001, 8001)), List.of(1), List.of(1))));
    assertTrue(e.getMessage().contains("'prod'"), e.getMessage());
  }

  @Test
  void initialVotersDefaultToEveryPeerAndMayBeNarrowed() {
    String peers = "1=127.0.0.1:9001:8001,2=127.0.0.1:9002:8002,4=127.0.0.1:9004:8004";
    assertEquals(List.of(1, 2, 4), parse(Map.of(), "--id", "1", "--peers", peers).initialVoters());
    RuntimeConfig c = parse(Map.of(), "--id", "4", "--peers", peers, "--initial-voters", "1,n2");
    assertEquals(List.of(1, 2), c.initialVoters());
    assertTrue(c.joining());
    assertTrue(c.nodeConfig().raft().preVote(), "pre-vote is on by default");
  }

  /** A taken port is exit 4 (an environment problem), whichever transport reported it. */
  @Test
  void aTakenPortIsRecognizedInAnyWrapping() {
    assertTrue(NodeMain.isBindFailure(new java.net.BindException("Address already in use")));
    assertTrue(NodeMain.isBindFailure(new IllegalStateException("start failed",
        new java.io.IOException("bind(..) failed with error(-98): Address already in use"))));
    assertFalse(NodeMain.isBindFailure(new java.io.IOException("Permission denied")));
  }
}
