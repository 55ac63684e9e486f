package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.List;

/**
 * The search's cache of visited configurations (set of linearized operations, model state), an
 * open-addressing hash set whose entries live in an arena of {@code long[]} chunks. Confined to
 * one search thread; its memory is reserved from a shared {@link MemoryBudget} and given back by
 * {@link #release()}.
 *
 * <p>A linearized set is stored exactly as the window of bitset words between its lowest unset bit
 * and its highest set bit (all words below are full, all above are empty, so the window is
 * canonical). When that window is wider than {@link #EXACT_WORDS_MAX} words (a long-pending
 * indeterminate operation keeps the lowest unset bit low), the set is stored as two independent
 * 64-bit Zobrist hashes instead. A fingerprint collision could only prune a branch (so at worst
 * hide a linearization, with probability about 2^-128 per pair of sets), never invent one.
 *
 * <p>Arena entry: {@code [state << 32 | fromWord]}, then either {@code [wordCount, words...]} or,
 * with {@code fromWord == -1}, {@code [hash2]}.
 */
final class Memo {
    static final int EXACT_WORDS_MAX = 64;
    static final int ADDED = 0;
    static final int PRESENT = 1;
    static final int FULL = 2;

    private static final int CHUNK_LONGS_MAX = 1 << 20;
    private static final long SLOT_BYTES = 16;

    private final MemoryBudget budget;
    private long reservedBytes;

    /** Mixed hash of each slot's entry (0 = empty slot, so real hashes are forced non-zero). */
    private long[] slotHash = new long[0];
    /** Arena reference of each slot: chunk << 32 | offset. */
    private long[] slotRef = new long[0];
    private int size;

    private final List<long[]> chunks = new ArrayList<>();
    private long[] chunk;
    private int chunkPos;

    Memo(MemoryBudget budget) {
        this.budget = budget;
    }

    int size() {
        return size;
    }

    long reservedBytes() {
        return reservedBytes;
    }

    /**
     * Adds the configuration unless present.
     *
     * @param hash1 Zobrist hash of the whole set (first table)
     * @param hash2 Zobrist hash of the whole set (second table)
     * @param words the set as a bitset; words {@code [from, to]} are the canonical window
     * @return {@link #ADDED}, {@link #PRESENT}, or {@link #FULL} if the budget is exhausted
     */
    int add(long hash1, long hash2, int state, long[] words, int from, int to) {
        int count = Math.max(0, to - from + 1);
        boolean exact = count <= EXACT_WORDS_MAX;
        long h = mix(hash1 ^ (state * 0x9E3779B97F4A7C15L));
        if (h == 0) {
            h = 1;
        }
        if (slotHash.length == 0 || (size + 1) * 2L > slotHash.length) {
            if (!grow()) {
                return FULL;
            }
        }
        int mask = slotHash.length - 1;
        int slot = (int) h & mask;
        while (slotHash[slot] != 0) {
            if (slotHash[slot] == h && equalsEntry(slotRef[slot], state, exact, hash2, words, from, count)) {
                return PRESENT;
            }
            slot = (slot + 1) & mask;
        }
        long ref = store(state, exact, hash2, words, from, count);
        if (ref < 0) {
            return FULL;
        }
        slotHash[slot] = h;
        slotRef[slot] = ref;
        size++;
        return ADDED;
    }

    private boolean equalsEntry(long ref, int state, boolean exact, long hash2, long[] words, int from, int count) {
        long[] c = chunks.get((int) (ref >>> 32));
        int p = (int) ref;
        long header = c[p];
        if ((int) (header >>> 32) != state) {
            return false;
        }
        int storedFrom = (int) header;
        if (!exact) {
            return storedFrom == -1 && c[p + 1] == hash2;
        }
        if (storedFrom != from || c[p + 1] != count) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (c[p + 2 + i] != words[from + i]) {
                return false;
            }
        }
        return true;
    }

    private long store(int state, boolean exact, long hash2, long[] words, int from, int count) {
        int need = exact ? 2 + count : 2;
        if (chunk == null || chunkPos + need > chunk.length) {
            int length = Math.max(need, chunk == null ? 1024 : Math.min(CHUNK_LONGS_MAX, chunk.length * 2));
            if (!reserve(8L * length)) {
                return -1;
            }
            chunk = new long[length];
            chunks.add(chunk);
            chunkPos = 0;
        }
        int p = chunkPos;
        chunk[p] = ((long) state << 32) | ((exact ? from : -1) & 0xFFFFFFFFL);
        if (exact) {
            chunk[p + 1] = count;
            System.arraycopy(words, from, chunk, p + 2, count);
        } else {
            chunk[p + 1] = hash2;
        }
        chunkPos += need;
        return ((long) (chunks.size() - 1) << 32) | p;
    }

    private boolean grow() {
        int capacity = Math.max(1024, slotHash.length * 2);
        if (!reserve(SLOT_BYTES * (capacity - slotHash.length))) {
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
        size = 0;
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
