package io.raftbed.linearizability;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in models: the register family (register, cas-register, a cas register per key, kv)
 * and Knossos' other models (multi-register transactions, mutex, set, unordered-queue,
 * fifo-queue), with Knossos' EDN forms. Every one partitions by key (an unkeyed history is a
 * single partition), so keyed histories are checked key by key. Register operation names accept
 * aliases: read/get, write/put, cas/compare-and-set, delete/del. Values are compared with
 * {@code equals} after {@link Values#normalize} (integers are Longs).
 */
public final class Models {
  private Models() {}

  /** Model names accepted by {@link #byName}. */
  public static final String[] NAMES = {"register", "cas-register", "multi-register", "kv", "mutex", "set",
      "unordered-queue", "fifo-queue"};

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
   * Knossos' {@code (multi-register initial)}: transactions {@code :f :txn} over named registers,
   * e.g. {@code [[:read :x nil] [:write :y 2]]} (an {@code :ok} completion carries the values
   * read), applied atomically; {@code initial} maps register names to values, e.g.
   * {@code {:x 0 :y 0}} ({@code Map.of(new Keyword("x"), 0L, ...)}); a nil read constrains nothing
   * (Knossos).
   */
  public static Model<?> multiRegister(Map<?, ?> initial) {
    return multiRegister(initial, NilReads.UNKNOWN);
  }

  /** Like {@link #multiRegister(Map)}; with {@link NilReads#ABSENT} a nil read means the register holds nil. */
  public static Model<?> multiRegister(Map<?, ?> initial, NilReads nilReads) {
    return new TxnRegisterModel(initial, nilReads);
  }

  /** Knossos' {@code (mutex)}: {@code :acquire} while free, {@code :release} while held. */
  public static Model<?> mutex() {
    return new MutexModel();
  }

  /** Knossos' {@code (set)}: {@code :add v}, and {@code :read} returning the whole set {@code #{...}}. */
  public static Model<?> set() {
    return set(List.of(), NilReads.ABSENT);
  }

  public static Model<?> set(Collection<?> initial, NilReads nilReads) {
    return new SetModel(initial, nilReads);
  }

  /** Knossos' {@code (unordered-queue)}: {@code :enqueue v}; {@code :dequeue} returns any element in the queue. */
  public static Model<?> unorderedQueue() {
    return unorderedQueue(List.of());
  }

  public static Model<?> unorderedQueue(Collection<?> initial) {
    return new QueueModel(false, initial);
  }

  /** Knossos' {@code (fifo-queue)}: {@code :enqueue v}; {@code :dequeue} returns the oldest element. */
  public static Model<?> fifoQueue() {
    return fifoQueue(List.of());
  }

  public static Model<?> fifoQueue(Collection<?> initial) {
    return new QueueModel(true, initial);
  }

  /**
   * A model by name ({@link #NAMES}). For {@code multi-register}, a map {@code initial} (or
   * {@code transactions}) selects Knossos' transactional multi-register, anything else one cas
   * register per key. {@code initial} is a collection for set and the queues, nil for mutex.
   *
   * @param transactions the history has {@code :txn} operations
   * @throws IllegalArgumentException for an unknown name, or an initial value the model cannot take
   */
  public static Model<?> byName(String name, Object initial, NilReads nilReads, boolean transactions) {
    String n = name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "register" -> register(initial, nilReads);
      case "cas-register" -> casRegister(initial, nilReads);
      case "multi-register" -> initial instanceof Map<?, ?> || transactions
          ? multiRegister(initial instanceof Map<?, ?> m ? m : mapOrNothing(initial, n), nilReads)
          : new RegisterModel("multi-register",
              EnumSet.of(Functions.READ, Functions.WRITE, Functions.CAS, Functions.DELETE), initial, nilReads);
      case "kv" -> new RegisterModel("kv", EnumSet.allOf(Functions.class), initial, nilReads);
      case "mutex" -> {
        if (initial != null) {
          throw new IllegalArgumentException("the mutex model starts free and takes no initial value");
        }
        yield mutex();
      }
      case "set" -> set(collection(initial, n), nilReads);
      case "unordered-queue" -> unorderedQueue(collection(initial, n));
      case "fifo-queue" -> fifoQueue(collection(initial, n));
      default -> throw new IllegalArgumentException("unknown model '" + name + "'; expected one of "
          + String.join(", ", NAMES));
    };
  }

  /** Like {@link #byName(String, Object, NilReads, boolean)} for a history without transactions. */
  public static Model<?> byName(String name, Object initial, NilReads nilReads) {
    return byName(name, initial, nilReads, false);
  }

  private static Map<?, ?> mapOrNothing(Object initial, String model) {
    if (initial != null) {
      throw new IllegalArgumentException("a " + model + " with :txn operations needs a map of initial values"
          + " such as {:x 0 :y 0}, not " + Values.toEdn(initial));
    }
    return Map.of();
  }

  private static Collection<?> collection(Object initial, String model) {
    return switch (initial) {
      case null -> List.of();
      case Collection<?> c -> c;
      default -> throw new IllegalArgumentException("the initial value of a " + model
          + " is a collection such as [] or #{1 2}, not " + Values.toEdn(initial));
    };
  }
}
