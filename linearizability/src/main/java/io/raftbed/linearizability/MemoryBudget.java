package io.raftbed.linearizability;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that the memo tables of concurrently running searches may still allocate. Thread-safe:
 * searches of several partitions reserve from one budget.
 */
final class MemoryBudget {
  private final long limitBytes;
  private final AtomicLong usedBytes = new AtomicLong();

  MemoryBudget(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** A budget of about half of the heap that is still free. */
  static MemoryBudget fromHeap() {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    long free = rt.maxMemory() - used;
    return new MemoryBudget(Math.max(32L << 20, free / 2));
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
