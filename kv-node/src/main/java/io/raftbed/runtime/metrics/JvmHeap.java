package io.raftbed.runtime.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * The JVM's heap gauges, read from the platform MXBeans at each scrape:
 *
 * <ul>
 *   <li>{@code raftbed_jvm_heap_used_bytes}, {@code _committed_bytes}, {@code _max_bytes}: now;
 *   <li>{@code raftbed_jvm_heap_peak_used_bytes}: the sum of each heap pool's peak since the JVM
 *       started, an upper bound of the heap's peak (pools peak at different moments) that no scrape
 *       interval can miss;
 *   <li>{@code raftbed_jvm_heap_live_bytes}: the sum of each pool's use right after its last
 *       collection, an estimate of what the node retains.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class JvmHeap {
  private JvmHeap() {}

  static void render(StringBuilder out) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long peak = 0;
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() != MemoryType.HEAP || !pool.isValid()) {
        continue;
      }
      peak += pool.getPeakUsage().getUsed();
      MemoryUsage afterGc = pool.getCollectionUsage();
      live += afterGc == null ? 0 : afterGc.getUsed();
    }
    NodeMetrics.gauge(out, "raftbed_jvm_heap_used_bytes", "Heap in use now.", heap.getUsed());
    NodeMetrics.gauge(out, "raftbed_jvm_heap_committed_bytes", "Heap the JVM holds from the OS.", heap.getCommitted());
    NodeMetrics.gauge(out, "raftbed_jvm_heap_max_bytes", "Largest heap the JVM may use (-Xmx).", heap.getMax());
    NodeMetrics.gauge(out, "raftbed_jvm_heap_peak_used_bytes", "Sum of the heap pools' peak use since the JVM"
        + " started: an upper bound of the heap's peak.", peak);
    NodeMetrics.gauge(out, "raftbed_jvm_heap_live_bytes", "Sum of the heap pools' use after their last"
        + " collection: what the node retains.", live);
  }
}
