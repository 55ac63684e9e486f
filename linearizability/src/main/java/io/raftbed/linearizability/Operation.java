package io.raftbed.linearizability;

/**
 * An invocation paired with its completion: the unit a {@link Model} steps through. Immutable.
 *
 * <p>{@link Status#UNKNOWN} operations ({@code :info}, or an invocation that never completed)
 * may take effect at any time after their invocation, or never; their output is unknown, so
 * {@link #output()} is null and a model must step them as if they took effect.
 *
 * @param id          number of the operation in its history, in invocation order (0-based)
 * @param invokePos   position of the invocation event in the history
 * @param completePos position of the completion event, or -1 if it never completed
 * @param invocation  the invocation event
 * @param completion  the completion event, or null if it never completed
 * @param status      what the completion tells about the operation
 */
public record Operation(int id, int invokePos, int completePos, Op invocation, Op completion, Status status) {

  /** What is known about an operation's effect. */
  public enum Status {
    /** It happened between invocation and completion, with the completion's value as result. */
    OK,
    /** It happened and failed, e.g. a compare-and-set that found another value ({@link FailSemantics#CAS_FAIL_HAPPENED}). */
    FAILED,
    /** It may have happened at any time after its invocation, or never; its result is unknown. */
    UNKNOWN
  }

  public long process() {
    return invocation.process();
  }

  /** The operation's name, e.g. {@code "cas"}. */
  public String f() {
    return invocation.f();
  }

  /** The key of a keyed operation, or null. */
  public Object key() {
    return invocation.key();
  }

  /** The invocation's value: what was written, {@code [from to]} for a cas, usually nil for a read. */
  public Object input() {
    return invocation.value();
  }

  /** The completion's value (what a read returned), or null if the status is {@link Status#UNKNOWN}. */
  public Object output() {
    return status == Status.UNKNOWN || completion == null ? null : completion.value();
  }

  /** True if the operation has a definite completion (it is not {@link Status#UNKNOWN}). */
  public boolean isDeterminate() {
    return status != Status.UNKNOWN;
  }

  /** The same operation with its outcome forgotten: it may take effect any time after invocation, or never. */
  public Operation relaxed() {
    return new Operation(id, invokePos, completePos, invocation, completion, Status.UNKNOWN);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append('#').append(id).append(" p").append(process()).append(' ').append(f());
    if (key() != null) {
      sb.append(" key=").append(Values.toEdn(key()));
    }
    sb.append(' ').append(Values.toEdn(input()));
    switch (status) {
      case OK -> sb.append(" -> ").append(Values.toEdn(output()));
      case FAILED -> sb.append(" -> failed");
      case UNKNOWN -> sb.append(" -> ?");
    }
    return sb.toString();
  }
}
