package io.raftbed.kv;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated key-value state machine: put, get, delete and compare-and-set, with client
 * sessions so that a retried request is applied once and answered with its first result
 * (dissertation §6.3).
 *
 * <p>Deterministic: every replica that applies the same commands in the same order reaches the same
 * state, including which sessions it keeps. Not thread-safe; the node's thread owns it.
 */
public final class KvStateMachine {
  /** The last request applied for a client session and its result. */
  private record Session(long seq, Result result) {}

  /** Keys have stable String hashes, so iteration order is deterministic. */
  private final Map<String, byte[]> data = new HashMap<>();
  /** Sessions in least-recently-used order; the eldest is evicted beyond {@code sessionsMax}. */
  private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>();
  private final int sessionsMax;
  private long appliedIndex;
  private long dataBytes;

  public KvStateMachine(int sessionsMax) {
    if (sessionsMax < 1) {
      throw new IllegalArgumentException("sessionsMax must be positive");
    }
    this.sessionsMax = sessionsMax;
  }

  /** Applies the request committed at {@code index}; indexes must increase. */
  public Result apply(long index, Request request) {
    if (index <= appliedIndex) {
      throw new IllegalStateException("apply " + index + " after " + appliedIndex);
    }
    appliedIndex = index;
    if (!request.hasSession()) {
      return execute(request.command());
    }
    Session s = sessions.get(request.clientId());
    if (s != null && request.seq() <= s.seq()) {
      // A duplicate: the first result stands. An older one was superseded by the client.
      return request.seq() == s.seq() ? s.result() : Result.STALE_REQUEST;
    }
    Result r = execute(request.command());
    sessions.remove(request.clientId());
    sessions.put(request.clientId(), new Session(request.seq(), r));
    if (sessions.size() > sessionsMax) {
      Long eldest = sessions.keySet().iterator().next();
      sessions.remove(eldest);
    }
    return r;
  }

  /** Records that a non-command entry (a no-op or configuration) was applied at {@code index}. */
  public void skip(long index) {
    if (index <= appliedIndex) {
      throw new IllegalStateException("skip " + index + " after " + appliedIndex);
    }
    appliedIndex = index;
  }

  /** Reads a key from local state: linearizable only when the caller made sure it is up to date. */
  public Result read(String key) {
    return Result.value(data.get(key));
  }

  private Result execute(Command c) {
    return switch (c) {
      case Command.Get g -> Result.value(data.get(g.key()));
      case Command.Put p -> {
        store(p.key(), p.value());
        yield Result.OK;
      }
      case Command.Delete d -> {
        byte[] old = data.remove(d.key());
        if (old != null) {
          dataBytes -= old.length + d.key().length();
        }
        yield old == null ? Result.NOT_FOUND : Result.OK;
      }
      case Command.Cas cas -> {
        byte[] current = data.get(cas.key());
        if (!Arrays.equals(current, cas.expected())) {
          yield Result.casMismatch(current);
        }
        if (cas.value() == null) {
          data.remove(cas.key());
          if (current != null) {
            dataBytes -= current.length + cas.key().length();
          }
        } else {
          store(cas.key(), cas.value());
        }
        yield Result.OK;
      }
    };
  }

  private void store(String key, byte[] value) {
    byte[] old = data.put(key, value);
    dataBytes += value.length - (old == null ? -key.length() : old.length);
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  public int size() {
    return data.size();
  }

  /** Approximate bytes of keys (UTF-16 length) and values held. */
  public long dataBytes() {
    return dataBytes;
  }

  public int sessionCount() {
    return sessions.size();
  }

  public boolean containsKey(String key) {
    return data.containsKey(key);
  }

  // ---------------------------------------------------------------- snapshots

  private static final int SNAPSHOT_VERSION = 1;

  /**
   * The whole state as bytes: applied index, keys in sorted order, and sessions in LRU order, so
   * that equal states give equal bytes. Layout: {@code version:u8 applied:i64 keys:i32 (key value)*
   * sessions:i32 (clientId seq status value)*}, strings and byte arrays length-prefixed.
   */
  public byte[] snapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(SNAPSHOT_VERSION);
      out.writeLong(appliedIndex);
      out.writeInt(data.size());
      for (Map.Entry<String, byte[]> e : new TreeMap<>(data).entrySet()) {
        writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, e.getValue());
      }
      out.writeInt(sessions.size());
      for (Map.Entry<Long, Session> e : sessions.entrySet()) {
        out.writeLong(e.getKey());
        out.writeLong(e.getValue().seq());
        out.writeByte(e.getValue().result().status().ordinal());
        writeBytes(out, e.getValue().result().value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return bytes.toByteArray();
  }

  /** Replaces the whole state with a {@link #snapshot()}; throws {@link IllegalArgumentException} on bad bytes. */
  public void restore(byte[] snapshot) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(snapshot))) {
      int version = in.readUnsignedByte();
      if (version != SNAPSHOT_VERSION) {
        throw new IllegalArgumentException("unsupported snapshot version " + version);
      }
      long applied = in.readLong();
      Map<String, byte[]> newData = new HashMap<>();
      long bytes = 0;
      int keys = in.readInt();
      for (int i = 0; i < keys; i++) {
        String key = new String(readBytes(in), StandardCharsets.UTF_8);
        byte[] value = readBytes(in);
        newData.put(key, value);
        bytes += key.length() + value.length;
      }
      LinkedHashMap<Long, Session> newSessions = new LinkedHashMap<>();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        long client = in.readLong();
        long seq = in.readLong();
        Result.Status status = Result.Status.ofOrdinal(in.readUnsignedByte());
        newSessions.put(client, new Session(seq, new Result(status, readBytes(in))));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException(in.available() + " trailing bytes in snapshot");
      }
      data.clear();
      data.putAll(newData);
      sessions.clear();
      sessions.putAll(newSessions);
      appliedIndex = applied;
      dataBytes = bytes;
    } catch (IOException e) {
      throw new IllegalArgumentException("snapshot is truncated or malformed: " + e.getMessage(), e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b == null ? -1 : b.length);
    if (b != null) {
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len == -1) {
      return null;
    }
    if (len < 0 || len > in.available()) {
      throw new IOException("length " + len + " exceeds the " + in.available() + " bytes left");
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }
}
