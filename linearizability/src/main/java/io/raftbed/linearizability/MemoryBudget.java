package io.raftbed.linearizability;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that the memo tables of concurrently running searches may still allocate. Thread-safe:
 * searches of several partitions reserve from one budget.
 */
final class MemoryBudget {
  private final long limitBytes;
  private final boolean fromHeap;
  private final AtomicLong usedBytes = new AtomicLong();

  MemoryBudget(long limitBytes) {
    this(limitBytes, false);
  }

  private MemoryBudget(long limitBytes, boolean fromHeap) {
    this.limitBytes = limitBytes;
    this.fromHeap = fromHeap;
  }

  /**
   * A budget of half of the heap that is still free (at least 16 MiB, at most what is free): the
   * other half covers what the budget does not count (the history, garbage not yet collected,
   * estimates that fall short).
   */
  static MemoryBudget fromHeap() {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    long free = Math.max(0, rt.maxMemory() - used);
    return new MemoryBudget(Math.min(free, Math.max(16L << 20, free / 2)), true);
  }

  /** For reasons: the size and where it came from. */
  String describe() {
    return (limitBytes >> 20) + " MiB" + (fromHeap ? ", half of the free heap" : ", as set");
  }

  /** Takes {@code bytes} from the budget; false (and nothing taken) if that would exceed it. */
  boolean tryReserve(long bytes) {
    while (true) {
      long used = usedBytes.get();
      if (used + bytes > limitBytes) {
        return false;
      }
      if (usedBytes.compareAndSet(used, used + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    usedBytes.addAndGet(-bytes);
  }

  long limitBytes() {
    return limitBytes;
  }
}
