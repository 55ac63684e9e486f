package io.raftbed.runtime.wal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The group-commit thread: takes every sync request queued since its last fsync, forces the
 * segments they wrote to with one {@code fdatasync} each (one in the common case), and hands all
 * their completions back to the node's loop in one task, in request order.
 *
 * <p>Threading: {@link #submit} is called on the node's thread; the fsync runs on this class's own
 * thread; completions run on the node's loop. Ordering: a request's records were written before it
 * was submitted, so the force that follows covers them; completions keep submission order.
 */
final class WalSyncer implements AutoCloseable {
  /**
   * A batch written by the node thread that must be durable before {@code done} runs.
   *
   * @param segment the segment written last (earlier ones were forced when the log rolled)
   * @param records records written since the previous request, which this fsync makes durable
   * @param done the node's completion, run on the node's loop
   */
  record Request(WalSegment segment, int records, Runnable done) {}

  /** Reports each fsync: records it made durable, and how long it took. */
  interface Observer {
    void synced(int records, long nanos);
  }

  private final Executor nodeLoop;
  private final Observer observer;
  private final Consumer<Throwable> fatal;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition pending = lock.newCondition();
  /** Guarded by {@code lock}. */
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  /** Guarded by {@code lock}: segments to close once the requests before them are synced. */
  private final ArrayDeque<WalSegment> closing = new ArrayDeque<>();
  private boolean stopping;
  private final Thread thread;

  /**
   * @param nodeLoop where completions run
   * @param fatal called (on this thread) when an fsync fails: the node must stop, since the kernel may
   *     have dropped the dirty pages and a retry would lie (PostgreSQL's "fsyncgate")
   */
  WalSyncer(String name, Executor nodeLoop, Observer observer, Consumer<Throwable> fatal) {
    this.nodeLoop = nodeLoop;
    this.observer = observer;
    this.fatal = fatal;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void submit(Request r) {
    lock.lock();
    try {
      queue.addLast(r);
      pending.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Closes {@code segment} on the sync thread after the requests already queued. */
  void closeAfterPending(WalSegment segment) {
    lock.lock();
    try {
      closing.addLast(segment);
      pending.signal();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    List<Request> batch = new ArrayList<>();
    List<WalSegment> toClose = new ArrayList<>();
    while (true) {
      lock.lock();
      try {
        while (queue.isEmpty() && closing.isEmpty() && !stopping) {
          pending.awaitUninterruptibly();
        }
        if (queue.isEmpty() && closing.isEmpty()) {
          return; // stopping, and nothing left to do
        }
        batch.addAll(queue);
        queue.clear();
        toClose.addAll(closing);
        closing.clear();
      } finally {
        lock.unlock();
      }
      if (!batch.isEmpty() && !syncBatch(batch)) {
        return;
      }
      closeAll(toClose);
      batch = new ArrayList<>();
      toClose.clear();
    }
  }

  /** Forces the batch's segments and posts its completions; returns false after a fatal failure. */
  private boolean syncBatch(List<Request> batch) {
    Set<WalSegment> segments = new LinkedHashSet<>();
    int records = 0;
    for (Request r : batch) {
      segments.add(r.segment());
      records += r.records();
    }
    long start = System.nanoTime();
    try {
      for (WalSegment s : segments) {
        s.force();
      }
    } catch (IOException | RuntimeException e) {
      fatal.accept(e);
      return false;
    }
    observer.synced(records, System.nanoTime() - start);
    List<Request> done = batch;
    try {
      nodeLoop.execute(() -> {
        for (Request r : done) {
          r.done().run();
        }
      });
    } catch (RejectedExecutionException e) {
      return true; // the node is shutting down; nobody waits for these completions
    }
    return true;
  }

  private static void closeAll(List<WalSegment> segments) {
    for (WalSegment s : segments) {
      try {
        s.close();
      } catch (IOException e) {
        // Closing a forced, read-only-from-now-on file: nothing is lost if it fails.
      }
    }
  }

  /** Finishes the queued requests, then stops the thread. */
  @Override
  public void close() throws InterruptedException {
    lock.lock();
    try {
      stopping = true;
      pending.signal();
    } finally {
      lock.unlock();
    }
    thread.join();
  }
}
