package io.raftbed.linearizability;

import java.util.Arrays;

/**
 * An open-addressing map from long keys to int values, for the compiled models' transition
 * caches ({@code state << 32 | op -> state}). Boxed {@code Long} keys hash as
 * {@code state ^ op}, which collides for most such pairs; here keys are mixed first. Not
 * thread-safe: confined to one search thread like the models that own it.
 */
final class LongIntMap {
  /** Returned by {@link #get} for an absent key. */
  static final int ABSENT = Integer.MIN_VALUE;
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys = new long[16];
  private int[] values = new int[16];
  private int size;
  private boolean hasEmptyKey;
  private int emptyKeyValue;

  LongIntMap() {
    Arrays.fill(keys, EMPTY);
  }

  int size() {
    return size;
  }

  /** Heap held by the tables. */
  long bytes() {
    return 12L * keys.length + 64;
  }

  int get(long key) {
    if (key == EMPTY) {
      return hasEmptyKey ? emptyKeyValue : ABSENT;
    }
    int mask = keys.length - 1;
    for (int i = (int) Memo.mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
      if (keys[i] == EMPTY) {
        return ABSENT;
      }
    }
  }

  void put(long key, int value) {
    if (key == EMPTY) {
      size += hasEmptyKey ? 0 : 1;
      hasEmptyKey = true;
      emptyKeyValue = value;
      return;
    }
    if (2 * (size + 1) > keys.length) {
      resize(keys.length * 2);
    }
    int mask = keys.length - 1;
    int i = (int) Memo.mix(key) & mask;
    while (keys[i] != EMPTY && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == EMPTY) {
      size++;
    }
    keys[i] = key;
    values[i] = value;
  }

  void clear() {
    keys = new long[16];
    values = new int[16];
    Arrays.fill(keys, EMPTY);
    size = 0;
    hasEmptyKey = false;
  }

  private void resize(int capacity) {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(keys, EMPTY);
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != EMPTY) {
        int i = (int) Memo.mix(oldKeys[j]) & mask;
        while (keys[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }
}
