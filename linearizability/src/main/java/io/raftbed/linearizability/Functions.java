package io.raftbed.linearizability;

import java.util.Locale;

/**
 * The operation names ({@code :f}) the built-in models understand, with their aliases.
 * Stateless; safe to use from any thread.
 */
enum Functions {
  READ, WRITE, CAS, APPEND, DELETE;

  /** The function {@code f} names, or null if no built-in model knows it. */
  static Functions parse(String f) {
    return switch (f.toLowerCase(Locale.ROOT)) {
      case "read", "get", "r" -> READ;
      case "write", "put", "w", "set" -> WRITE;
      case "cas", "compare-and-set" -> CAS;
      case "append" -> APPEND;
      case "delete", "del", "remove" -> DELETE;
      default -> null;
    };
  }

  static boolean isCas(String f) {
    return parse(f) == CAS;
  }
}
