package io.raftbed.chaos.nemesis;

import io.raftbed.chaos.scenario.FaultSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Damages the write-ahead log of a stopped node, by the log's documented format (segment files
 * {@code NNNNNNNNNNNNNNNN.wal} preallocated with zeros; a 32-byte header; records back to back, each
 * {@code magic:u16 0xB7A1 kind:u8 flags:u8 payloadBytes:u32 offset:u64 payload crc32c:u32}; see
 * {@code WalFormat} in kv-node). Only the layout is read here, never the node's code: the nemesis
 * must not trust what it tests.
 *
 * <p>Before damaging, the segment is copied aside so that {@link #restore} can put it back (after a
 * node refused to start on mid-log corruption, as it must).
 */
public final class WalDamage {
  private static final int SEGMENT_HEADER_BYTES = 32;
  private static final short RECORD_MAGIC = (short) 0xB7A1;
  private static final int RECORD_HEADER_BYTES = 16;
  private static final int CRC_BYTES = 4;

  /** A record's place in a segment: [start, end). */
  record Record(int start, int end) {}

  /** What was done, and how to undo it. */
  public record Damage(Path segment, Path backup, String detail) {}

  private WalDamage() {}

  /** Damages the log under {@code walDir}; returns what was done. Throws if there is nothing to damage. */
  public static Damage apply(Path walDir, FaultSpec.WalDamage kind) throws IOException {
    List<Path> segments = segments(walDir);
    // The last segment holding records: recovery's "tail".
    for (int i = segments.size() - 1; i >= 0; i--) {
      Path seg = segments.get(i);
      List<Record> records = records(Files.readAllBytes(seg));
      if (records.isEmpty()) {
        continue;
      }
      if (kind == FaultSpec.WalDamage.CORRUPT_MIDDLE && records.size() < 2) {
        continue; // need a valid record after the damaged one; try an earlier segment
      }
      Path backup = seg.resolveSibling(seg.getFileName() + ".before-damage");
      Files.copy(seg, backup, StandardCopyOption.REPLACE_EXISTING);
      Record last = records.get(records.size() - 1);
      String detail = switch (kind) {
        case TRUNCATE_TAIL -> {
          // A torn write: the record's first half reached the disk, the rest is still the zeros
          // the segment was preallocated with.
          int from = last.start() + (last.end() - last.start()) / 2;
          write(seg, from, new byte[last.end() - from]);
          yield "zeroed bytes " + from + ".." + last.end() + " (the second half of the last of " + records.size()
              + " records) of " + seg.getFileName();
        }
        case CORRUPT_TAIL -> {
          int at = last.start() + RECORD_HEADER_BYTES;
          write(seg, at, flipped(seg, at, Math.min(8, last.end() - CRC_BYTES - at)));
          yield "flipped bytes from " + at + " in the last of " + records.size() + " records of " + seg.getFileName();
        }
        case CORRUPT_MIDDLE -> {
          Record victim = records.get(records.size() / 2 - (records.size() % 2 == 0 ? 1 : 0));
          int at = victim.start() + RECORD_HEADER_BYTES;
          write(seg, at, flipped(seg, at, 1));
          yield "flipped the byte at " + at + " in record " + (records.indexOf(victim) + 1) + " of " + records.size()
              + " of " + seg.getFileName() + " (valid records follow it)";
        }
      };
      return new Damage(seg, backup, detail);
    }
    throw new IOException("no segment under " + walDir + " holds " + (kind == FaultSpec.WalDamage.CORRUPT_MIDDLE
        ? "two records" : "a record") + " to damage");
  }

  /** Puts the damaged segment back as it was. */
  public static void restore(Damage d) throws IOException {
    Files.move(d.backup(), d.segment(), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Forgets the backup (the node recovered from the damage by itself). */
  public static void discard(Damage d) throws IOException {
    Files.deleteIfExists(d.backup());
  }

  static List<Path> segments(Path walDir) throws IOException {
    if (!Files.isDirectory(walDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(walDir)) {
      return files.filter(p -> p.getFileName().toString().matches("\\d{16}\\.wal")).sorted().toList();
    }
  }

  /** The records of a segment, in order, up to the first place that does not start a record. */
  static List<Record> records(byte[] segment) {
    List<Record> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(segment);
    int at = SEGMENT_HEADER_BYTES;
    while (at + RECORD_HEADER_BYTES + CRC_BYTES <= segment.length && b.getShort(at) == RECORD_MAGIC) {
      long payload = Integer.toUnsignedLong(b.getInt(at + 4));
      long end = at + RECORD_HEADER_BYTES + payload + CRC_BYTES;
      if (end > segment.length || b.getLong(at + 8) != at) {
        break;
      }
      out.add(new Record(at, (int) end));
      at = (int) end;
    }
    return out;
  }

  private static byte[] flipped(Path seg, int at, int count) throws IOException {
    byte[] bytes = new byte[Math.max(1, count)];
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
      ch.read(ByteBuffer.wrap(bytes), at);
    }
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] ^= (byte) 0x5A;
    }
    return bytes;
  }

  private static void write(Path seg, int at, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), at);
      ch.force(true);
    }
  }
}
