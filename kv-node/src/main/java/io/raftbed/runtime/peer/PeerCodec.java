package io.raftbed.runtime.peer;

import io.netty.buffer.ByteBuf;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.Message;
import io.raftbed.raft.Message.AppendEntries;
import io.raftbed.raft.Message.AppendResponse;
import io.raftbed.raft.Message.Heartbeat;
import io.raftbed.raft.Message.HeartbeatResponse;
import io.raftbed.raft.Message.InstallSnapshot;
import io.raftbed.raft.Message.RequestVote;
import io.raftbed.raft.Message.SnapshotResponse;
import io.raftbed.raft.Message.TimeoutNow;
import io.raftbed.raft.Message.VoteResponse;
import io.raftbed.raft.Membership;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The peer wire format, version {@value #VERSION}. Every frame is
 *
 * <pre>
 *   length:u32   bytes that follow, at most the receiver's frame limit
 *   crc32c:u32   over everything after this field
 *   version:u8   {@value #VERSION}
 *   kind:u8      0 hello, 1 RequestVote, 2 VoteResponse, 3 AppendEntries, 4 AppendResponse,
 *                5 Heartbeat, 6 HeartbeatResponse, 7 InstallSnapshot, 8 SnapshotResponse,
 *                9 TimeoutNow
 *   payload      per kind, big-endian, see the encode methods
 * </pre>
 *
 * Raft messages start with {@code from:i32 to:i32 term:i64}. Entries of an AppendEntries carry no
 * index: entry {@code i} has index {@code prevLogIndex + 1 + i}, so contiguity holds by construction.
 * Decoding checks the checksum first, then every field's range, and rejects trailing bytes: a frame
 * either decodes to a valid value or throws {@link MalformedFrameException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class PeerCodec {
  public static final int VERSION = 3;
  /** Bytes of the length prefix. */
  public static final int LENGTH_BYTES = 4;
  public static final int CLUSTER_ID_BYTES_MAX = 255;
  /** Longest address a hello announces, in UTF-8 bytes. */
  public static final int ADDRESS_BYTES_MAX = 512;
  /** "RBPR": guards against a client of some other protocol that happens to pass the checksum. */
  static final int HELLO_MAGIC = 0x52425052;

  private static final int KIND_HELLO = 0;
  private static final int KIND_REQUEST_VOTE = 1;
  private static final int KIND_VOTE_RESPONSE = 2;
  private static final int KIND_APPEND_ENTRIES = 3;
  private static final int KIND_APPEND_RESPONSE = 4;
  private static final int KIND_HEARTBEAT = 5;
  private static final int KIND_HEARTBEAT_RESPONSE = 6;
  private static final int KIND_INSTALL_SNAPSHOT = 7;
  private static final int KIND_SNAPSHOT_RESPONSE = 8;
  private static final int KIND_TIMEOUT_NOW = 9;
  /** Smallest encoding of one entry: term, type and data length. */
  private static final int ENTRY_BYTES_MIN = 8 + 1 + 4;

  private PeerCodec() {}

  // ---------------------------------------------------------------- encoding

  /**
   * Appends one whole frame (length prefix included) for {@code hello} to {@code out}. Layout:
   * {@code magic:i32 clusterLen:u8 cluster from:i32 to:i32 addressLen:u16 address} (version 3 added
   * the address).
   */
  public static void encodeHello(PeerFrame.Hello hello, ByteBuf out) {
    byte[] cluster = hello.clusterId().getBytes(StandardCharsets.UTF_8);
    if (cluster.length > CLUSTER_ID_BYTES_MAX) {
      throw new IllegalArgumentException("cluster id longer than " + CLUSTER_ID_BYTES_MAX + " bytes");
    }
    byte[] address = hello.address().getBytes(StandardCharsets.UTF_8);
    if (address.length > ADDRESS_BYTES_MAX) {
      throw new IllegalArgumentException("hello address longer than " + ADDRESS_BYTES_MAX + " bytes");
    }
    int start = beginFrame(out, KIND_HELLO);
    out.writeInt(HELLO_MAGIC).writeByte(cluster.length).writeBytes(cluster);
    out.writeInt(hello.from()).writeInt(hello.to());
    out.writeShort(address.length).writeBytes(address);
    endFrame(out, start);
  }

  /** Appends one whole frame (length prefix included) for {@code m} to {@code out}. */
  public static void encode(Message m, ByteBuf out) {
    int start = beginFrame(out, kindOf(m));
    out.writeInt(m.from()).writeInt(m.to()).writeLong(m.term());
    switch (m) {
      case RequestVote rv -> out.writeLong(rv.lastLogIndex()).writeLong(rv.lastLogTerm())
          .writeByte(flags(rv.preVote(), rv.transfer()));
      case VoteResponse vr -> out.writeByte(flags(vr.granted(), vr.preVote()));
      case AppendEntries ae -> {
        out.writeLong(ae.prevLogIndex()).writeLong(ae.prevLogTerm()).writeLong(ae.leaderCommit());
        out.writeInt(ae.entries().size());
        for (LogEntry e : ae.entries()) {
          out.writeLong(e.term()).writeByte(e.type().ordinal()).writeInt(e.data().length).writeBytes(e.data());
        }
      }
      case AppendResponse ar -> out.writeByte(flags(ar.success(), false)).writeLong(ar.index())
          .writeLong(ar.rejectHint()).writeLong(ar.logTerm());
      case Heartbeat hb -> out.writeLong(hb.commit()).writeLong(hb.readRound());
      case HeartbeatResponse hr -> out.writeLong(hr.readRound()).writeLong(hr.lastIndex());
      case InstallSnapshot is -> {
        byte[] membership = is.membership().encode();
        out.writeLong(is.index()).writeLong(is.snapshotTerm()).writeLong(is.totalBytes()).writeLong(is.offset());
        out.writeInt(membership.length).writeBytes(membership);
        out.writeInt(is.chunk().length).writeBytes(is.chunk());
      }
      case SnapshotResponse sr -> out.writeLong(sr.index()).writeLong(sr.nextOffset())
          .writeByte(flags(sr.done(), false));
      case TimeoutNow tn -> { }
    }
    endFrame(out, start);
  }

  /** Exhaustive over the sealed {@link Message}: a new message type does not compile until it has a kind. */
  private static int kindOf(Message m) {
    return switch (m) {
      case RequestVote rv -> KIND_REQUEST_VOTE;
      case VoteResponse vr -> KIND_VOTE_RESPONSE;
      case AppendEntries ae -> KIND_APPEND_ENTRIES;
      case AppendResponse ar -> KIND_APPEND_RESPONSE;
      case Heartbeat hb -> KIND_HEARTBEAT;
      case HeartbeatResponse hr -> KIND_HEARTBEAT_RESPONSE;
      case InstallSnapshot is -> KIND_INSTALL_SNAPSHOT;
      case SnapshotResponse sr -> KIND_SNAPSHOT_RESPONSE;
      case TimeoutNow tn -> KIND_TIMEOUT_NOW;
    };
  }

  /** Bytes {@link #encode} will write for {@code m}, for sizing buffers. */
  public static int frameBytes(Message m) {
    int payload = switch (m) {
      case RequestVote rv -> 17;
      case VoteResponse vr -> 1;
      case AppendEntries ae -> {
        int bytes = 28;
        for (LogEntry e : ae.entries()) {
          bytes += ENTRY_BYTES_MIN + e.data().length;
        }
        yield bytes;
      }
      case AppendResponse ar -> 25;
      case Heartbeat hb -> 16;
      case HeartbeatResponse hr -> 16;
      case InstallSnapshot is -> 40 + is.membership().encode().length + is.chunk().length;
      case SnapshotResponse sr -> 17;
      case TimeoutNow tn -> 0;
    };
    return LENGTH_BYTES + 4 + 2 + 16 + payload;
  }

  private static int beginFrame(ByteBuf out, int kind) {
    int start = out.writerIndex();
    out.writeInt(0).writeInt(0); // length and checksum, filled in by endFrame
    out.writeByte(VERSION).writeByte(kind);
    return start;
  }

  private static void endFrame(ByteBuf out, int start) {
    int checked = start + LENGTH_BYTES + 4;
    int checkedBytes = out.writerIndex() - checked;
    out.setInt(start, out.writerIndex() - start - LENGTH_BYTES);
    out.setInt(start + LENGTH_BYTES, (int) crc32c(out, checked, checkedBytes));
  }

  private static int flags(boolean bit0, boolean bit1) {
    return (bit0 ? 1 : 0) | (bit1 ? 2 : 0);
  }

  static long crc32c(ByteBuf buf, int index, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buf.nioBuffer(index, length));
    return crc.getValue();
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Decodes one frame without its length prefix (as {@code LengthFieldBasedFrameDecoder} hands it
   * over). Reads all of {@code body}; does not release it.
   */
  public static PeerFrame decode(ByteBuf body) {
    if (body.readableBytes() < 6) {
      throw new MalformedFrameException("frame of " + body.readableBytes() + " bytes is shorter than its header");
    }
    long expected = body.readUnsignedInt();
    long actual = crc32c(body, body.readerIndex(), body.readableBytes());
    if (expected != actual) {
      throw new MalformedFrameException("frame checksum mismatch: stored " + Long.toHexString(expected)
          + ", computed " + Long.toHexString(actual));
    }
    int version = body.readUnsignedByte();
    if (version != VERSION) {
      throw new MalformedFrameException("unsupported peer protocol version " + version + " (this node speaks "
          + VERSION + ")");
    }
    int kind = body.readUnsignedByte();
    try {
      PeerFrame frame = kind == KIND_HELLO ? decodeHello(body) : new PeerFrame.Raft(decodeMessage(kind, body));
      if (body.isReadable()) {
        throw new MalformedFrameException(body.readableBytes() + " trailing bytes after a frame of kind " + kind);
      }
      return frame;
    } catch (IndexOutOfBoundsException e) {
      throw new MalformedFrameException("frame of kind " + kind + " is truncated", e);
    } catch (IllegalArgumentException e) {
      throw new MalformedFrameException("frame of kind " + kind + " has an invalid value: " + e.getMessage(), e);
    }
  }

  private static PeerFrame.Hello decodeHello(ByteBuf in) {
    int magic = in.readInt();
    if (magic != HELLO_MAGIC) {
      throw new MalformedFrameException("hello has bad magic " + Integer.toHexString(magic));
    }
    byte[] cluster = new byte[in.readUnsignedByte()];
    in.readBytes(cluster);
    int from = positive(in.readInt(), "from");
    int to = positive(in.readInt(), "to");
    int addressBytes = in.readUnsignedShort();
    if (addressBytes > ADDRESS_BYTES_MAX) {
      throw new MalformedFrameException("hello address of " + addressBytes + " bytes exceeds " + ADDRESS_BYTES_MAX);
    }
    byte[] address = new byte[addressBytes];
    in.readBytes(address);
    return new PeerFrame.Hello(new String(cluster, StandardCharsets.UTF_8), from, to,
        new String(address, StandardCharsets.UTF_8));
  }

  private static Message decodeMessage(int kind, ByteBuf in) {
    int from = positive(in.readInt(), "from");
    int to = positive(in.readInt(), "to");
    long term = nonNegative(in.readLong(), "term");
    return switch (kind) {
      case KIND_REQUEST_VOTE -> {
        long lastIndex = nonNegative(in.readLong(), "lastLogIndex");
        long lastTerm = nonNegative(in.readLong(), "lastLogTerm");
        int flags = flagsByte(in);
        yield new RequestVote(from, to, term, lastIndex, lastTerm, (flags & 1) != 0, (flags & 2) != 0);
      }
      case KIND_VOTE_RESPONSE -> {
        int flags = flagsByte(in);
        yield new VoteResponse(from, to, term, (flags & 1) != 0, (flags & 2) != 0);
      }
      case KIND_APPEND_ENTRIES -> decodeAppend(from, to, term, in);
      case KIND_APPEND_RESPONSE -> {
        int flags = flagsByte(in);
        if ((flags & 2) != 0) {
          throw new MalformedFrameException("unknown flag bits " + flags + " in AppendResponse");
        }
        yield new AppendResponse(from, to, term, flags == 1, nonNegative(in.readLong(), "index"),
            nonNegative(in.readLong(), "rejectHint"), nonNegative(in.readLong(), "logTerm"));
      }
      case KIND_HEARTBEAT -> new Heartbeat(from, to, term, nonNegative(in.readLong(), "commit"),
          nonNegative(in.readLong(), "readRound"));
      case KIND_HEARTBEAT_RESPONSE -> new HeartbeatResponse(from, to, term, nonNegative(in.readLong(), "readRound"),
          nonNegative(in.readLong(), "lastIndex"));
      case KIND_INSTALL_SNAPSHOT -> decodeSnapshotChunk(from, to, term, in);
      case KIND_SNAPSHOT_RESPONSE -> {
        long index = nonNegative(in.readLong(), "index");
        long nextOffset = nonNegative(in.readLong(), "nextOffset");
        int flags = flagsByte(in);
        if ((flags & 2) != 0) {
          throw new MalformedFrameException("unknown flag bits " + flags + " in SnapshotResponse");
        }
        yield new SnapshotResponse(from, to, term, index, nextOffset, flags == 1);
      }
      case KIND_TIMEOUT_NOW -> new TimeoutNow(from, to, term);
      default -> throw new MalformedFrameException("unknown frame kind " + kind);
    };
  }

  private static InstallSnapshot decodeSnapshotChunk(int from, int to, long term, ByteBuf in) {
    long index = nonNegative(in.readLong(), "index");
    long snapshotTerm = nonNegative(in.readLong(), "snapshotTerm");
    long total = nonNegative(in.readLong(), "totalBytes");
    long offset = nonNegative(in.readLong(), "offset");
    byte[] membership = new byte[boundedLength(in, "membership")];
    in.readBytes(membership);
    byte[] chunk = new byte[boundedLength(in, "chunk")];
    in.readBytes(chunk);
    if (offset + chunk.length > total || snapshotTerm > term) {
      throw new MalformedFrameException("snapshot chunk " + offset + "+" + chunk.length + " of " + total
          + " bytes, term " + snapshotTerm + " in term " + term + " is inconsistent");
    }
    return new InstallSnapshot(from, to, term, index, snapshotTerm, Membership.decode(membership), total, offset,
        chunk);
  }

  private static int boundedLength(ByteBuf in, String name) {
    int length = in.readInt();
    if (length < 0 || length > in.readableBytes()) {
      throw new MalformedFrameException(name + " length " + length + " exceeds the " + in.readableBytes()
          + " bytes left");
    }
    return length;
  }

  private static AppendEntries decodeAppend(int from, int to, long term, ByteBuf in) {
    long prevIndex = nonNegative(in.readLong(), "prevLogIndex");
    long prevTerm = nonNegative(in.readLong(), "prevLogTerm");
    long commit = nonNegative(in.readLong(), "leaderCommit");
    int count = in.readInt();
    if (count < 0 || count > in.readableBytes() / ENTRY_BYTES_MIN) {
      throw new MalformedFrameException("entry count " + count + " does not fit the " + in.readableBytes()
          + " bytes left");
    }
    List<LogEntry> entries = new ArrayList<>(count);
    long previousTerm = prevTerm;
    for (int i = 0; i < count; i++) {
      long entryTerm = in.readLong();
      if (entryTerm < previousTerm || entryTerm > term) {
        throw new MalformedFrameException("entry " + (prevIndex + 1 + i) + " has term " + entryTerm
            + " outside [" + previousTerm + ", " + term + "]");
      }
      LogEntry.Type type = LogEntry.Type.ofOrdinal(in.readUnsignedByte());
      int length = in.readInt();
      if (length < 0 || length > in.readableBytes()) {
        throw new MalformedFrameException("entry data length " + length + " exceeds the " + in.readableBytes()
            + " bytes left");
      }
      byte[] data = new byte[length];
      in.readBytes(data);
      entries.add(new LogEntry(entryTerm, prevIndex + 1 + i, type, data));
      previousTerm = entryTerm;
    }
    return new AppendEntries(from, to, term, prevIndex, prevTerm, entries, commit);
  }

  private static int flagsByte(ByteBuf in) {
    int flags = in.readUnsignedByte();
    if ((flags & ~3) != 0) {
      throw new MalformedFrameException("unknown flag bits " + flags);
    }
    return flags;
  }

  private static int positive(int value, String name) {
    if (value <= 0) {
      throw new MalformedFrameException(name + " must be a positive node id, got " + value);
    }
    return value;
  }

  private static long nonNegative(long value, String name) {
    if (value < 0) {
      throw new MalformedFrameException(name + " must not be negative, got " + value);
    }
    return value;
  }
}
