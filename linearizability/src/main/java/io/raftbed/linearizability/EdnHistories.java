package io.raftbed.linearizability;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jepsen EDN histories: one vector (or list) of operation maps, or one map per line, as Knossos
 * reads them. Keys may be given as {@code :key} (porcupine kv) or as Jepsen {@code independent}
 * {@code [key value]} tuples; keyed histories are written as tuples. Stateless; thread-safe.
 */
final class EdnHistories {
  private EdnHistories() {}

  static History read(String text, String source) throws HistoryFormatException {
    try {
      return parse(text, source);
    } catch (EdnReader.Failure e) {
      throw e.unwrap();
    }
  }

  private static History parse(String text, String source) throws HistoryFormatException {
    EdnReader in = new EdnReader(text, source);
    List<Op> ops = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    int first = in.peek();
    if (first == '[' || first == '(') {
      char close = first == '[' ? ']' : ')';
      in.skip();
      while (true) {
        int c = in.peek();
        if (c < 0) {
          throw in.error("'" + close + "' expected to close the history");
        }
        if (c == close) {
          in.skip();
          break;
        }
        addOp(in, ops, lines, source);
      }
      if (in.peek() >= 0) {
        throw in.error("end of file expected after the history vector");
      }
    } else {
      while (in.peek() >= 0) {
        addOp(in, ops, lines, source);
      }
    }
    return OpDecoder.history(OpDecoder.untuple(ops), lines, source);
  }

  private static void addOp(EdnReader in, List<Op> ops, List<Integer> lines, String source)
      throws HistoryFormatException {
    int line = in.line();
    Object form = in.read();
    if (!(form instanceof Map<?, ?> map)) {
      throw new HistoryFormatException(source, line, "an operation map {:process .., :type .., :f .., :value ..} expected, found "
          + Values.toEdn(form));
    }
    boolean hasKey = map.containsKey(new Keyword("key"));
    Op op = OpDecoder.decode(k -> map.get(new Keyword(k)), hasKey, ops.size(), source, line);
    if (op != null) {
      ops.add(op.index() < 0 ? op.withIndex(ops.size()) : op);
      lines.add(line);
    }
  }

  static void write(History history, Writer out) throws IOException {
    out.write('[');
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < history.size(); i++) {
      Op op = history.get(i);
      sb.setLength(0);
      sb.append(i == 0 ? "" : " ").append("{:process ").append(op.process())
          .append(", :type :").append(op.type().keywordName())
          .append(", :f :").append(op.f())
          .append(", :value ");
      Values.appendEdn(sb, op.key() == null ? op.value() : java.util.Arrays.asList(op.key(), op.value()));
      if (op.hasTime()) {
        sb.append(", :time ").append(op.timeNanos());
      }
      sb.append(", :index ").append(op.index()).append('}');
      sb.append(i == history.size() - 1 ? "" : "\n");
      out.write(sb.toString());
    }
    out.write("]\n");
  }
}
