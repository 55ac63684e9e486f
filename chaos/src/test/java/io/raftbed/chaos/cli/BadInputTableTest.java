package io.raftbed.chaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.chaos.cluster.ClusterLayout;
import io.raftbed.linearizability.cli.CheckCommand;
import io.raftbed.runtime.NodeMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every subcommand of {@code bin/raftbed} under bad input: each row is a command line, the exit code
 * it must end with (2, or {@code check}'s 3; never a verdict's, never a crash's) and a fragment the
 * message must contain. Every row must also print a short message (at most two lines on stderr) and
 * no stack trace or Java exception class name. Commands run in this JVM through their entry points.
 *
 * <p>To cover a new command, add its entry point to {@link #COMMANDS} and its rows to {@link #ROWS}.
 * Placeholders: {@code {cluster}} a directory holding a stopped 3-node cluster, {@code {file}} a
 * regular file (not a history), {@code {missing}} a path that does not exist, {@code {tmp}} a fresh
 * directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class BadInputTableTest {
  /** Entry points by command word; the word is passed on where the entry point expects it. */
  private static final Map<String, Function<String[], Integer>> COMMANDS = Map.of(
      "sim", io.raftbed.sim.cli.Main::run,
      "fuzz", io.raftbed.sim.cli.Main::run,
      "replay", io.raftbed.sim.cli.Main::run,
      "check", CheckCommand::run,
      "node", args -> NodeMain.run(Arrays.copyOfRange(args, 1, args.length)),
      "cluster", Main::run,
      "bench", Main::run,
      "certs", Main::run,
      "chaos", Main::run,
      "proxy", Main::run);

  private static final String PEERS = "--peers 1=127.0.0.1:19991:18991";

  /** exit code | command line | fragment of the message. */
  private static final List<String> ROWS = List.of(
      "2 | sim --seeds 5..1 | is empty",
      "2 | sim --seeds abc | not a seed range",
      "2 | sim --seeds 1.. | not a seed range",
      "2 | sim | exactly one of --seed",
      "2 | sim --seed 1 --virtual-seconds 0 | at least 2",
      "2 | sim --seeds 1..2 --threads 0 | --threads",
      "2 | sim --seed 1 --schedule @{missing} | cannot read",
      "2 | sim --seed 1 --schedule garbage | --schedule",
      "2 | sim --seed 1 --nodes 0 | node",
      "2 | sim --seed 1 --bogus | Unknown option",
      "2 | fuzz | give --minutes",
      "2 | fuzz --seeds 5..1 --out {tmp}/fuzz | is empty",
      "2 | fuzz --minutes -1 --out {tmp}/fuzz | more than 0",
      "2 | fuzz --seeds 1..2 --shard 0/8 --out {tmp}/fuzz | shard",
      "2 | fuzz --seeds 1..2 --threads 0 --out {tmp}/fuzz | must be positive",
      "2 | fuzz --seeds 1..2 --out {file}/sub | cannot make the --out directory",
      "2 | fuzz --seeds 1..2 --canary no-such-canary | canary",
      "2 | replay {missing} | replay",
      "2 | replay | Missing required parameter",
      "3 | check {missing} | no such file",
      "3 | check {file} | unrecognized format",
      "3 | check --model nope {file} | --model",
      "3 | check --threads 0 {file} | --threads",
      "3 | check --time-limit abc {file} | abc",
      "3 | check | missing FILE",
      "2 | node | --id is required",
      "2 | node --id 0 " + PEERS + " | --id must be a positive number",
      "2 | node --id 1 --peers garbage | garbage",
      "2 | node --id 4 " + PEERS + " | is not in --peers",
      "2 | node --id 1 " + PEERS + " --http-port 70000 | ports must be",
      "2 | node --id 1 " + PEERS + " --connections-max 0 | limits must be positive",
      "2 | node --id 1 " + PEERS + " --tick-interval-millis abc | abc",
      "2 | node --id 1 " + PEERS + " --tls-cert {file} | all three",
      "2 | node --id 1 " + PEERS + " --data-dir {tmp}/n1 --tls-cert {missing} --tls-key {missing} --tls-ca {missing}"
          + " | cannot read",
      "2 | node --id 1 " + PEERS + " --data-dir {tmp}/n1 --admin-token-file {missing} | cannot read --admin-token-file",
      "2 | node --config {missing} | cannot read config file",
      "2 | node --bogus | Unknown option",
      "2 | cluster up --nodes 0 --dir {tmp}/c | --nodes must be 1..99",
      "2 | cluster up --nodes -1 --dir {tmp}/c | --nodes must be 1..99",
      "2 | cluster up --nodes x --dir {tmp}/c | x",
      "2 | cluster up --dir {file} | is a file",
      "2 | cluster up --http-port-base 70000 --dir {tmp}/c | --http-port-base",
      "2 | cluster status --dir {missing} | no cluster in",
      "2 | cluster down --dir {missing} | no cluster in",
      "2 | cluster down --dir {cluster} --grace-seconds -1 | --grace-seconds",
      "2 | cluster kill n9 --dir {cluster} | no node n9",
      "2 | cluster kill x --dir {cluster} | positive id",
      "2 | cluster start n9 --dir {cluster} | no node n9",
      "2 | cluster join --dir {missing} | no cluster in",
      "2 | cluster join --id 2 --dir {cluster} | already used",
      "2 | cluster join --as boss --dir {cluster} | boss",
      "2 | cluster remove --id 9 --dir {cluster} | no node n9",
      "2 | cluster remove --dir {cluster} | Missing required option",
      "2 | cluster transfer --to 9 --dir {cluster} | no node n9",
      "2 | cluster transfer --to 0 --dir {cluster} | positive id",
      "2 | cluster bogus | Unmatched argument",
      "2 | bench --dir {missing} | no cluster in",
      "2 | bench --dir {cluster} --clients 0 | must be positive",
      "2 | bench --dir {cluster} --op nope | unknown operation",
      "2 | bench --url http://127.0.0.1:1 --seconds 0 | must be positive",
      "2 | bench --url http://127.0.0.1:1 --ca {missing} | cannot read",
      "2 | bench --url http://127.0.0.1:1 --seconds 1 --warmup-seconds 0 | no put succeeded",
      "2 | bench catch-up | Missing required option",
      "2 | bench catch-up --dir {cluster} | already holds a cluster",
      "2 | bench catch-up --dir {tmp}/cu --entries 0 | --entries",
      "2 | bench rejoin --dir {tmp}/r --pause-seconds 0 | --pause-seconds",
      "2 | certs --dir {tmp}/certs --nodes 0 | --nodes must be",
      "2 | certs --nodes 3 | Missing required option",
      "2 | certs --dir {tmp}/certs --days 0 | --days",
      "2 | certs --dir {file} | is a file",
      "2 | certs --dir {tmp}/certs --nodes | Missing required parameter",
      "2 | chaos run --out {tmp}/o | name a scenario file",
      "2 | chaos run {missing} --out {tmp}/o | no such scenario file",
      "2 | chaos run {file} --out {tmp}/o | expected a map of fields",
      "2 | chaos run --all {file} --out {tmp}/o | not both",
      "2 | chaos run --all | Missing required option",
      "2 | chaos run --all --out {file} | is a file",
      "2 | chaos run --all --out {tmp}/o --runs 0 | --runs must be",
      "2 | chaos run --all --out {tmp}/o --time-scale 0 | --time-scale must be",
      "2 | chaos run --all --out {tmp}/o --canary nope | no canary 'nope'",
      "2 | chaos run --all --out {tmp}/o --backend vm | --backend must be",
      "2 | chaos run --all --out {tmp}/o --check-seconds 0 | --check-seconds",
      "2 | chaos bogus | Unmatched argument",
      "2 | proxy --port 70000 | port",
      "2 | proxy --port x | x",
      "2 | proxy bench --round-trips 0 | at least 1");

  /** A stack trace, or a Java exception's class name, anywhere in the output. */
  private static final Pattern JAVA_NOISE = Pattern.compile(
      "\\n\\s+at [\\w.$]+\\(|Exception in thread|Caused by:|\\b(java|javax|io\\.netty|picocli)\\.[\\w.$]*(Exception|Error)\\b");

  @TempDir
  Path tmp;
  private Path cluster;
  private Path file;

  @BeforeAll
  void fixtures(@TempDir Path shared) throws IOException {
    cluster = shared.resolve("cluster");
    ClusterLayout.of("table", "127.0.0.1", 3, 18990, 19990, List.of(), List.of()).save(cluster);
    file = shared.resolve("not-a-history.txt");
    Files.writeString(file, "this is not a history\n");
  }

  Stream<String> rows() {
    return ROWS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void badInputIsOneClearLineAndTheUsageExitCode(String row) {
    String[] cols = row.split(" \\| ");
    assertEquals(3, cols.length, "a row is 'exit | command line | fragment': " + row);
    int expectedExit = Integer.parseInt(cols[0].trim());
    String[] args = cols[1].trim().replace("{cluster}", cluster.toString()).replace("{file}", file.toString())
        .replace("{missing}", tmp.resolve("no-such-thing").toString()).replace("{tmp}", tmp.toString()).split("\\s+");
    Function<String[], Integer> command = COMMANDS.get(args[0]);
    assertTrue(command != null, "no entry point for '" + args[0] + "': add it to COMMANDS");

    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      exit = command.apply(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String stdout = outBytes.toString(StandardCharsets.UTF_8);
    String stderr = errBytes.toString(StandardCharsets.UTF_8);
    String both = stdout + stderr;
    String report = row + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    assertEquals(expectedExit, exit, report);
    assertFalse(JAVA_NOISE.matcher(both).find(), "no stack trace or exception class: " + report);
    assertTrue(both.contains(cols[2].trim()), "the message names the problem: " + report);
    long errLines = stderr.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING: ")).count();
    assertTrue(errLines <= 2, "a line or two, not a usage dump: " + report);
  }
}
