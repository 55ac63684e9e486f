package io.raftbed.linearizability;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reader of EDN text with line tracking, enough for Jepsen histories: nil, booleans, integers
 * (Long, or BigInteger with {@code N} or when too large), floats, strings, characters, keywords
 * ({@link Keyword}), symbols ({@link Symbol}), vectors and lists (unmodifiable {@code List}),
 * maps ({@code LinkedHashMap}), sets, tagged literals ({@link Tagged}), comments and {@code #_}.
 * Errors are {@link HistoryFormatException}s naming the source and line. Not thread-safe.
 */
final class EdnReader {
  /** An EDN symbol other than nil/true/false. */
  record Symbol(String name) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A tagged literal such as {@code #inst "2020-01-01"}. */
  record Tagged(String tag, Object value) {
    @Override
    public String toString() {
      return "#" + tag + " " + Values.toEdn(value);
    }
  }

  /** Returned by {@link #read} at the end of input. */
  static final Object EOF = new Object();

  private static final Object CLOSE = new Object();

  private final String text;
  private final String source;
  private final int lineOffset;
  private int pos;
  private int line = 1;

  EdnReader(String text, String source) {
    this(text, source, 0);
  }

  /** A reader of a fragment that starts on line {@code lineOffset + 1} of {@code source}. */
  EdnReader(String text, String source, int lineOffset) {
    this.text = text;
    this.source = source;
    this.lineOffset = lineOffset;
  }

  /** The current line (1-based, in the source). */
  int line() {
    return line + lineOffset;
  }

  /** Skips whitespace, commas and comments; returns the next character or -1 at the end. */
  int peek() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
      } else if (c == ',' || Character.isWhitespace(c)) {
        pos++;
      } else if (c == ';') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '#' && pos + 1 < text.length() && text.charAt(pos + 1) == '_') {
        pos += 2;
        read();
      } else {
        return c;
      }
    }
    return -1;
  }

  /** Consumes one character (after {@link #peek}). */
  void skip() {
    pos++;
  }

  HistoryFormatException error(String message) {
    return new HistoryFormatException(source, line(), message);
  }

  /** The next form, or {@link #EOF}. */
  Object read() {
    Object form = readForm();
    if (form == CLOSE) {
      throw unchecked(error("unexpected '" + text.charAt(pos - 1) + "'"));
    }
    return form;
  }

  private Object readForm() {
    int c = peek();
    if (c < 0) {
      return EOF;
    }
    pos++;
    return switch (c) {
      case '[', '(' -> readSeq(c == '[' ? ']' : ')');
      case ']', ')', '}' -> CLOSE;
      case '{' -> readMap();
      case '"' -> readString();
      case '\\' -> readChar();
      case ':' -> new Keyword(token());
      case '#' -> readDispatch();
      default -> {
        pos--;
        yield atom(token());
      }
    };
  }

  private List<Object> readSeq(char close) {
    int startLine = line();
    List<Object> items = new ArrayList<>();
    while (true) {
      if (peek() < 0) {
        throw unchecked(new HistoryFormatException(source, startLine, "'" + close + "' expected to close the collection opened here"));
      }
      if (text.charAt(pos) == close) {
        pos++;
        return Collections.unmodifiableList(items);
      }
      Object form = readForm();
      if (form == CLOSE) {
        throw unchecked(error("'" + close + "' expected, found '" + text.charAt(pos - 1) + "'"));
      }
      items.add(form);
    }
  }

  private Map<Object, Object> readMap() {
    List<Object> items = readSeq('}');
    if (items.size() % 2 != 0) {
      throw unchecked(error("a map needs an even number of forms, found " + items.size()));
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i += 2) {
      map.put(items.get(i), items.get(i + 1));
    }
    return map;
  }

  private Object readDispatch() {
    if (pos < text.length() && text.charAt(pos) == '{') {
      pos++;
      Set<Object> set = new LinkedHashSet<>(readSeq('}'));
      return Collections.unmodifiableSet(set);
    }
    String tag = token();
    if (tag.isEmpty()) {
      throw unchecked(error("a tag or '{' expected after '#'"));
    }
    Object value = read();
    if (value == EOF) {
      throw unchecked(error("a value expected after #" + tag));
    }
    return new Tagged(tag, value);
  }

  private String readString() {
    // Fast path: no escape and no newline before the closing quote (long kv values are the bulk of some files).
    int close = text.indexOf('"', pos);
    if (close >= 0) {
      boolean plain = true;
      for (int i = pos; i < close && plain; i++) {
        char c = text.charAt(i);
        plain = c != '\\' && c != '\n';
      }
      if (plain) {
        String s = text.substring(pos, close);
        pos = close + 1;
        return s;
      }
    }
    StringBuilder sb = new StringBuilder();
    int startLine = line();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\n') {
        line++;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw unchecked(error("four hex digits expected after \\u"));
          }
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> sb.append(e);
      }
    }
    throw unchecked(new HistoryFormatException(source, startLine, "unterminated string"));
  }

  private Character readChar() {
    String t = token();
    if (t.isEmpty() && pos < text.length()) {
      return text.charAt(pos++);
    }
    return switch (t) {
      case "newline" -> '\n';
      case "space" -> ' ';
      case "tab" -> '\t';
      case "return" -> '\r';
      default -> {
        if (t.length() == 1) {
          yield t.charAt(0);
        }
        throw unchecked(error("unknown character literal \\" + t));
      }
    };
  }

  /** Characters up to the next delimiter. */
  private String token() {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c) || c == ',' || "[](){}\";".indexOf(c) >= 0) {
        break;
      }
      pos++;
    }
    return text.substring(start, pos);
  }

  private Object atom(String t) {
    switch (t) {
      case "nil":
        return null;
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        break;
    }
    char c0 = t.charAt(0);
    boolean numeric = Character.isDigit(c0)
        || ((c0 == '-' || c0 == '+') && t.length() > 1 && Character.isDigit(t.charAt(1)));
    return numeric ? number(t) : new Symbol(t);
  }

  private Object number(String t) {
    try {
      if (t.endsWith("N")) {
        return Values.normalize(new BigInteger(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("M")) {
        return new BigDecimal(t.substring(0, t.length() - 1));
      }
      if (t.contains(".") || t.contains("e") || t.contains("E")) {
        return Double.parseDouble(t);
      }
      if (t.contains("/")) {
        return new Symbol(t); // a ratio; kept as text
      }
      return Values.normalize(new BigInteger(t.startsWith("+") ? t.substring(1) : t));
    } catch (NumberFormatException e) {
      throw unchecked(error("malformed number '" + t + "'"));
    }
  }

  /** Wraps the checked format exception for the recursive descent; {@link #unwrap} restores it. */
  static RuntimeException unchecked(HistoryFormatException e) {
    return new Failure(e);
  }

  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(HistoryFormatException cause) {
      super(cause.getMessage(), cause, false, false);
    }

    HistoryFormatException unwrap() {
      return (HistoryFormatException) getCause();
    }
  }
}
