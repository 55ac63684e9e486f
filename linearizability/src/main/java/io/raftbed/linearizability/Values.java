package io.raftbed.linearizability;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Canonical forms of operation values, so that equal values are {@code equals}: integers become
 * {@link Long} (or {@link BigInteger} when they do not fit), collections become unmodifiable
 * lists. Stateless; safe from any thread.
 *
 * <p>Type tests are {@code instanceof} chains, not pattern {@code switch}es: the first run of a
 * pattern switch generates a class at run time (tens of milliseconds), and every
 * {@code raftbed check} of a small file would pay that.
 */
public final class Values {
  private Values() {}

  /** Returns the canonical form of {@code value} (null stays null). */
  public static Object normalize(Object value) {
    if (value == null || value instanceof Long || value instanceof String) {
      return value;
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Short sh) {
      return sh.longValue();
    }
    if (value instanceof Byte b) {
      return b.longValue();
    }
    if (value instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (value instanceof List<?> list) {
      return normalizeList(list);
    }
    if (value instanceof Object[] array) {
      return normalizeList(List.of(array));
    }
    return value;
  }

  private static List<Object> normalizeList(List<?> list) {
    List<Object> out = new ArrayList<>(list.size());
    for (Object o : list) {
      out.add(normalize(o));
    }
    return Collections.unmodifiableList(out);
  }

  /** Longest rendering {@link #abbreviate} keeps whole. */
  public static final int ABBREVIATE_CHARS = 160;

  /**
   * {@code text} if it has at most {@link #ABBREVIATE_CHARS} characters, else its start and end
   * around an ellipsis and its length: long states (a long appended string, a big set) would make
   * a counterexample of many steps grow with the square of the history.
   */
  public static String abbreviate(String text) {
    if (text.length() <= ABBREVIATE_CHARS) {
      return text;
    }
    int half = ABBREVIATE_CHARS / 2 - 10;
    return text.substring(0, half) + " … " + text.substring(text.length() - half)
        + " (" + text.length() + " chars)";
  }

  /**
   * An upper bound of the heap a normalized value holds (strings, boxed numbers, collections),
   * for memory budgets. Shared substructure is counted each time it is reached.
   */
  public static long approxBytes(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof String str) {
      return 48 + 2L * str.length();
    }
    if (value instanceof Keyword k) {
      return 32 + approxBytes(k.name());
    }
    if (value instanceof BigInteger b) {
      return 48 + b.bitLength() / 8;
    }
    if (value instanceof Map<?, ?> map) {
      long sum = 64 + 48L * map.size();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sum += approxBytes(e.getKey()) + approxBytes(e.getValue());
      }
      return sum;
    }
    if (value instanceof java.util.Collection<?> items) {
      long sum = items instanceof Set ? 64 + 48L * items.size() : 32 + 8L * items.size();
      for (Object o : items) {
        sum += approxBytes(o);
      }
      return sum;
    }
    return 32;
  }

  /**
   * Parses one EDN value, e.g. {@code 0}, {@code nil}, {@code "x"}, {@code [1 2]}; a bare symbol
   * is returned as its name (a String).
   *
   * @throws IllegalArgumentException if {@code text} is not exactly one EDN value
   */
  public static Object fromEdn(String text) {
    try {
      EdnReader in = new EdnReader(text, "value");
      Object value = in.read();
      if (value == EdnReader.EOF || in.peek() >= 0) {
        throw new IllegalArgumentException("one EDN value expected, found '" + text + "'");
      }
      return value instanceof EdnReader.Symbol s ? s.name() : value;
    } catch (EdnReader.Failure e) {
      throw new IllegalArgumentException(e.unwrap().getMessage(), e);
    }
  }

  /** Renders a value the way EDN writes it: {@code nil}, {@code 3}, {@code "s"}, {@code [1 2]}. */
  public static String toEdn(Object value) {
    StringBuilder sb = new StringBuilder();
    appendEdn(sb, value);
    return sb.toString();
  }

  static void appendEdn(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("nil");
    } else if (value instanceof String str) {
      appendString(sb, str);
    } else if (value instanceof List<?> list) {
      appendSeq(sb, "[", list, "]");
    } else if (value instanceof Set<?> set) {
      appendSeq(sb, "#{", set, "}");
    } else if (value instanceof Map<?, ?> map) {
      appendMap(sb, map);
    } else if (value instanceof BigInteger b) {
      sb.append(b).append('N');
    } else if (value instanceof Character c) {
      sb.append('\\').append(c);
    } else {
      sb.append(value); // numbers, keywords (":name"), booleans
    }
  }

  private static void appendSeq(StringBuilder sb, String open, Iterable<?> items, String close) {
    sb.append(open);
    boolean first = true;
    for (Object o : items) {
      if (!first) {
        sb.append(' ');
      }
      first = false;
      appendEdn(sb, o);
    }
    sb.append(close);
  }

  private static void appendMap(StringBuilder sb, Map<?, ?> map) {
    sb.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      appendEdn(sb, e.getKey());
      sb.append(' ');
      appendEdn(sb, e.getValue());
    }
    sb.append('}');
  }

  private static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    sb.append('"');
  }
}
