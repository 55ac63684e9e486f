package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of one register partition interned to ids, for {@link CompiledRegister}: equal
 * values get equal ids. Strings built by {@code append} are not materialized: such a value is a
 * node (the id it extends, the id of the appended suffix) with its length and a polynomial hash
 * of its characters (modulo 2^64), so an append costs O(1) time and memory however long the
 * string is. Equal strings still get one id: a new node is compared, character by character, with
 * the values whose hash and length it shares (only then), so ids never depend on a hash being
 * unique, and a collision costs time, not correctness.
 * Confined to one search thread.
 */
final class ValueTable {
  /** The base of the polynomial hash (odd, so its powers never vanish modulo 2^64). */
  private static final long BASE = 0x9E37_79B9_7F4A_7C15L;

  private final Map<Object, Integer> plain = new HashMap<>();
  /** Per id: the plain value, or null for an appended node. */
  private final List<Object> values = new ArrayList<>();
  /** Per id, for strings: hash and length; for appended nodes also what they extend and append. */
  private long[] hash = new long[16];
  private int[] length = new int[16];
  private int[] prefix = new int[16];
  private int[] suffix = new int[16];
  /** Per id: the next id with the same (hash, length) bucket, or -1. */
  private int[] nextInBucket = new int[16];
  private final LongIntMap buckets = new LongIntMap();
  private long bytes;

  int size() {
    return values.size();
  }

  long bytes() {
    return bytes + buckets.bytes() + 28L * hash.length;
  }

  /** The id of a plain value (strings are matched with appended nodes of the same content). */
  int intern(Object value) {
    if (value instanceof String s) {
      long h = 0;
      for (int i = 0; i < s.length(); i++) {
        h = addChar(h, s.charAt(i));
      }
      int found = find(h, s.length(), s);
      if (found >= 0) {
        return found;
      }
      int id = add(s, h, s.length(), -1, -1);
      bytes += 48 + 2L * s.length();
      return id;
    }
    Integer id = plain.get(value);
    if (id == null) {
      id = add(value, 0, -1, -1, -1);
      plain.put(value, id);
      bytes += 64 + Values.approxBytes(value);
    }
    return id;
  }

  /**
   * The id of the string {@code base} (a string or nil, which counts as "") followed by the string
   * {@code appended}.
   *
   * @throws IllegalArgumentException if either is not a string
   */
  int append(int base, int appended) {
    if (length[appended] < 0 || (length[base] < 0 && values.get(base) != null)) {
      throw new IllegalArgumentException(":append needs string values, got " + Values.toEdn(value(base))
          + " + " + Values.toEdn(value(appended)));
    }
    if (length[base] < 0) {
      return appended; // nil + s = s
    }
    long h = hash[base] * pow(length[appended]) + hash[appended];
    int len = length[base] + length[appended];
    int found = find(h, len, null, base, appended);
    return found >= 0 ? found : add(null, h, len, base, appended);
  }

  /** The value of an id; appended strings are built (O(length)). */
  Object value(int id) {
    return length[id] >= 0 && values.get(id) == null ? text(id) : values.get(id);
  }

  private String text(int id) {
    StringBuilder sb = new StringBuilder(length[id]);
    appendText(sb, id);
    return sb.toString();
  }

  private void appendText(StringBuilder sb, int id) {
    // Iterative on the prefix chain (it can be as long as the history), recursive on suffixes (plain strings).
    int[] chain = new int[16];
    int n = 0;
    int at = id;
    while (values.get(at) == null) {
      chain = n == chain.length ? Arrays.copyOf(chain, 2 * n) : chain;
      chain[n++] = suffix[at];
      at = prefix[at];
    }
    sb.append((String) values.get(at));
    for (int i = n - 1; i >= 0; i--) {
      sb.append((String) values.get(chain[i]));
    }
  }

  private int find(long h, int len, String s) {
    return find(h, len, s, -1, -1);
  }

  /** An id with hash {@code h}, length {@code len} and the content of {@code s} or of base + appended. */
  private int find(long h, int len, String s, int base, int appended) {
    int id = buckets.get(bucket(h, len));
    if (id == LongIntMap.ABSENT) {
      return -1;
    }
    String content = null;
    for (; id >= 0; id = nextInBucket[id]) {
      if (hash[id] == h && length[id] == len) {
        content = content != null ? content : s != null ? s : text(base) + value(appended);
        if (content.equals(value(id))) {
          return id;
        }
      }
    }
    return -1;
  }

  private int add(Object value, long h, int len, int base, int appended) {
    int id = values.size();
    if (id == hash.length) {
      int cap = 2 * id;
      hash = Arrays.copyOf(hash, cap);
      length = Arrays.copyOf(length, cap);
      prefix = Arrays.copyOf(prefix, cap);
      suffix = Arrays.copyOf(suffix, cap);
      nextInBucket = Arrays.copyOf(nextInBucket, cap);
    }
    values.add(value);
    hash[id] = h;
    length[id] = len;
    prefix[id] = base;
    suffix[id] = appended;
    nextInBucket[id] = -1;
    bytes += 8;
    if (len >= 0) {
      long b = bucket(h, len);
      int head = buckets.get(b);
      nextInBucket[id] = head == LongIntMap.ABSENT ? -1 : head;
      buckets.put(b, id);
    }
    return id;
  }

  private static long bucket(long h, int len) {
    return h * 31 + len;
  }

  private static long addChar(long h, char c) {
    return h * BASE + c;
  }

  private static long pow(int exponent) {
    long result = 1;
    long b = BASE;
    for (int e = exponent; e > 0; e >>= 1) {
      result = (e & 1) != 0 ? result * b : result;
      b = b * b;
    }
    return result;
  }
}
