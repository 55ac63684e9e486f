package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.List;

/**
 * The search's cache of visited configurations, with subsumption for indeterminate operations.
 * Confined to one search thread; its memory is reserved from a shared {@link MemoryBudget} and
 * given back by {@link #release()}.
 *
 * <p>A configuration is (D, O, state): D the determinate operations done, O the indeterminate
 * ones linearized. An indeterminate operation may be linearized at any later time or never, so
 * having it still available never hurts: if (D, O', state) was visited and O' ⊆ O, then
 * (D, O, state) can reach nothing new and is reported {@link #PRESENT}. This keeps histories
 * with many {@code :info} operations from blowing up as 2^(number of info operations).
 *
 * <p>Layout: an open-addressing table over (D, state), entries in an arena of {@code long[]}
 * chunks. D is stored exactly as the window of its bitset words between its lowest unset bit and
 * its highest set bit (all words below are full, all above empty, so the window is canonical):
 * {@code [state << 32 | dFrom, dCount, dWords..., headOfOChain]}; each (D, state) has a chain of
 * O sets {@code [next, oFrom << 32 | oCount, oWords...]}.
 */
final class Memo {
  static final int ADDED = 0;
  static final int PRESENT = 1;
  static final int FULL = 2;

  private static final int CHUNK_LONGS_MAX = 1 << 20;
  private static final long SLOT_BYTES = 16;
  private static final long NONE = -1;

  private final MemoryBudget budget;
  private long reservedBytes;
  /** Mixed hash of each slot's (D, state) (0 = empty slot; real hashes are forced non-zero). */
  private long[] slotHash = new long[0];
  /** Arena reference of each slot's entry: chunk << 32 | offset. */
  private long[] slotRef = new long[0];
  private int slots;
  private int configurations;
  /** O sets compared so far: part of the work a step limit bounds. */
  private long comparisons;
  private final List<long[]> chunks = new ArrayList<>();
  private long[] chunk;
  private int chunkPos;

  Memo(MemoryBudget budget) {
    this.budget = budget;
  }

  long comparisons() {
    return comparisons;
  }

  /** Configurations stored. */
  int size() {
    return configurations;
  }

  long reservedBytes() {
    return reservedBytes;
  }

  /**
   * Adds (D, O, state) unless it or a configuration that subsumes it is present.
   *
   * @param hashD Zobrist hash of the whole D set
   * @param d     D as a bitset; words {@code [dFrom, dTo]} are its canonical window
   * @param o     O as a bitset; words {@code [oFrom, oTo]} hold all its set bits (empty if oTo < oFrom)
   * @return {@link #ADDED}, {@link #PRESENT}, or {@link #FULL} if the budget is exhausted
   */
  int add(long hashD, int state, long[] d, int dFrom, int dTo, long[] o, int oFrom, int oTo) {
    int dCount = Math.max(0, dTo - dFrom + 1);
    int oCount = Math.max(0, oTo - oFrom + 1);
    long h = mix(hashD ^ (state * 0x9E3779B97F4A7C15L));
    h = h == 0 ? 1 : h;
    if ((slots + 1) * 2L > slotHash.length && !grow()) {
      return FULL;
    }
    int mask = slotHash.length - 1;
    int slot = (int) h & mask;
    while (slotHash[slot] != 0) {
      if (slotHash[slot] == h && sameD(slotRef[slot], state, d, dFrom, dCount)) {
        return addToChain(slotRef[slot] + 2 + dCount, o, oFrom, oCount);
      }
      slot = (slot + 1) & mask;
    }
    long entry = allocate(3 + dCount);
    if (entry < 0) {
      return FULL;
    }
    long[] c = chunk(entry);
    int p = (int) entry;
    c[p] = ((long) state << 32) | (dFrom & 0xFFFFFFFFL);
    c[p + 1] = dCount;
    System.arraycopy(d, dFrom, c, p + 2, dCount);
    c[p + 2 + dCount] = NONE;
    slotHash[slot] = h;
    slotRef[slot] = entry;
    slots++;
    return addToChain(entry + 2 + dCount, o, oFrom, oCount);
  }

