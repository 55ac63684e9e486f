package io.raftbed.runtime.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.raftbed.raft.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Keeps the saved fuzz inputs of {@link PeerCodecFuzzTest} in the current wire version: a seed that
 * no longer decodes only exercises the version check. When the format changes, regenerate them with
 * {@code main} (run from the kv-node directory with the test classpath).
 */
class PeerCodecSeedsTest {
  private static final Path INPUTS = Path.of("src/test/resources/io/raftbed/runtime/peer/PeerCodecFuzzTestInputs");
  private static final Path FRAMES = INPUTS.resolve("decodedFramesReencodeToThemselves");
  private static final Path CONNECTION = INPUTS.resolve("aPeerConnectionSurvivesAnyBytes");
  private static final PeerFrame.Hello HELLO = new PeerFrame.Hello("fuzz", 2, 1, "127.0.0.1:9082|http://127.0.0.1:8082");

  @Test
  void everyFrameSeedDecodes() throws IOException {
    try (var seeds = Files.list(FRAMES)) {
      for (Path seed : seeds.toList()) {
        byte[] unchecked = Files.readAllBytes(seed);
        CRC32C crc = new CRC32C();
        crc.update(unchecked);
        ByteBuf body = Unpooled.buffer().writeInt((int) crc.getValue()).writeBytes(unchecked);
        PeerFrame frame = PeerCodec.decode(body); // throws on a seed of another version
        if (seed.getFileName().toString().equals("seed-hello")) {
          assertEquals(HELLO, frame);
        } else {
          assertInstanceOf(PeerFrame.Raft.class, frame, seed.toString());
        }
      }
    }
  }

  @Test
  void theConnectionSeedDeliversEveryKind() throws IOException {
    List<Message> delivered = new java.util.ArrayList<>();
    PeerServer server = new PeerServer(1, "fuzz", java.util.Set.of(2, 3), new PeerServer.Options(64 << 10, 8, 5000),
        delivered::addAll, PeerServer.Metrics.NONE);
    var ch = new io.netty.channel.embedded.EmbeddedChannel();
    server.initPipeline(ch.pipeline());
    ch.writeInbound(Unpooled.wrappedBuffer(Files.readAllBytes(CONNECTION.resolve("seed-hello-then-every-kind"))));
    assertEquals(fromTwo().size(), delivered.size(), "every message after the hello is delivered");
    ch.finishAndReleaseAll();
  }

  /** Every kind of {@link PeerCodecTest#EVERY_KIND}, readdressed from node 2 to node 1. */
  private static List<Message> fromTwo() {
    return PeerCodecTest.EVERY_KIND.stream().map(PeerCodecSeedsTest::fromTwo).toList();
  }

  private static Message fromTwo(Message m) {
    return switch (m) {
      case Message.RequestVote rv -> new Message.RequestVote(2, 1, rv.term(), rv.lastLogIndex(), rv.lastLogTerm(),
          rv.preVote(), rv.transfer());
      case Message.VoteResponse vr -> new Message.VoteResponse(2, 1, vr.term(), vr.granted(), vr.preVote());
      case Message.AppendEntries ae -> new Message.AppendEntries(2, 1, ae.term(), ae.prevLogIndex(), ae.prevLogTerm(),
          ae.entries(), ae.leaderCommit());
      case Message.AppendResponse ar -> new Message.AppendResponse(2, 1, ar.term(), ar.success(), ar.index(),
          ar.rejectHint(), ar.logTerm());
      case Message.Heartbeat hb -> new Message.Heartbeat(2, 1, hb.term(), hb.commit(), hb.readRound());
      case Message.HeartbeatResponse hr -> new Message.HeartbeatResponse(2, 1, hr.term(), hr.readRound(),
          hr.lastIndex());
      case Message.InstallSnapshot is -> new Message.InstallSnapshot(2, 1, is.term(), is.index(), is.snapshotTerm(),
          is.membership(), is.totalBytes(), is.offset(), is.chunk());
      case Message.SnapshotResponse sr -> new Message.SnapshotResponse(2, 1, sr.term(), sr.index(), sr.nextOffset(),
          sr.done());
      case Message.TimeoutNow tn -> new Message.TimeoutNow(2, 1, tn.term());
    };
  }

  /** Regenerates the seeds (except seed-garbage, which is not a frame). */
  public static void main(String[] args) throws IOException {
    for (Message m : PeerCodecTest.EVERY_KIND) {
      ByteBuf out = Unpooled.buffer();
      PeerCodec.encode(m, out);
      Files.write(FRAMES.resolve("seed-" + m.getClass().getSimpleName()), uncheckedBody(out));
    }
    ByteBuf hello = Unpooled.buffer();
    PeerCodec.encodeHello(HELLO, hello);
    Files.write(FRAMES.resolve("seed-hello"), uncheckedBody(hello));
    ByteBuf stream = Unpooled.buffer();
    PeerCodec.encodeHello(HELLO, stream);
    fromTwo().forEach(m -> PeerCodec.encode(m, stream));
    Files.write(CONNECTION.resolve("seed-hello-then-every-kind"), bytes(stream));
    ByteBuf noHello = Unpooled.buffer();
    PeerCodec.encode(fromTwo().get(0), noHello);
    Files.write(CONNECTION.resolve("seed-no-hello"), bytes(noHello));
    ByteBuf wrongCluster = Unpooled.buffer();
    PeerCodec.encodeHello(new PeerFrame.Hello("other", 2, 1, ""), wrongCluster);
    PeerCodec.encode(fromTwo().get(0), wrongCluster);
    Files.write(CONNECTION.resolve("seed-wrong-cluster"), bytes(wrongCluster));
  }

  /** A whole frame without its length prefix and checksum: what the fuzz test turns into a checked body. */
  private static byte[] uncheckedBody(ByteBuf frame) {
    frame.skipBytes(PeerCodec.LENGTH_BYTES + 4);
    return bytes(frame);
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }
}
