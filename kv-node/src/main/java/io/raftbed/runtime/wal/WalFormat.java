package io.raftbed.runtime.wal;

import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk format of the write-ahead log, version {@value #VERSION}. Big-endian throughout.
 *
 * <pre>
 * segment file   NNNNNNNNNNNNNNNN.wal (16-digit sequence number), preallocated with zeros
 *   header       magic:u64 "RBWALSEG"  version:u32  reserved:u32  seq:u64  crc32c:u32  pad:u32
 *   records      back to back from byte {@value #SEGMENT_HEADER_BYTES}; zeros after the last one
 *
 * record
 *   magic:u16 0xB7A1  kind:u8  flags:u8 (0)  payloadBytes:u32  offset:u64
 *   payload[payloadBytes]
 *   crc32c:u32 over every byte of the record before it
 *
 * payload of kind 1, an entry:       term:i64 index:i64 type:u8 data[rest]
 * payload of kind 2, a hard state:   term:i64 votedFor:i32 commitIndex:i64
 * payload of kind 3, a snapshot mark: index:i64 term:i64   (the snapshot file for index is durable)
 * </pre>
 *
 * A record stores its own offset in the segment, so a stale or misplaced block (or a record image
 * inside a stored value) never passes for a record at another position. The checksum comes last, so
 * a record is valid only once every byte of it reached the disk: a torn write fails the check.
 *
 * <p>Stateless and thread-safe.
 */
final class WalFormat {
  static final int VERSION = 1;
  static final long SEGMENT_MAGIC = 0x5242_5741_4C53_4547L; // "RBWALSEG"
  static final int SEGMENT_HEADER_BYTES = 32;
  static final short RECORD_MAGIC = (short) 0xB7A1;
  static final int RECORD_HEADER_BYTES = 16;
  static final int RECORD_OVERHEAD_BYTES = RECORD_HEADER_BYTES + 4;
  static final int KIND_ENTRY = 1;
  static final int KIND_HARD_STATE = 2;
  static final int KIND_SNAPSHOT_MARK = 3;
  static final int ENTRY_PAYLOAD_FIXED_BYTES = 8 + 8 + 1;
  static final int HARD_STATE_PAYLOAD_BYTES = 8 + 4 + 8;
  static final int MARK_PAYLOAD_BYTES = 8 + 8;

  private WalFormat() {}

  static ByteBuffer segmentHeader(long seq) {
    ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
    b.putLong(SEGMENT_MAGIC).putInt(VERSION).putInt(0).putLong(seq);
    b.putInt((int) crc(b, 0, 24)).putInt(0);
    return b.flip();
  }

  /** Returns why the header at the start of {@code segment} is invalid for {@code seq}, or null if it is valid. */
  static String checkSegmentHeader(ByteBuffer segment, long seq) {
    if (segment.limit() < SEGMENT_HEADER_BYTES) {
      return "file of " + segment.limit() + " bytes is shorter than a segment header";
    }
    if (segment.getLong(0) != SEGMENT_MAGIC) {
      return "bad segment magic";
    }
    if (segment.getInt(8) != VERSION) {
      return "unsupported segment version " + segment.getInt(8);
    }
    if ((int) crc(segment, 0, 24) != segment.getInt(24)) {
      return "segment header checksum mismatch";
    }
    if (segment.getLong(16) != seq) {
      return "header names segment " + segment.getLong(16) + " but the file name says " + seq;
    }
    return null;
  }

  static int entryRecordBytes(LogEntry e) {
    return RECORD_OVERHEAD_BYTES + ENTRY_PAYLOAD_FIXED_BYTES + e.data().length;
  }

  static int hardStateRecordBytes() {
    return RECORD_OVERHEAD_BYTES + HARD_STATE_PAYLOAD_BYTES;
  }

  static int markRecordBytes() {
    return RECORD_OVERHEAD_BYTES + MARK_PAYLOAD_BYTES;
  }

  /** Appends a mark saying that the snapshot at {@code index} of {@code term} is durable. */
  static void putSnapshotMark(ByteBuffer out, long offset, long index, long term) {
    int start = putHeader(out, KIND_SNAPSHOT_MARK, MARK_PAYLOAD_BYTES, offset);
    out.putLong(index).putLong(term);
    putCrc(out, start);
  }

  /** The {index, term} of the snapshot mark at {@code pos}, which {@link #recordBytesAt} accepted. */
  static long[] snapshotMark(ByteBuffer segment, int pos) {
    int payload = pos + RECORD_HEADER_BYTES;
    return new long[] {segment.getLong(payload), segment.getLong(payload + 8)};
  }

  /** Appends an entry record that will live at {@code offset} of its segment. */
  static void putEntry(ByteBuffer out, long offset, LogEntry e) {
    int start = putHeader(out, KIND_ENTRY, ENTRY_PAYLOAD_FIXED_BYTES + e.data().length, offset);
    out.putLong(e.term()).putLong(e.index()).put((byte) e.type().ordinal()).put(e.data());
    putCrc(out, start);
  }

  /** Appends a hard state record that will live at {@code offset} of its segment. */
  static void putHardState(ByteBuffer out, long offset, HardState hs) {
    int start = putHeader(out, KIND_HARD_STATE, HARD_STATE_PAYLOAD_BYTES, offset);
    out.putLong(hs.term()).putInt(hs.votedFor()).putLong(hs.commitIndex());
    putCrc(out, start);
  }

  private static int putHeader(ByteBuffer out, int kind, int payloadBytes, long offset) {
    int start = out.position();
    out.putShort(RECORD_MAGIC).put((byte) kind).put((byte) 0).putInt(payloadBytes).putLong(offset);
    return start;
  }

  private static void putCrc(ByteBuffer out, int start) {
    out.putInt((int) crc(out, start, out.position() - start));
  }

  /**
   * The length of the valid record at {@code pos} of {@code segment}, or -1 if there is none: wrong
   * magic, unknown kind or flags, a length that runs past the end, another offset, or a bad checksum.
   */
  static int recordBytesAt(ByteBuffer segment, int pos) {
    return whyInvalid(segment, pos) == null ? RECORD_OVERHEAD_BYTES + segment.getInt(pos + 4) : -1;
  }

  /** Why no valid record starts at {@code pos}, or null if one does. */
  static String whyInvalid(ByteBuffer segment, int pos) {
    int left = segment.limit() - pos;
    if (left < RECORD_OVERHEAD_BYTES) {
      return "only " + left + " bytes left for a record";
    }
    if (segment.getShort(pos) != RECORD_MAGIC) {
      return segment.getShort(pos) == 0 ? "zeros where a record should start" : "bad record magic";
    }
    int kind = segment.get(pos + 2);
    if (kind < KIND_ENTRY || kind > KIND_SNAPSHOT_MARK || segment.get(pos + 3) != 0) {
      return "unknown record kind " + kind + " or flags " + segment.get(pos + 3);
    }
    long payloadBytes = segment.getInt(pos + 4) & 0xffff_ffffL;
    if (payloadBytes > left - RECORD_OVERHEAD_BYTES) {
      return "record length " + payloadBytes + " runs past the end of the segment";
    }
    boolean lengthOk = switch (kind) {
      case KIND_ENTRY -> payloadBytes >= ENTRY_PAYLOAD_FIXED_BYTES;
      case KIND_HARD_STATE -> payloadBytes == HARD_STATE_PAYLOAD_BYTES;
      default -> payloadBytes == MARK_PAYLOAD_BYTES;
    };
    if (!lengthOk) {
      return "record length " + payloadBytes + " is wrong for kind " + kind;
    }
    if (segment.getLong(pos + 8) != pos) {
      return "record says it belongs at offset " + segment.getLong(pos + 8);
    }
    int covered = RECORD_HEADER_BYTES + (int) payloadBytes;
    if ((int) crc(segment, pos, covered) != segment.getInt(pos + covered)) {
      return "record checksum mismatch";
    }
    return null;
  }

  static int kind(ByteBuffer segment, int pos) {
    return segment.get(pos + 2);
  }

  /** Decodes the entry record at {@code pos}, which {@link #recordBytesAt} accepted. */
  static LogEntry entry(ByteBuffer segment, int pos) {
    int payload = pos + RECORD_HEADER_BYTES;
    int dataBytes = segment.getInt(pos + 4) - ENTRY_PAYLOAD_FIXED_BYTES;
    byte[] data = new byte[dataBytes];
    segment.get(payload + ENTRY_PAYLOAD_FIXED_BYTES, data);
    return new LogEntry(segment.getLong(payload), segment.getLong(payload + 8),
        LogEntry.Type.ofOrdinal(segment.get(payload + 16)), data);
  }

  /** Decodes the hard state record at {@code pos}, which {@link #recordBytesAt} accepted. */
  static HardState hardState(ByteBuffer segment, int pos) {
    int payload = pos + RECORD_HEADER_BYTES;
    return new HardState(segment.getLong(payload), segment.getInt(payload + 8), segment.getLong(payload + 12));
  }

  static long crc(ByteBuffer b, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b.slice(from, length));
    return crc.getValue();
  }
}
