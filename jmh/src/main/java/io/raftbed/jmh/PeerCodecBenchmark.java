package io.raftbed.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Message;
import io.raftbed.runtime.peer.PeerCodec;
import io.raftbed.runtime.peer.PeerFrame;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer codec, per message type: encoding a message into a frame (length prefix, version, kind,
 * fields, CRC32C) and decoding a frame back (checksum verified). Appends carry 16 entries of 160
 * bytes (a put of a 16-byte key and a 128-byte value, encoded); snapshot chunks are 64 KiB.
 *
 * <p>Run: {@code bin/raftbed jmh PeerCodec}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 600, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class PeerCodecBenchmark {
  @Param({"RequestVote", "VoteResponse", "AppendEntries", "AppendResponse", "Heartbeat", "HeartbeatResponse",
      "InstallSnapshot", "SnapshotResponse", "TimeoutNow"})
  public String type;

  private Message message;
  private ByteBuf out;
  private ByteBuf frame;

  @Setup
  public void setUp() {
    message = sample(type);
    out = Unpooled.directBuffer(PeerCodec.frameBytes(message) + 64);
    ByteBuf whole = Unpooled.directBuffer(PeerCodec.frameBytes(message) + 64);
    PeerCodec.encode(message, whole);
    frame = whole.slice(PeerCodec.LENGTH_BYTES, whole.readableBytes() - PeerCodec.LENGTH_BYTES);
    Message back = ((PeerFrame.Raft) PeerCodec.decode(frame.duplicate())).message();
    if (!back.equals(message)) {
      throw new IllegalStateException("the codec does not round-trip " + message + ": got " + back);
    }
  }

  @TearDown
  public void release() {
    out.release();
    frame.unwrap().release();
  }

  /** One operation: one message encoded as a whole frame. */
  @Benchmark
  public int encode() {
    out.clear();
    PeerCodec.encode(message, out);
    return out.writerIndex();
  }

  /** One operation: one frame decoded (checksum verified) into a message. */
  @Benchmark
  public PeerFrame decode() {
    return PeerCodec.decode(frame.duplicate());
  }

  static Message sample(String type) {
    return switch (type) {
      case "RequestVote" -> new Message.RequestVote(1, 2, 7, 10_500, 6, false, false);
      case "VoteResponse" -> new Message.VoteResponse(2, 1, 7, true, false);
      case "AppendEntries" -> new Message.AppendEntries(1, 2, 7, 10_500, 7, entries(10_501, 16), 10_480);
      case "AppendResponse" -> new Message.AppendResponse(2, 1, 7, true, 10_516, 0, 7);
      case "Heartbeat" -> new Message.Heartbeat(1, 2, 7, 10_480, 99);
      case "HeartbeatResponse" -> new Message.HeartbeatResponse(2, 1, 7, 99, 10_516);
      case "InstallSnapshot" -> new Message.InstallSnapshot(1, 2, 7, 10_000, 6,
          Membership.ofVoters(List.of(1, 2, 3)), 1 << 20, 64 << 10, new byte[64 << 10]);
      case "SnapshotResponse" -> new Message.SnapshotResponse(2, 1, 7, 10_000, 128 << 10, false);
      case "TimeoutNow" -> new Message.TimeoutNow(1, 2, 7);
      default -> throw new IllegalArgumentException("no sample of " + type);
    };
  }

  private static List<LogEntry> entries(long first, int n) {
    List<LogEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[160];
      data[0] = (byte) i;
      out.add(new LogEntry(7, first + i, LogEntry.Type.COMMAND, data));
    }
    return out;
  }
}
