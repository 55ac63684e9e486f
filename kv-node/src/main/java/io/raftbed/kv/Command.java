package io.raftbed.kv;

import java.util.Arrays;

/**
 * An operation on the key-value store. Keys are strings (UTF-8 on the wire), values raw bytes.
 * Commands are immutable; callers must not modify the arrays they pass in.
 */
public sealed interface Command {
  String key();

  /** Reads a key; linearizable through ReadIndex, or stale from local state on request. */
  record Get(String key) implements Command {}

  /** Sets a key. */
  record Put(String key, byte[] value) implements Command {
    @Override
    public boolean equals(Object o) {
      return o instanceof Put p && p.key.equals(key) && Arrays.equals(p.value, value);
    }

    @Override
    public int hashCode() {
      return key.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Put[" + key + "=" + Bytes.show(value) + "]";
    }
  }

  /** Removes a key; succeeds whether or not it existed. */
  record Delete(String key) implements Command {}

  /**
   * Sets {@code key} to {@code value} if it currently holds {@code expected}; a null
   * {@code expected} means "only if absent".
   */
  record Cas(String key, byte[] expected, byte[] value) implements Command {
    @Override
    public boolean equals(Object o) {
      return o instanceof Cas c && c.key.equals(key) && Arrays.equals(c.expected, expected)
          && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return (key.hashCode() * 31 + Arrays.hashCode(expected)) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Cas[" + key + " " + Bytes.show(expected) + "->" + Bytes.show(value) + "]";
    }
  }

  /** Whether this command changes state and so must go through the log. */
  default boolean isWrite() {
    return !(this instanceof Get);
  }
}
