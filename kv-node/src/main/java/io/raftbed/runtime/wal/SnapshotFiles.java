package io.raftbed.runtime.wal;

import io.raftbed.node.Storage.StorageException;
import io.raftbed.raft.Membership;
import io.raftbed.raft.Snapshot;
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
import java.util.zip.CRC32C;

/**
 * State machine snapshots as files next to the log, {@code snapshot-<index, 20 digits>.snap}:
 *
 * <pre>
 *   magic:u64 "RBSNAPSH"  version:u32 (1)  reserved:u32  index:i64  term:i64
 *   membershipBytes:u32  dataBytes:u32  membership[...]  data[...]
 *   crc32c:u32 over every byte before it
 * </pre>
 *
 * A snapshot is written to a temporary file, fsynced, renamed into place and the directory fsynced,
 * so a file with the final name is always whole; a crash leaves at most a {@code .tmp} file, which
 * recovery deletes. Stateless; the callers decide the thread (a background one: files are big).
 */
final class SnapshotFiles {
  static final long MAGIC = 0x5242_534E_4150_5348L; // "RBSNAPSH"
  static final int VERSION = 1;
  private static final int HEADER_BYTES = 8 + 4 + 4 + 8 + 8 + 4 + 4;
  private static final String PREFIX = "snapshot-";
  private static final String SUFFIX = ".snap";

  private SnapshotFiles() {}

  static Path pathOf(Path dir, long index) {
    return dir.resolve(String.format("%s%020d%s", PREFIX, index, SUFFIX));
  }

  /** Writes {@code s} durably: temp file, fsync, rename, directory fsync. */
  static void write(Path dir, Snapshot s) throws IOException {
    byte[] membership = s.membership().encode();
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putLong(MAGIC).putInt(VERSION).putInt(0).putLong(s.index()).putLong(s.term())
        .putInt(membership.length).putInt(s.data().length).flip();
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate());
    crc.update(membership);
    crc.update(s.data());
    ByteBuffer trailer = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
    Path target = pathOf(dir, s.index());
    Path temp = dir.resolve(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      long pos = 0;
      for (ByteBuffer b : new ByteBuffer[] {header, ByteBuffer.wrap(membership), ByteBuffer.wrap(s.data()), trailer}) {
        int bytes = b.remaining();
        WalSegment.writeFully(ch, b, pos);
        pos += bytes;
      }
      ch.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    WalSegment.fsyncDirectory(dir);
  }

  /** Reads and checks one snapshot file; throws {@link StorageException} naming it if it is damaged. */
  static Snapshot read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all);
    String problem = null;
    if (all.length < HEADER_BYTES + 4 || b.getLong(0) != MAGIC || b.getInt(8) != VERSION) {
      problem = "not a version " + VERSION + " snapshot";
    } else {
      long expected = HEADER_BYTES + (b.getInt(32) & 0xffff_ffffL) + (b.getInt(36) & 0xffff_ffffL) + 4;
      if (expected != all.length) {
        problem = "length " + all.length + " but the header says " + expected;
      } else {
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if ((int) crc.getValue() != b.getInt(all.length - 4)) {
          problem = "checksum mismatch";
        }
      }
    }
    if (problem != null) {
      throw new StorageException("corrupt snapshot " + file + ": " + problem + "; refusing to start (the log"
          + " before it may have been compacted away)");
    }
    byte[] membership = new byte[b.getInt(32)];
    byte[] data = new byte[b.getInt(36)];
    b.position(HEADER_BYTES).get(membership).get(data);
    try {
      return new Snapshot(b.getLong(16), b.getLong(24), Membership.decode(membership), data);
    } catch (IllegalArgumentException e) {
      throw new StorageException("invalid snapshot " + file + ": " + e.getMessage(), e);
    }
  }

  /** Snapshot files in {@code dir}, oldest first; deletes leftover temporary files. */
  static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(PREFIX) && name.endsWith(SUFFIX + ".tmp")) {
          Files.delete(p); // a save a crash interrupted; the snapshot before it still stands
        } else if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** The index a snapshot file's name says it covers. */
  static long indexOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }
}
