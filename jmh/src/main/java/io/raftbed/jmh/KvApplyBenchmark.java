package io.raftbed.jmh;

import io.raftbed.kv.Command;
import io.raftbed.kv.KvStateMachine;
import io.raftbed.kv.Request;
import io.raftbed.kv.RequestCodec;
import io.raftbed.kv.Result;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The KV state machine's apply path as the node runs it for each committed entry: decode the
 * entry's request and apply it, over 10,000 keys of 16 bytes with 128-byte values. {@code put},
 * {@code cas} and {@code delete} come without a client session (as {@code raftbed bench} sends
 * them); {@code retriedPut} is a retry, in one of 1,000 sessions, of a request already applied, which
 * the session's saved result answers (Raft dissertation §6.3).
 *
 * <p>Run: {@code bin/raftbed jmh KvApply}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 600, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class KvApplyBenchmark {
  static final int KEYS = 10_000;
  static final int CLIENTS = 1_000;
  static final int SESSIONS_MAX = 10_000;

  @Param({"put", "cas", "delete", "retriedPut"})
  public String command;

  private KvStateMachine kv;
  private long index;
  private int next;
  /** The log entries' bytes, encoded up front as they sit in the log. */
  private final byte[][] entries = new byte[KEYS][];
  private final byte[] value = "v".repeat(128).getBytes(StandardCharsets.US_ASCII);

  @Setup
  public void setUp() {
    kv = new KvStateMachine(SESSIONS_MAX);
    for (int k = 0; k < KEYS; k++) {
      kv.apply(++index, new Request(0, 0, new Command.Put(key(k), value)));
    }
    boolean retried = command.equals("retriedPut");
    for (int k = 0; k < KEYS; k++) {
      Command c = switch (command) {
        case "put", "retriedPut" -> new Command.Put(key(k), value);
        case "cas" -> new Command.Cas(key(k), value, value);
        case "delete" -> new Command.Delete(key(k));
        default -> throw new IllegalArgumentException("no command " + command);
      };
      entries[k] = RequestCodec.encode(retried ? new Request(1 + k % CLIENTS, 1, c) : new Request(0, 0, c));
      if (retried && k < CLIENTS) {
        kv.apply(++index, RequestCodec.decode(entries[k])); // each session's first (and only new) request
      }
    }
  }

  private static String key(int k) {
    String n = Integer.toString(k);
    return "k" + "0".repeat(15 - n.length()) + n;
  }

  /** One operation: one committed entry decoded and applied. */
  @Benchmark
  public Result apply() {
    byte[] entry = entries[next];
    next = next + 1 == KEYS ? 0 : next + 1;
    return kv.apply(++index, RequestCodec.decode(entry));
  }
}
