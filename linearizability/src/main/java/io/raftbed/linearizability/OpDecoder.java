package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns the fields of one operation map (EDN or JSON) into an {@link Op}, and assembles the
 * history with line numbers for errors. Stateless helpers; safe from any thread.
 */
final class OpDecoder {
  private OpDecoder() {}

  /**
   * Decodes an operation from its fields ({@code field.apply("process")} etc.).
   *
   * @return the op, or null for events of a non-client process such as {@code :nemesis}
   */
  static Op decode(Function<String, Object> field, boolean hasKey, int position, String source, int line)
      throws HistoryFormatException {
    Object process = field.apply("process");
    if (process == null) {
      throw new HistoryFormatException(source, line, "an operation needs a :process, found none");
    }
    if (!(process instanceof Long p)) {
      return null; // :nemesis and other non-client processes
    }
    OpType type = OpType.parse(name(field.apply("type"), "type", source, line));
    if (type == null) {
      throw new HistoryFormatException(source, line, ":type must be :invoke, :ok, :fail or :info, found "
          + Values.toEdn(field.apply("type")));
    }
    String f = name(field.apply("f"), "f", source, line);
    long index = integer(field.apply("index"), "index", position, source, line);
    long time = integer(field.apply("time"), "time", Op.NO_TIME, source, line);
    Object key = hasKey ? field.apply("key") : null;
    return new Op(index, p, type, f, key, field.apply("value"), time);
  }

  private static String name(Object value, String field, String source, int line) throws HistoryFormatException {
    if (value instanceof Keyword k) {
      return k.name();
    }
    if (value instanceof String s && !s.isEmpty()) {
      return s.startsWith(":") ? s.substring(1) : s;
    }
    if (value instanceof EdnReader.Symbol s) {
      return s.name();
    }
    if (value == null) {
      throw new HistoryFormatException(source, line, "an operation needs a :" + field + ", found none");
    }
    throw new HistoryFormatException(source, line, ":" + field + " must be a keyword, found " + Values.toEdn(value));
  }

  private static long integer(Object value, String field, long absent, String source, int line)
      throws HistoryFormatException {
    if (value == null) {
      return absent;
    }
    if (value instanceof Long l) {
      return l;
    }
    throw new HistoryFormatException(source, line, ":" + field + " must be an integer, found " + Values.toEdn(value));
  }

  /**
   * Rewrites Jepsen {@code independent} tuples ({@code :value [key value]}) into keyed ops if every
   * op is in that form: every value a 2-element vector, every cas value {@code [k [from to]]}, and no
   * transaction's first element a vector (that is a micro-operation, not a key).
   * An unkeyed read invocation has a nil value, so ordinary register histories never qualify.
   */
  static List<Op> untuple(List<Op> ops) {
    if (ops.isEmpty()) {
      return ops;
    }
    for (Op op : ops) {
      if (op.key() != null || !(op.value() instanceof List<?> l) || l.size() != 2) {
        return ops;
      }
      if (Functions.isCas(op.f()) && l.get(1) != null && !(l.get(1) instanceof List<?>)) {
        return ops;
      }
      if (op.f().equalsIgnoreCase("txn") && l.get(0) instanceof List<?>) {
        return ops; // a transaction of two micro-operations, [[:read :x nil] [:write :y 2]]
      }
    }
    List<Op> out = new ArrayList<>(ops.size());
    for (Op op : ops) {
      List<?> l = (List<?>) op.value();
      out.add(new Op(op.index(), op.process(), op.type(), op.f(), l.get(0), l.get(1), op.timeNanos()));
    }
    return out;
  }

  /** Builds the history, naming the line of the first ill-formed event. */
  static History history(List<Op> ops, List<Integer> lines, String source) throws HistoryFormatException {
    String problem = History.firstProblem(ops);
    if (problem != null) {
      int event = Integer.parseInt(problem.substring("event ".length(), problem.indexOf(':')));
      throw new HistoryFormatException(source, lines.get(event), problem.substring(problem.indexOf(':') + 2));
    }
    return History.of(ops);
  }
}
