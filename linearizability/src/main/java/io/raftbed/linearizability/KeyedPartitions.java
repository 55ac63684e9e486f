package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Helpers shared by the built-in object models: partitioning by key (Jepsen's {@code independent}
 * histories: one object per key) and reading operation names. Stateless.
 */
final class KeyedPartitions {
  private KeyedPartitions() {}

  /** Groups operations by key in order of first appearance; an unkeyed history is one partition. */
  static List<List<Operation>> byKey(List<Operation> operations) {
    Map<Object, List<Operation>> byKey = new LinkedHashMap<>();
    for (Operation op : operations) {
      byKey.computeIfAbsent(op.key() == null ? NO_KEY : op.key(), k -> new ArrayList<>()).add(op);
    }
    return List.copyOf(byKey.values());
  }

  /** Stands for the null key of unkeyed operations in a map. */
  private static final Object NO_KEY = new Object();

  /** The operation's name in lower case, without a leading colon. */
  static String f(Operation op) {
    String f = op.f().toLowerCase(Locale.ROOT);
    return f.startsWith(":") ? f.substring(1) : f;
  }

  /** The error for an operation a model does not know. */
  static IllegalArgumentException unsupported(Model<?> model, Operation op, String supported) {
    return new IllegalArgumentException("model " + model.name() + " does not support :f :" + op.f()
        + " (operation " + op + "); it supports " + supported);
  }
}
