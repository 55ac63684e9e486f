package io.raftbed.runtime.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps the next segment ready: preallocating a segment writes its whole size in zeros, far too slow
 * for the node's thread, so one is always being prepared (or is ready) on a background thread,
 * like etcd's file pipeline.
 *
 * <p>Threading: {@link #take} is called on the node's thread; allocation runs on this class's thread.
 * At most one spare is prepared ahead; if the log outruns it, {@link #take} waits for it.
 */
final class SegmentAllocator implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SegmentAllocator.class.getName());

  private final Path dir;
  private final int capacityBytes;
  private final ExecutorService executor;
  /** Spares found at recovery, used before new ones. */
  private final ArrayDeque<WalSegment> spares;
  /** The segment being prepared, or null when a spare is ready. */
  private CompletableFuture<WalSegment> next;
  private long nextSeq;

  /**
   * @param spares preallocated, empty segments left from before a restart, in order
   * @param nextSeq the sequence number of the next segment to create
   */
  SegmentAllocator(Path dir, int capacityBytes, List<WalSegment> spares, long nextSeq) {
    this.dir = dir;
    this.capacityBytes = capacityBytes;
    this.spares = new ArrayDeque<>(spares);
    this.nextSeq = nextSeq;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "wal-allocator");
      t.setDaemon(true);
      return t;
    });
    prepareNext();
  }

  /** The next segment to write; starts preparing the one after it. */
  WalSegment take() throws IOException {
    WalSegment s = spares.pollFirst();
    if (s == null) {
      if (!next.isDone()) {
        LOG.log(System.Logger.Level.WARNING, "the log outran segment preallocation; waiting for " + nextSeq);
      }
      try {
        s = next.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
      } finally {
        next = null;
      }
    }
    prepareNext();
    return s;
  }

  private void prepareNext() {
    if (!spares.isEmpty() || next != null) {
      return;
    }
    long seq = nextSeq++;
    next = CompletableFuture.supplyAsync(() -> {
      try {
        return WalSegment.create(dir, seq, capacityBytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, executor);
  }

  @Override
  public void close() throws IOException {
    executor.shutdown();
    if (next != null) {
      try {
        next.join().close();
      } catch (CompletionException e) {
        // the spare failed to allocate; nothing to close
      }
    }
    for (WalSegment s : spares) {
      s.close();
    }
  }
}
