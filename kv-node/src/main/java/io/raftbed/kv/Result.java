package io.raftbed.kv;

import java.util.Arrays;

/**
 * The outcome of a command applied to the state machine.
 *
 * @param status what happened
 * @param value for {@code Get}: the value read (null when absent); for a failed {@code Cas}: the
 *     current value (null when absent); otherwise null
 */
public record Result(Status status, byte[] value) {

  /** Ordinals are part of the wire format: append only. */
  public enum Status {
    /** The command took effect (or, for a read, found the key). */
    OK,
    /** A read or delete found no such key. */
    NOT_FOUND,
    /** A compare-and-set found a different value; nothing changed. */
    CAS_MISMATCH,
    /** A retry of a request older than the client's latest; it was not applied. */
    STALE_REQUEST;

    private static final Status[] VALUES = values();

    public static Status ofOrdinal(int ordinal) {
      if (ordinal < 0 || ordinal >= VALUES.length) {
        throw new IllegalArgumentException("unknown result status " + ordinal);
      }
      return VALUES[ordinal];
    }
  }

  public static final Result OK = new Result(Status.OK, null);
  public static final Result NOT_FOUND = new Result(Status.NOT_FOUND, null);
  public static final Result STALE_REQUEST = new Result(Status.STALE_REQUEST, null);

  public static Result value(byte[] v) {
    return v == null ? NOT_FOUND : new Result(Status.OK, v);
  }

  public static Result casMismatch(byte[] current) {
    return new Result(Status.CAS_MISMATCH, current);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Result r && r.status == status && Arrays.equals(r.value, value);
  }

  @Override
  public int hashCode() {
    return status.ordinal() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return value == null ? status.name() : status + "(" + Bytes.show(value) + ")";
  }
}
