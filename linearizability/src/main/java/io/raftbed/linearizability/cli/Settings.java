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
import java.util.Locale;
import java.util.Set;

/**
 * How one file is checked: the command line's explicit choices, else what the file suggests.
 * Immutable.
 *
 * <ul>
 *   <li>model: {@code kv} if the history uses get/put/append, else {@code multi-register} if it is
 *       keyed, else {@code cas-register};</li>
 *   <li>initial value: "" for kv (porcupine's convention), else nil;</li>
 *   <li>fail semantics: as recorded in the file's first line ({@link Histories#writeEdn(History,
 *       FailSemantics, java.nio.file.Path)}), else a failed cas happened in Jepsen logs (etcd), else a
 *       failure did not happen;</li>
 *   <li>nil reads: unknown (Knossos' convention) for unkeyed EDN registers, else an absent value.</li>
 * </ul>
 */
record Settings(HistoryFormat format, String modelName, Object initial, FailSemantics failSemantics,
        NilReads nilReads) {

  static Settings resolve(CheckCommand cmd, HistoryFormat format, History history, FailSemantics recorded) {
    String model = cmd.model != null ? cmd.model : autoModel(history);
    Object initial = cmd.initial != null ? cmd.initialValue() : model.equals("kv") ? "" : null;
    FailSemantics fail = switch (cmd.failSemantics) {
      case "auto" -> recorded != null ? recorded
          : format == HistoryFormat.JEPSEN_LOG ? FailSemantics.CAS_FAIL_HAPPENED : FailSemantics.NOT_HAPPENED;
      case "cas-fail-happened" -> FailSemantics.CAS_FAIL_HAPPENED;
      default -> FailSemantics.NOT_HAPPENED;
    };
    NilReads nil = switch (cmd.nilReads) {
      case "auto" -> format == HistoryFormat.EDN && !history.isKeyed()
          && (model.equals("register") || model.equals("cas-register")) ? NilReads.UNKNOWN : NilReads.ABSENT;
      case "unknown" -> NilReads.UNKNOWN;
      default -> NilReads.ABSENT;
    };
    return new Settings(format, model, initial, fail, nil);
  }

  private static String autoModel(History history) {
    boolean kv = false;
    for (Op op : history.ops()) {
      String f = op.f().toLowerCase(Locale.ROOT);
      kv |= Set.of("get", "put", "append").contains(f);
    }
    return kv ? "kv" : history.isKeyed() ? "multi-register" : "cas-register";
  }

  Model<?> model() {
    return Models.byName(modelName, initial, nilReads);
  }

  String describe() {
    return "format " + format.cliName() + ", model " + modelName + ", initial " + Values.toEdn(initial)
        + ", fail semantics " + failSemantics.name().toLowerCase(Locale.ROOT).replace('_', '-')
        + ", nil reads " + nilReads.name().toLowerCase(Locale.ROOT);
  }
}
