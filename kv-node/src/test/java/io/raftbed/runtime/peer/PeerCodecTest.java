package io.raftbed.runtime.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerCodecTest {
  static final List<Message> EVERY_KIND = List.of(
      new Message.RequestVote(1, 2, 7, 40, 6, true, false),
      new Message.RequestVote(3, 2, 8, 0, 0, false, true),
      new Message.VoteResponse(2, 1, 7, true, true),
      new Message.VoteResponse(2, 1, 7, false, false),
      new Message.AppendEntries(1, 3, 9, 10, 8, List.of(
          new LogEntry(8, 11, LogEntry.Type.COMMAND, new byte[] {1, 2, 3}),
          LogEntry.noop(9, 12),
          new LogEntry(9, 13, LogEntry.Type.CONFIG, new byte[0])), 11),
      new Message.AppendEntries(1, 3, 9, 0, 0, List.of(), 0),
      new Message.AppendResponse(3, 1, 9, true, 13, 0, 8),
      new Message.AppendResponse(3, 1, 9, false, 10, 4, 0),
      new Message.Heartbeat(1, 2, 9, 12, 5),
      new Message.HeartbeatResponse(2, 1, 9, 5, 13),
      new Message.InstallSnapshot(1, 2, 9, 100, 8, Membership.ofVoters(List.of(1, 2, 3)).withLearner(4, "h:1"),
          10, 4, new byte[] {5, 6, 7}),
      new Message.SnapshotResponse(2, 1, 9, 100, 7, false),
      new Message.SnapshotResponse(2, 1, 9, 100, 10, true),
      new Message.TimeoutNow(1, 3, 9));

  /** Encodes and strips the length prefix, as the frame decoder does. */
  static ByteBuf body(Message m) {
    ByteBuf out = Unpooled.buffer();
    PeerCodec.encode(m, out);
    assertEquals(PeerCodec.frameBytes(m), out.readableBytes(), "frameBytes predicts the size of " + m);
    assertEquals(out.readableBytes() - PeerCodec.LENGTH_BYTES, out.readInt(), "length prefix of " + m);
    return out;
  }

  @Test
  void everyMessageKindRoundTrips() {
    for (Message m : EVERY_KIND) {
      PeerFrame decoded = PeerCodec.decode(body(m));
      assertEquals(new PeerFrame.Raft(m), decoded);
    }
  }

  @Test
  void helloRoundTrips() {
    ByteBuf out = Unpooled.buffer();
    PeerCodec.encodeHello(new PeerFrame.Hello("prod-east", 2, 3, "127.0.0.1:9082|http://127.0.0.1:8082"), out);
    out.readInt();
    assertEquals(new PeerFrame.Hello("prod-east", 2, 3, "127.0.0.1:9082|http://127.0.0.1:8082"), PeerCodec.decode(out));
  }

  @Test
  void everySingleBitFlipIsDetected() {
    for (Message m : EVERY_KIND) {
      byte[] bytes = new byte[body(m).readableBytes()];
      body(m).readBytes(bytes);
      for (int i = 0; i < bytes.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] copy = bytes.clone();
          copy[i] ^= (byte) (1 << bit);
          String what = "flip of bit " + bit + " of byte " + i + " in " + m;
          assertThrows(MalformedFrameException.class, () -> PeerCodec.decode(Unpooled.wrappedBuffer(copy)), what);
        }
      }
    }
  }

  @Test
  void truncatedAndPaddedFramesAreRejected() {
    Message m = EVERY_KIND.get(4);
    ByteBuf full = body(m);
    byte[] bytes = new byte[full.readableBytes()];
    full.readBytes(bytes);
    for (int len = 0; len < bytes.length; len++) {
      ByteBuf cut = Unpooled.wrappedBuffer(bytes, 0, len);
      assertThrows(MalformedFrameException.class, () -> PeerCodec.decode(cut), "truncated to " + len);
    }
    ByteBuf padded = Unpooled.buffer();
    PeerCodec.encode(m, padded);
    padded.writeByte(0);
    padded.setInt(0, padded.readableBytes() - 4);
    padded.setInt(4, (int) PeerCodec.crc32c(padded, 8, padded.readableBytes() - 8)); // a valid checksum
    padded.readInt();
    MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> PeerCodec.decode(padded));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
  }

  @Test
  void anotherVersionIsRejectedByName() {
    ByteBuf frame = Unpooled.buffer();
    PeerCodec.encode(EVERY_KIND.get(0), frame);
    int other = PeerCodec.VERSION + 1;
    frame.setByte(8, other);
    frame.setInt(4, (int) PeerCodec.crc32c(frame, 8, frame.readableBytes() - 8));
    frame.readInt();
    MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> PeerCodec.decode(frame));
    assertTrue(e.getMessage().contains("version " + other), e.getMessage());
  }

  @Test
  void entriesWithDecreasingTermsAreRejected() {
    Message bad = new Message.AppendEntries(1, 2, 5, 3, 4, List.of(
        new LogEntry(4, 4, LogEntry.Type.COMMAND, new byte[0]), new LogEntry(3, 5, LogEntry.Type.COMMAND,
            new byte[0])), 0);
    assertThrows(MalformedFrameException.class, () -> PeerCodec.decode(body(bad)));
  }
}
