package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in register family: a register, a compare-and-set register, a per-key register with
 * delete, and a key-value map with append. Every variant partitions operations by key (an unkeyed
 * history is one partition) and holds one register per partition. Immutable and thread-safe.
 *
 * <p>Operations: {@code read}/{@code get} (output: the value read), {@code write}/{@code put}
 * (input: the value), {@code cas} (input {@code [from to]}; a nil {@code from} expects an absent
 * value), {@code delete} (the register becomes nil), {@code append} (string concatenation, nil
 * counts as ""). The search uses {@link CompiledRegister}, an int-encoded copy of this logic.
 */
final class RegisterModel implements Model<RegisterModel.Cell>, CompilableModel {

  /** A register's state; {@code value} may be null (absent). */
  record Cell(Object value) {}

  private final String name;
  private final Set<Functions> functions;
  private final Object initial;
  private final NilReads nilReads;

  RegisterModel(String name, Set<Functions> functions, Object initial, NilReads nilReads) {
    this.name = name;
    this.functions = EnumSet.copyOf(functions);
    this.initial = Values.normalize(initial);
    this.nilReads = Objects.requireNonNull(nilReads, "nilReads");
  }

  @Override
  public String name() {
    return name;
  }

  Object initial() {
    return initial;
  }

  NilReads nilReads() {
    return nilReads;
  }

  @Override
  public Cell initialState() {
    return new Cell(initial);
  }

  @Override
  public Cell step(Cell state, Operation op) {
    Object v = state.value();
    return switch (function(op)) {
      case READ -> {
        Object out = op.output();
        boolean unconstrained = op.status() == Operation.Status.UNKNOWN
            || (out == null && nilReads == NilReads.UNKNOWN);
        yield unconstrained || Objects.equals(v, out) ? state : null;
      }
      case WRITE -> new Cell(op.input());
      case DELETE -> new Cell(null);
      case APPEND -> new Cell(append(v, op.input(), op));
      case CAS -> {
        List<?> fromTo = casArgs(op);
        boolean matches = Objects.equals(v, fromTo.get(0));
        Cell swapped = new Cell(fromTo.get(1));
        yield switch (op.status()) {
          case OK -> matches ? swapped : null;
          case FAILED -> matches ? null : state;
          case UNKNOWN -> matches ? swapped : state;
        };
      }
    };
  }

  @Override
  public boolean isReadOnly(Operation op) {
    Functions fn = function(op);
    return fn == Functions.READ || (fn == Functions.CAS && op.status() == Operation.Status.FAILED);
  }

  /**
   * Groups by key in order of first appearance. With {@link NilReads#UNKNOWN}, a read that
   * returned nil is relaxed to an unknown read (and then dropped by the checker).
   */
  @Override
  public List<List<Operation>> partition(List<Operation> operations) {
    Map<Object, List<Operation>> byKey = new LinkedHashMap<>();
    for (Operation op : operations) {
      Operation o = op;
      if (nilReads == NilReads.UNKNOWN && o.status() == Operation.Status.OK
          && function(o) == Functions.READ && o.output() == null) {
        o = o.relaxed();
      }
      byKey.computeIfAbsent(o.key() == null ? NO_KEY : o.key(), k -> new ArrayList<>()).add(o);
    }
    return List.copyOf(byKey.values());
  }

  /** Stands for the null key of unkeyed operations in a map. */
  private static final Object NO_KEY = new Object();

  @Override
  public String describe(Cell state) {
    return Values.toEdn(state.value());
  }

  @Override
  public CompiledModel compile(List<Operation> partition) {
    return new CompiledRegister(this, partition);
  }

  /** The function of {@code op}, checked against this variant's supported set. */
  Functions function(Operation op) {
    Functions fn = Functions.parse(op.f());
    if (fn == null || !functions.contains(fn)) {
      throw new IllegalArgumentException("model " + name + " does not support :f :" + op.f()
          + " (operation " + op + "); it supports " + supported());
    }
    return fn;
  }

  private String supported() {
    StringBuilder sb = new StringBuilder();
    for (Functions fn : functions) {
      sb.append(sb.isEmpty() ? "" : ", ").append(':').append(fn.name().toLowerCase(java.util.Locale.ROOT));
    }
    return sb.toString();
  }

  static List<?> casArgs(Operation op) {
    if (op.input() instanceof List<?> list && list.size() == 2) {
      return list;
    }
    throw new IllegalArgumentException("a :cas value must be [from to], got "
        + Values.toEdn(op.input()) + " in operation " + op);
  }

  static Object append(Object current, Object suffix, Operation op) {
    if ((current == null || current instanceof String) && suffix instanceof String s) {
      return current == null ? s : current + s;
    }
    throw new IllegalArgumentException(":append needs string values, got "
        + Values.toEdn(current) + " + " + Values.toEdn(suffix) + " in operation " + op);
  }

  @Override
  public String toString() {
    return name + "(initial " + Values.toEdn(initial) + ", nil reads " + nilReads + ")";
  }
}