  private boolean sameD(long ref, int state, long[] d, int dFrom, int dCount) {
    long[] c = chunk(ref);
    int p = (int) ref;
    if (c[p] != (((long) state << 32) | (dFrom & 0xFFFFFFFFL)) || c[p + 1] != dCount) {
      return false;
    }
    for (int i = 0; i < dCount; i++) {
      if (c[p + 2 + i] != d[dFrom + i]) {
        return false;
      }
    }
    return true;
  }

  /** Adds O to the chain whose head reference is at {@code headRef}, unless a subset of O is there. */
  private int addToChain(long headRef, long[] o, int oFrom, int oCount) {
    for (long node = chunk(headRef)[(int) headRef]; node != NONE; node = chunk(node)[(int) node]) {
      comparisons++;
      if (isSubset(node, o, oFrom, oCount)) {
        return PRESENT;
      }
    }
    long node = allocate(2 + oCount);
    if (node < 0) {
      return FULL;
    }
    long[] c = chunk(node);
    int p = (int) node;
    long[] head = chunk(headRef);
    c[p] = head[(int) headRef];
    c[p + 1] = ((long) oFrom << 32) | oCount;
    System.arraycopy(o, Math.max(0, oFrom), c, p + 2, oCount);
    head[(int) headRef] = node;
    configurations++;
    return ADDED;
  }

  /** True if the stored O' at {@code node} is a subset of O. */
  private boolean isSubset(long node, long[] o, int oFrom, int oCount) {
    long[] c = chunk(node);
    int p = (int) node;
    int from = (int) (c[p + 1] >>> 32);
    int count = (int) c[p + 1];
    for (int i = 0; i < count; i++) {
      int w = from + i;
      long mine = w >= oFrom && w < oFrom + oCount ? o[w] : 0;
      if ((c[p + 2 + i] & ~mine) != 0) {
        return false;
      }
    }
    return true;
  }

  private long[] chunk(long ref) {
    return chunks.get((int) (ref >>> 32));
  }

  /** Space for {@code longs} longs in the arena; its reference, or -1 if the budget is exhausted. */
  private long allocate(int longs) {
    if (chunk == null || chunkPos + longs > chunk.length) {
      int length = Math.max(longs, chunk == null ? 1024 : Math.min(CHUNK_LONGS_MAX, chunk.length * 2));
      if (!reserve(8L * length)) {
        return -1;
      }
      chunk = new long[length];
      chunks.add(chunk);
      chunkPos = 0;
    }
    long ref = ((long) (chunks.size() - 1) << 32) | chunkPos;
    chunkPos += longs;
    return ref;
  }

  /**
   * Doubles the table. The new arrays are reserved in full before the old ones are given back,
   * since both are live while the entries move.
   */
  private boolean grow() {
    int capacity = Math.max(1024, slotHash.length * 2);
    if (!reserve(SLOT_BYTES * capacity)) {
      return false;
    }
    long[] oldHash = slotHash;
    long[] oldRef = slotRef;
    slotHash = new long[capacity];
    slotRef = new long[capacity];
    int mask = capacity - 1;
    for (int i = 0; i < oldHash.length; i++) {
      if (oldHash[i] != 0) {
        int slot = (int) oldHash[i] & mask;
        while (slotHash[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        slotHash[slot] = oldHash[i];
        slotRef[slot] = oldRef[i];
      }
    }
    budget.release(SLOT_BYTES * oldHash.length);
    reservedBytes -= SLOT_BYTES * oldHash.length;
    return true;
  }

  private boolean reserve(long bytes) {
    if (!budget.tryReserve(bytes)) {
      return false;
    }
    reservedBytes += bytes;
    return true;
  }

  /** Gives the memory back to the budget and drops the table. */
  void release() {
    budget.release(reservedBytes);
    reservedBytes = 0;
    slotHash = new long[0];
    slotRef = new long[0];
    chunks.clear();
    chunk = null;
    slots = 0;
    configurations = 0;
  }

  /** Murmur3's 64-bit finalizer: a bijection that spreads bits. */
  static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }
}
