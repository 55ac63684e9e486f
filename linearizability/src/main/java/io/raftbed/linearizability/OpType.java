package io.raftbed.linearizability;

/**
 * The type of a Jepsen history event: an invocation or one of the three ways it can complete.
 *
 * <ul>
 *   <li>{@link #INVOKE}: a client started the operation;</li>
 *   <li>{@link #OK}: it happened, with the completion's value as its result;</li>
 *   <li>{@link #FAIL}: it did not happen (Jepsen/Knossos), unless {@link FailSemantics} says otherwise;</li>
 *   <li>{@link #INFO}: indeterminate: it may have happened at any time after its invocation, or never.</li>
 * </ul>
 */
public enum OpType {
  INVOKE, OK, FAIL, INFO;

  /** The EDN keyword name without the colon, e.g. {@code "invoke"}. */
  public String keywordName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code invoke}, {@code :invoke}, {@code ok}, ... (case-insensitive); null if unknown. */
  public static OpType parse(String name) {
    String s = name.startsWith(":") ? name.substring(1) : name;
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "invoke" -> INVOKE;
      case "ok" -> OK;
      case "fail" -> FAIL;
      case "info" -> INFO;
      default -> null;
    };
  }
}
