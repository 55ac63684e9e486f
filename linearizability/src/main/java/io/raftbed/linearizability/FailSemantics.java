package io.raftbed.linearizability;

/**
 * What a {@code :fail} completion means.
 *
 * <ul>
 *   <li>{@link #NOT_HAPPENED}: the Jepsen/Knossos default: a failed operation had no effect and is
 *       dropped from the history.</li>
 *   <li>{@link #CAS_FAIL_HAPPENED}: the etcd log format and the raftbed simulator: a failed
 *       {@code cas} (or {@code compare-and-set}) is a compare-and-set that happened and returned
 *       false, i.e. at its linearization point the value was not the expected one. Failed
 *       operations with any other {@code f} did not happen.</li>
 * </ul>
 */
public enum FailSemantics {
  NOT_HAPPENED,
  CAS_FAIL_HAPPENED;

  /** True if a {@code :fail} of an operation named {@code f} is an operation that happened. */
  public boolean failHappened(String f) {
    return switch (this) {
      case NOT_HAPPENED -> false;
      case CAS_FAIL_HAPPENED -> Functions.isCas(f);
    };
  }
}
