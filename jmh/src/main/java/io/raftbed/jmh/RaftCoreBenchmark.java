package io.raftbed.jmh;

import io.raftbed.kv.Command;
import io.raftbed.kv.Request;
import io.raftbed.kv.RequestCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Raft core alone: three nodes in memory (no disk, no network, no state machine; see
 * {@link RaftTrio}), the leader replicating 16-byte-key, 128-byte-value put commands. A score is
 * proposals committed per second: the consensus work per entry (log append, append messages,
 * acknowledgements, commit) and nothing else.
 *
 * <p>Run: {@code bin/raftbed jmh RaftCore}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RaftCoreBenchmark {
  static final int BATCH = 64;

  private RaftTrio trio;
  private byte[] command;

  @Setup
  public void setUp() {
    trio = new RaftTrio();
    command = RequestCodec.encode(new Request(7, 1, new Command.Put("k000000000000042",
        "v".repeat(128).getBytes(StandardCharsets.US_ASCII))));
  }

  /** One operation: one proposal, replicated and committed before the next is proposed (no batching). */
  @Benchmark
  public long commitOneAtATime() {
    long index = trio.propose(command);
    trio.commitThrough(index);
    return index;
  }

  /** One operation: one of {@value #BATCH} proposals made together, replicated and committed as a batch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long commitBatched() {
    long index = 0;
    for (int i = 0; i < BATCH; i++) {
      index = trio.propose(command);
    }
    trio.commitThrough(index);
    return index;
  }
}
