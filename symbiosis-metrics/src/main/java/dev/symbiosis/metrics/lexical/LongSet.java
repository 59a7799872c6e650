package dev.symbiosis.metrics.lexical;

import java.util.function.LongConsumer;

/**
 * A set of 64-bit keys {@code >= 0}: open addressing, linear probing, load factor at most 1/2, 8 bytes per slot
 * holding {@code key + 1} (0 = empty, so a new table needs no filling). Holds trigrams and 4-grams, which need no ids
 * of their own. Not thread-safe.
 *
 * <p>Speed (the table is larger than the caches): a key's home slot is the <em>top</em> bits of its 64-bit hash
 * ({@link LongIndex#hash}), so the table is ordered by hash up to probe displacement, and doubling it is one
 * forward sweep over the old and the new table instead of a cache miss per key; {@link #addAll} computes the home
 * slots of a batch of keys first, reads them in a tight loop so that their cache misses overlap, and only then
 * inserts.
 */
final class LongSet {

    private static final long EMPTY = 0L;
    private static final int INITIAL_BITS = 9;

    private long[] slots = new long[1 << INITIAL_BITS];
    private int shift = 64 - INITIAL_BITS;
    private int size;
    private int[] homes = new int[0];

    int size() {
        return size;
    }

    /** Adds {@code key} ({@code >= 0}). */
    void add(long key) {
        reserve(1);
        insert(key + 1, (int) (LongIndex.hash(key) >>> shift));
    }

    /** Adds {@code keys[j]} for {@code j < count}, skipping -1 (no key). */
    void addAll(long[] keys, int count) {
        reserve(count); // no rehash inside the batch: the home slots stay valid
        if (homes.length < count) {
            homes = new int[count];
        }
        int[] home = homes;
        int s = shift;
        for (int j = 0; j < count; j++) {
            long key = keys[j];
            home[j] = key < 0 ? -1 : (int) (LongIndex.hash(key) >>> s);
        }
        long[] t = slots;
        long touched = 0;
        for (int j = 0; j < count; j++) {
            int h = home[j];
            if (h >= 0) {
                touched += t[h]; // loads of independent slots: their cache misses overlap
            }
        }
        prefetchSink += touched;
        for (int j = 0; j < count; j++) {
            if (home[j] >= 0) {
                insert(keys[j] + 1, home[j]);
            }
        }
    }

    /** Keeps the read-ahead loads alive (the JIT may not drop a load whose value is stored). */
    private long prefetchSink;

    /** Inserts {@code stored} (= key + 1) probing from {@code slot}; the table has room. */
    private void insert(long stored, int slot) {
        long[] t = slots;
        int mask = t.length - 1;
        while (true) {
            long k = t[slot];
            if (k == stored) {
                return;
            }
            if (k == EMPTY) {
                t[slot] = stored;
                size++;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Grows the table, if needed, so that {@code more} new keys keep the load at most 1/2 (so that a table whose
     * final size is known ahead is allocated once instead of doubling its way there).
     */
    void reserve(int more) {
        long needed = 2L * (size + (long) more);
        if (needed <= slots.length) {
            return;
        }
        int bits = 64 - shift;
        while ((1L << bits) < needed) {
            bits++;
        }
        rehash(bits);
    }

    void forEach(LongConsumer action) {
        for (long k : slots) {
            if (k != EMPTY) {
                action.accept(k - 1);
            }
        }
    }

    /** Re-inserts every key into a table of {@code 2^bits} slots, in old slot order (so nearly sequentially). */
    private void rehash(int bits) {
        long[] old = slots;
        slots = new long[1 << bits];
        shift = 64 - bits;
        int mask = slots.length - 1;
        for (long stored : old) {
            if (stored != EMPTY) {
                int slot = (int) (LongIndex.hash(stored - 1) >>> shift);
                while (slots[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = stored;
            }
        }
    }
}
