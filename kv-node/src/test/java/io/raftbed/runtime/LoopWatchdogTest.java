package io.raftbed.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.raftbed.runtime.metrics.NodeMetrics;
import io.raftbed.runtime.net.NetIo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watchdog reports a loop that stops running tasks, with how long it stopped; a healthy loop is not reported. */
@Timeout(30)
class LoopWatchdogTest {
  @Test
  void aBlockedLoopIsReportedWithTheLengthOfTheStall() throws Exception {
    EventLoopGroup group = NetIo.newGroup(1, "watched");
    List<Long> stalls = new CopyOnWriteArrayList<>();
    NodeMetrics metrics = new NodeMetrics();
    try (LoopWatchdog dog = new LoopWatchdog(group.next(), "dog", 10, 200, n -> {
      stalls.add(n);
      metrics.loopStalled(n);
    })) {
      dog.start();
      group.next().submit(() -> sleep(600)).sync();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (stalls.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long longest = stalls.stream().mapToLong(Long::longValue).max().orElse(0);
      assertTrue(longest >= 400_000_000L, "the stall lasted about 600 ms: " + longest / 1_000_000 + " ms");
      String page = metrics.render(NodeStatus.stopped(1));
      assertTrue(page.contains("raftbed_node_loop_stalls_total " + stalls.size() + "\n"), page);
    } finally {
      group.shutdownGracefully().sync();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
