package io.raftbed.kv;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a {@link Request} as the bytes of a log entry, and back. Layout (big-endian):
 * {@code version:u8 kind:u8 clientId:i64 seq:i64 keyLen:u16 key[keyLen]} followed by, per kind,
 * zero to two values, each {@code len:i32 bytes[len]} with {@code len = -1} for null.
 */
public final class RequestCodec {
  public static final int VERSION = 1;
  private static final int KIND_GET = 0;
  private static final int KIND_PUT = 1;
  private static final int KIND_DELETE = 2;
  private static final int KIND_CAS = 3;

  private RequestCodec() {}

  public static byte[] encode(Request r) {
    byte[] key = r.command().key().getBytes(StandardCharsets.UTF_8);
    if (key.length > 0xffff) {
      throw new IllegalArgumentException("key longer than 65535 bytes");
    }
    byte[] v1 = null;
    byte[] v2 = null;
    int kind;
    int values;
    switch (r.command()) {
      case Command.Get g -> { kind = KIND_GET; values = 0; }
      case Command.Put p -> { kind = KIND_PUT; values = 1; v1 = p.value(); }
      case Command.Delete d -> { kind = KIND_DELETE; values = 0; }
      case Command.Cas c -> { kind = KIND_CAS; values = 2; v1 = c.expected(); v2 = c.value(); }
    }
    int size = 2 + 8 + 8 + 2 + key.length + values * 4 + length(v1) + length(v2);
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put((byte) VERSION).put((byte) kind).putLong(r.clientId()).putLong(r.seq());
    b.putShort((short) key.length).put(key);
    if (values >= 1) {
      putValue(b, v1);
    }
    if (values >= 2) {
      putValue(b, v2);
    }
    return b.array();
  }

  /** Decodes entry bytes; throws {@link IllegalArgumentException} naming what is wrong. */
  public static Request decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    try {
      int version = b.get() & 0xff;
      if (version != VERSION) {
        throw new IllegalArgumentException("unsupported request version " + version);
      }
      int kind = b.get() & 0xff;
      long clientId = b.getLong();
      long seq = b.getLong();
      byte[] keyBytes = new byte[b.getShort() & 0xffff];
      b.get(keyBytes);
      String key = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(keyBytes)).toString();
      Command c = switch (kind) {
        case KIND_GET -> new Command.Get(key);
        case KIND_PUT -> new Command.Put(key, getValue(b));
        case KIND_DELETE -> new Command.Delete(key);
        case KIND_CAS -> {
          byte[] expected = getValue(b);
          yield new Command.Cas(key, expected, getValue(b));
        }
        default -> throw new IllegalArgumentException("unknown command kind " + kind);
      };
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " trailing bytes after request");
      }
      return new Request(clientId, seq, c);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("request truncated at byte " + b.position() + " of " + data.length, e);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("key is not valid UTF-8", e);
    }
  }

  private static int length(byte[] v) {
    return v == null ? 0 : v.length;
  }

  private static void putValue(ByteBuffer b, byte[] v) {
    b.putInt(v == null ? -1 : v.length);
    if (v != null) {
      b.put(v);
    }
  }

  private static byte[] getValue(ByteBuffer b) {
    int len = b.getInt();
    if (len == -1) {
      return null;
    }
    if (len < 0 || len > b.remaining()) {
      throw new IllegalArgumentException("value length " + len + " exceeds the " + b.remaining() + " bytes left");
    }
    byte[] v = new byte[len];
    b.get(v);
    return v;
  }
}
