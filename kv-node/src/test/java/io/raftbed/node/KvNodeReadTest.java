package io.raftbed.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.kv.Command;
import io.raftbed.kv.Result;
import io.raftbed.raft.HardState;
import io.raftbed.raft.LogEntry;
import io.raftbed.raft.RaftConfig;
import io.raftbed.raft.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The driver on a hand-run loop: linearizable reads on a one-node cluster whose loop runs late, the
 * way the real runtime's Netty loop does on a loaded machine. A client's read is queued, the loop
 * wakes up late with the overdue tick timer behind it, and each task takes a tick interval: the tick
 * task then takes a Raft tick between the read and the batch that would confirm it.
 */
class KvNodeReadTest {
  private static final int TICK_MILLIS = 10;
  private static final int HEARTBEAT_TICKS = 5;
  private static final int REQUEST_TIMEOUT_TICKS = 500;

  /**
   * A single-threaded loop with a clock the test moves: tasks run in (due time, arrival) order, and
   * each may cost some milliseconds of the clock.
   */
  static final class ManualLoop implements Timers {
    private record Key(long dueMillis, long seq) implements Comparable<Key> {
      @Override
      public int compareTo(Key o) {
        int c = Long.compare(dueMillis, o.dueMillis);
        return c != 0 ? c : Long.compare(seq, o.seq);
      }
    }

    private final TreeMap<Key, Runnable> tasks = new TreeMap<>();
    private long nowMillis;
    private long seq;

    @Override
    public long nowMillis() {
      return nowMillis;
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
      tasks.put(new Key(nowMillis + delayMillis, seq++), task);
    }

    void execute(Runnable task) {
      schedule(0, task);
    }

    long lastDueMillis() {
      return tasks.lastKey().dueMillis;
    }

    /**
     * Runs the tasks due now (and those they make due by then), each moving the clock by
     * {@code costMillis}; tasks that fall due meanwhile wait for the next call.
     */
    void runDue(long costMillis) {
      long wokeAtMillis = nowMillis;
      while (!tasks.isEmpty() && tasks.firstKey().dueMillis <= wokeAtMillis) {
        tasks.pollFirstEntry().getValue().run();
        nowMillis += costMillis;
      }
    }

    /** A loop that keeps up: {@code millis} pass one at a time, every task on time. */
    void runFor(long millis) {
      for (long i = 0; i < millis; i++) {
        nowMillis++;
        runDue(0);
      }
    }
  }

  /** Storage that is durable at once; completions go through the loop like fsync completions do. */
  private static final class MemoryStorage implements Storage {
    private final ManualLoop loop;
    final List<LogEntry> log = new ArrayList<>();

    MemoryStorage(ManualLoop loop) {
      this.loop = loop;
    }

    @Override
    public Recovered load() {
      return Recovered.EMPTY;
    }

    @Override
    public void persist(HardState hardState, List<LogEntry> entries, boolean sync, Runnable done) {
      for (LogEntry e : entries) {
        log.subList((int) Math.min(log.size(), e.index() - 1), log.size()).clear();
        log.add(e);
      }
      loop.execute(done);
    }
  }

  private final ManualLoop loop = new ManualLoop();
  private final KvNode node = new KvNode(
      NodeConfig.defaults(RaftConfig.defaults(1, List.of(1)).withTiming(15, 30, HEARTBEAT_TICKS))
          .withTicks(TICK_MILLIS, REQUEST_TIMEOUT_TICKS).withSnapshots(0, 0),
      m -> { }, new MemoryStorage(loop), loop, new SplittableRandom(7), NodeListener.NONE);

  /** Queues a request as a client connection would, and returns where its reply lands. */
  private ClientReply[] submit(Command command) {
    ClientReply[] reply = new ClientReply[1];
    loop.execute(() -> node.submit(new ClientRequest(0, 0, command, ReadMode.LINEARIZABLE), r -> reply[0] = r));
    return reply;
  }

  /** Lets the loop keep up until {@code reply} arrives or the request timeout (and a bit) passed. */
  private ClientReply await(ClientReply[] reply) {
    for (int i = 0; i < REQUEST_TIMEOUT_TICKS + 10 && reply[0] == null; i++) {
      loop.runFor(TICK_MILLIS);
    }
    assertNotNull(reply[0], "no reply at all");
    return reply[0];
  }

  @Test
  void readsOnALateLoopAreConfirmedWithoutWaitingForTheTimeout() {
    node.start();
    loop.runFor(TICK_MILLIS * 40L); // elected (one voter), no-op committed
    assertEquals(Role.LEADER, node.raft().role());
    ClientReply put = await(submit(new Command.Put("k", "v".getBytes(StandardCharsets.UTF_8))));
    assertEquals(new ClientReply.Done(Result.OK), put);
    // Each read meets the heartbeat at another phase; one in HEARTBEAT_TICKS has it between the read
    // and its batch.
    for (int i = 0; i < 3 * HEARTBEAT_TICKS; i++) {
      ClientReply[] reply = submit(new Command.Get("k"));
      loop.nowMillis = loop.lastDueMillis(); // the loop wakes late: the tick timer is due behind the read
      loop.runDue(TICK_MILLIS); // ... and each task takes a tick interval
      long askedAtMillis = loop.nowMillis();
      ClientReply r = await(reply);
      assertInstanceOf(ClientReply.Done.class, r, "read " + i + ": " + r);
      assertEquals("v", new String(((ClientReply.Done) r).result().value(), StandardCharsets.UTF_8));
      long waitedMillis = loop.nowMillis() - askedAtMillis;
      assertTrue(waitedMillis <= 2L * HEARTBEAT_TICKS * TICK_MILLIS,
          "read " + i + " waited " + waitedMillis + " ms: a one-node leader needs no one's answer");
    }
  }
}
