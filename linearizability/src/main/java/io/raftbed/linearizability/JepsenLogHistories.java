package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jepsen's log lines, as in Porcupine's etcd histories:
 * {@code INFO  jepsen.util - 3	:invoke	:cas	[1 4]}. The number after the dash is the process,
 * then the type, f and an EDN value, separated by tabs or spaces. Lines that are not operation
 * events (other log output, nemesis events) are skipped. Stateless; thread-safe.
 *
 * <p>In this format a {@code :fail :cas} is a compare-and-set that happened and returned false:
 * check these histories with {@link FailSemantics#CAS_FAIL_HAPPENED}.
 */
final class JepsenLogHistories {
  /** Process, type, f, and the rest of the line (the value). */
  static final Pattern EVENT = Pattern.compile(
      "jepsen\\.util\\s+-\\s+(\\S+)\\s+:(invoke|ok|fail|info)\\s+:?([^\\s\\[\\]{}()\"]+)\\s*(.*)$");

  private JepsenLogHistories() {}

  static History read(String text, String source) throws HistoryFormatException {
    List<Op> ops = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    String[] rows = text.split("\n", -1);
    for (int i = 0; i < rows.length; i++) {
      Matcher m = EVENT.matcher(rows[i]);
      if (!m.find() || !m.group(1).matches("-?\\d+")) {
        continue;
      }
      int line = i + 1;
      long process = Long.parseLong(m.group(1));
      OpType type = OpType.parse(m.group(2));
      Object value = parseValue(m.group(4).strip(), source, line);
      ops.add(new Op(ops.size(), process, type, m.group(3), null, value, Op.NO_TIME));
      lines.add(line);
    }
    return OpDecoder.history(ops, lines, source);
  }

  private static Object parseValue(String text, String source, int line) throws HistoryFormatException {
    if (text.isEmpty()) {
      return null;
    }
    try {
      EdnReader in = new EdnReader(text, source, line - 1);
      Object value = in.read();
      if (in.peek() >= 0) {
        throw new HistoryFormatException(source, line, "one EDN value expected after the :f, found '" + text + "'");
      }
      return value;
    } catch (EdnReader.Failure e) {
      throw new HistoryFormatException(source, line, "an EDN value (nil, a number, [from to], :timed-out) expected after the :f, found '"
          + text + "'");
    }
  }
}
