package io.raftbed.linearizability;

import java.util.List;

/**
 * Knossos' {@code (mutex)}: a lock that is free at first. {@code :acquire} is legal only while it
 * is free and takes it; {@code :release} only while it is held and frees it. Who holds it is not
 * tracked (as in Knossos). A keyed history is one lock per key. Immutable and thread-safe.
 */
final class MutexModel implements ObjectModel<Boolean> {

  @Override
  public String name() {
    return "mutex";
  }

  /** False: free. */
  @Override
  public Boolean initialState() {
    return Boolean.FALSE;
  }

  @Override
  public Boolean step(Boolean held, Operation op) {
    return switch (KeyedPartitions.f(op)) {
      case "acquire", "lock" -> held ? null : Boolean.TRUE;
      case "release", "unlock" -> held ? Boolean.FALSE : null;
      default -> throw KeyedPartitions.unsupported(this, op, ":acquire, :release");
    };
  }

  @Override
  public List<List<Operation>> partition(List<Operation> operations) {
    for (Operation op : operations) {
      step(Boolean.FALSE, op); // refuses unknown operations up front
    }
    return KeyedPartitions.byKey(operations);
  }

  @Override
  public long stateBytes(Boolean state) {
    return 0;
  }

  @Override
  public String describe(Boolean held) {
    return held ? "held" : "free";
  }

  @Override
  public String toString() {
    return "mutex";
  }
}
