package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable Jepsen history: events in the order they happened (real time), with helpers that
 * pair invocations and completions into {@link Operation}s. Safe to share between threads.
 *
 * <p>Well-formedness, checked at construction: every completion follows an invocation of the
 * same process with the same {@code f}. An invocation while the same process still has one
 * pending leaves the earlier one pending forever (indeterminate), as Jepsen would after a crash.
 */
public final class History {
  private final List<Op> ops;

  private History(List<Op> ops) {
    this.ops = ops;
  }

  /**
   * A history of the given events, in order. Events without an index ({@code index < 0}) get
   * their position.
   *
   * @throws IllegalArgumentException if a completion has no pending invocation of its process,
   *                                  or its {@code f} differs from the invocation's
   */
  public static History of(List<Op> events) {
    List<Op> copy = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Op op = Objects.requireNonNull(events.get(i), "event");
      copy.add(op.index() < 0 ? op.withIndex(i) : op);
    }
    String problem = firstProblem(copy);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new History(Collections.unmodifiableList(copy));
  }

  /** A builder for programmatic histories (tests, the simulator). */
  public static HistoryBuilder builder() {
    return new HistoryBuilder();
  }

  /**
   * The first well-formedness problem of {@code events} as a message that starts with the event
   * position ({@code "event 12: ..."}), or null if there is none.
   */
  static String firstProblem(List<Op> events) {
    Map<Long, Op> pending = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      Op op = events.get(i);
      if (op.isInvoke()) {
        pending.put(op.process(), op);
        continue;
      }
      Op inv = pending.remove(op.process());
      if (inv == null) {
        return "event " + i + ": :" + op.type().keywordName() + " of process " + op.process()
            + " has no pending :invoke of that process";
      }
      if (!inv.f().equals(op.f())) {
        return "event " + i + ": completion :f :" + op.f() + " does not match the invocation's :f :"
            + inv.f() + " (process " + op.process() + ")";
      }
    }
    return null;
  }

  public List<Op> ops() {
    return ops;
  }

  public int size() {
    return ops.size();
  }

  public Op get(int position) {
    return ops.get(position);
  }

  /** True if any event carries a key (the history is a set of independent per-key histories). */
  public boolean isKeyed() {
    for (Op op : ops) {
      if (op.key() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Pairs invocations with completions, in invocation order, numbering them from 0.
   * {@code :fail} completions are dropped unless {@code failSemantics} says that they happened;
   * {@code :info} and missing completions give {@link Operation.Status#UNKNOWN} operations.
   */
  public List<Operation> operations(FailSemantics failSemantics) {
    List<Operation> out = new ArrayList<>(ops.size() / 2 + 1);
    Map<Long, Integer> pending = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      if (op.isInvoke()) {
        Integer previous = pending.put(op.process(), i);
        if (previous != null) {
          out.add(new Operation(-1, previous, -1, ops.get(previous), null, Operation.Status.UNKNOWN));
        }
        continue;
      }
      int invokePos = pending.remove(op.process());
      Operation.Status status = switch (op.type()) {
        case OK -> Operation.Status.OK;
        case INFO -> Operation.Status.UNKNOWN;
        case FAIL -> failSemantics.failHappened(op.f()) ? Operation.Status.FAILED : null;
        case INVOKE -> throw new AssertionError("handled above");
      };
      if (status != null) {
        out.add(new Operation(-1, invokePos, i, ops.get(invokePos), op, status));
      }
    }
    for (int invokePos : pending.values()) {
      out.add(new Operation(-1, invokePos, -1, ops.get(invokePos), null, Operation.Status.UNKNOWN));
    }
    out.sort(Comparator.comparingInt(Operation::invokePos));
    for (int id = 0; id < out.size(); id++) {
      Operation o = out.get(id);
      out.set(id, new Operation(id, o.invokePos(), o.completePos(), o.invocation(), o.completion(), o.status()));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof History h && h.ops.equals(ops);
  }

  @Override
  public int hashCode() {
    return ops.hashCode();
  }

  @Override
  public String toString() {
    return "History[" + ops.size() + " events]";
  }
}
