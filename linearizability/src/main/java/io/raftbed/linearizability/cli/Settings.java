package io.raftbed.linearizability.cli;

import io.raftbed.linearizability.FailSemantics;
import io.raftbed.linearizability.Histories;
import io.raftbed.linearizability.History;
import io.raftbed.linearizability.HistoryFormat;
import io.raftbed.linearizability.Model;
import io.raftbed.linearizability.Models;
import io.raftbed.linearizability.NilReads;
import io.raftbed.linearizability.Op;
import io.raftbed.linearizability.Values;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How one file is checked: the command line's explicit choices, else what the file suggests.
 * Immutable.
 *
 * <ul>
 *   <li>model: from the operation names: {@code multi-register} (Knossos' transactions) for
 *       {@code :txn}, {@code mutex} for acquire/release, {@code set} for add, {@code kv} for
 *       get/put/append; a queue (enqueue/dequeue) must be named, as FIFO and unordered differ;
 *       else {@code multi-register} (a cas register per key) if keyed, else {@code cas-register};</li>
 *   <li>initial value: "" for kv (porcupine's convention), else nil;</li>
 *   <li>fail semantics: as recorded in the file's first line ({@link Histories#writeEdn(History,
 *       FailSemantics, java.nio.file.Path)}), else a failed cas happened in Jepsen logs (etcd), else a
 *       failure did not happen;</li>
 *   <li>nil reads: unknown (Knossos' convention) for unkeyed EDN registers and for transactions,
 *       else an absent value.</li>
 * </ul>
 */
record Settings(HistoryFormat format, String modelName, Object initial, FailSemantics failSemantics,
        NilReads nilReads, boolean transactions) {

  /**
   * @throws IllegalArgumentException if the model cannot be told from the file and was not given
   */
  static Settings resolve(CheckArgs cmd, HistoryFormat format, History history, FailSemantics recorded) {
    Set<String> functions = functions(history);
    boolean transactions = functions.contains("txn");
    String model = cmd.model != null ? cmd.model : autoModel(functions, history.isKeyed());
    Object initial = cmd.initial != null ? cmd.initialValue() : model.equals("kv") ? "" : null;
    FailSemantics fail = switch (cmd.failSemantics) {
      case "auto" -> recorded != null ? recorded
          : format == HistoryFormat.JEPSEN_LOG ? FailSemantics.CAS_FAIL_HAPPENED : FailSemantics.NOT_HAPPENED;
      case "cas-fail-happened" -> FailSemantics.CAS_FAIL_HAPPENED;
      default -> FailSemantics.NOT_HAPPENED;
    };
    NilReads nil = switch (cmd.nilReads) {
      case "auto" -> (format == HistoryFormat.EDN && !history.isKeyed()
          && (model.equals("register") || model.equals("cas-register")))
          || (model.equals("multi-register") && transactions) ? NilReads.UNKNOWN : NilReads.ABSENT;
      case "unknown" -> NilReads.UNKNOWN;
      default -> NilReads.ABSENT;
    };
    return new Settings(format, model, initial, fail, nil, transactions);
  }

  private static Set<String> functions(History history) {
    Set<String> out = new HashSet<>();
    for (Op op : history.ops()) {
      out.add(op.f().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static String autoModel(Set<String> f, boolean keyed) {
    if (f.contains("enqueue") || f.contains("dequeue")) {
      throw new IllegalArgumentException("a queue history: choose --model fifo-queue or --model unordered-queue");
    }
    return f.contains("txn") ? "multi-register"
        : f.contains("acquire") || f.contains("release") ? "mutex"
        : f.contains("add") ? "set"
        : f.contains("get") || f.contains("put") || f.contains("append") ? "kv"
        : keyed ? "multi-register" : "cas-register";
  }

  /**
   * @throws IllegalArgumentException if the initial value does not suit the model
   */
  Model<?> model() {
    return Models.byName(modelName, initial, nilReads, transactions);
  }

  String describe() {
    return "format " + format.cliName() + ", model " + modelName + ", initial " + Values.toEdn(initial)
        + ", fail semantics " + failSemantics.name().toLowerCase(Locale.ROOT).replace('_', '-')
        + ", nil reads " + nilReads.name().toLowerCase(Locale.ROOT);
  }
}
