package io.raftbed.runtime.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.raftbed.raft.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Coverage-guided fuzzing of the peer side. In {@code mvn verify} these run once per saved input in
 * {@code src/test/resources/io/raftbed/runtime/peer/PeerCodecFuzzTestInputs/<method>/} (regression
 * mode); with {@code JAZZER_FUZZ=1} Jazzer mutates inputs and saves new findings there.
 */
class PeerCodecFuzzTest {
  /**
   * Any frame body either decodes or is rejected with {@link MalformedFrameException}; what decodes
   * re-encodes to a frame that decodes to the same value. The input gets a correct checksum, so the
   * fuzzer explores the decoder behind it rather than the checksum.
   */
  @FuzzTest(maxDuration = "30s")
  void decodedFramesReencodeToThemselves(byte[] unchecked) {
    ByteBuf body = Unpooled.buffer(unchecked.length + 4);
    CRC32C crc = new CRC32C();
    crc.update(unchecked);
    body.writeInt((int) crc.getValue()).writeBytes(unchecked);
    PeerFrame frame;
    try {
      frame = PeerCodec.decode(body);
    } catch (MalformedFrameException expected) {
      return;
    }
    ByteBuf again = Unpooled.buffer();
    switch (frame) {
      case PeerFrame.Hello h -> PeerCodec.encodeHello(h, again);
      case PeerFrame.Raft r -> PeerCodec.encode(r.message(), again);
    }
    again.readInt();
    assertEquals(frame, PeerCodec.decode(again));
  }

  /**
   * Any bytes on an accepted peer connection: nothing escapes the pipeline, nothing is delivered
   * before a valid hello or after the connection was rejected, and what is delivered is addressed
   * to this node from the peer that said hello.
   */
  @FuzzTest(maxDuration = "30s")
  void aPeerConnectionSurvivesAnyBytes(byte[] data) {
    List<Message> delivered = new ArrayList<>();
    PeerServer server = new PeerServer(1, "fuzz", Set.of(2, 3), new PeerServer.Options(64 << 10, 8, 5000),
        delivered::addAll, PeerServer.Metrics.NONE);
    EmbeddedChannel ch = new EmbeddedChannel();
    server.initPipeline(ch.pipeline());
    int half = data.length / 2;
    ch.writeInbound(Unpooled.wrappedBuffer(data, 0, half)); // two reads: exercise reassembly
    if (ch.isActive()) {
      ch.writeInbound(Unpooled.wrappedBuffer(data, half, data.length - half));
    }
    ch.runPendingTasks();
    for (Message m : delivered) {
      assertEquals(1, m.to());
      assertTrue(m.from() == 2 || m.from() == 3, m.toString());
    }
    ch.finishAndReleaseAll();
  }
}
