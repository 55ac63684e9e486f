package io.raftbed.linearizability;

import java.util.EnumSet;
import java.util.Locale;

/**
 * The built-in models. Every one partitions by key (an unkeyed history is a single partition),
 * so keyed histories are checked key by key, in parallel. Operation names accept aliases:
 * read/get, write/put, cas/compare-and-set, delete/del. Values are compared with
 * {@code equals} after {@link Values#normalize} (integers are Longs).
 */
public final class Models {
  private Models() {}

  /** Model names accepted by {@link #byName}. */
  public static final String[] NAMES = {"register", "cas-register", "multi-register", "kv"};

  /** A read/write register. A nil read means the register is empty ({@link NilReads#ABSENT}). */
  public static Model<?> register(Object initial) {
    return register(initial, NilReads.ABSENT);
  }

  public static Model<?> register(Object initial, NilReads nilReads) {
    return new RegisterModel("register", EnumSet.of(Functions.READ, Functions.WRITE), initial, nilReads);
  }

  /** A compare-and-set register: read, write, cas {@code [from to]}. */
  public static Model<?> casRegister(Object initial) {
    return casRegister(initial, NilReads.ABSENT);
  }

  /**
   * A compare-and-set register; {@code casRegister(0, NilReads.UNKNOWN)} is Knossos'
   * {@code (cas-register 0)}.
   */
  public static Model<?> casRegister(Object initial, NilReads nilReads) {
    return new RegisterModel("cas-register",
        EnumSet.of(Functions.READ, Functions.WRITE, Functions.CAS), initial, nilReads);
  }

  /**
   * One compare-and-set register per key, for the raftbed simulator: read, write, cas
   * {@code [expected new]} (a nil {@code expected} requires the key to be absent) and delete
   * (= write nil); reads return the value or nil when absent. Check it with
   * {@link FailSemantics#CAS_FAIL_HAPPENED} when a mismatching cas is recorded as {@code :fail}.
   */
  public static Model<?> casRegisterPerKey(Object initial) {
    return new RegisterModel("multi-register",
        EnumSet.of(Functions.READ, Functions.WRITE, Functions.CAS, Functions.DELETE), initial, NilReads.ABSENT);
  }

  /** A key-value map (porcupine's kv plus delete and cas): get, put, append, delete, cas. */
  public static Model<?> kv(Object initial) {
    return new RegisterModel("kv", EnumSet.allOf(Functions.class), initial, NilReads.ABSENT);
  }

  /**
   * A model by name: register, cas-register, multi-register (= {@link #casRegisterPerKey}), kv.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static Model<?> byName(String name, Object initial, NilReads nilReads) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "register" -> register(initial, nilReads);
      case "cas-register" -> casRegister(initial, nilReads);
      case "multi-register" -> new RegisterModel("multi-register",
          EnumSet.of(Functions.READ, Functions.WRITE, Functions.CAS, Functions.DELETE), initial, nilReads);
      case "kv" -> new RegisterModel("kv", EnumSet.allOf(Functions.class), initial, nilReads);
      default -> throw new IllegalArgumentException("unknown model '" + name
          + "'; expected one of register, cas-register, multi-register, kv");
    };
  }
}
