package io.raftbed.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.runtime.config.ConfigSources;
import io.raftbed.runtime.config.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
