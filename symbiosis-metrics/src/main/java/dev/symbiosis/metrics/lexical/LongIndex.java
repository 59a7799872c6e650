package dev.symbiosis.metrics.lexical;

import java.util.Arrays;

/**
 * Maps 64-bit keys {@code >= 0} to dense ids {@code 0, 1, 2, ...} in order of first sight: an open-addressing hash
 * table (linear probing, load factor at most 1/2) whose slots hold key and id side by side (one cache line per
 * probe), plus the keys by id. Gives bigrams (pairs of word ids) ids of their own, from which trigrams and 4-grams
 * are built (see {@link NGramCounter}).
 *
 * <p>Not thread-safe.
 */
final class LongIndex {

    private static final long EMPTY = -1L;

    private long[] keys = new long[1 << 8];
    private int size;
    /** slots[2s] = key or EMPTY, slots[2s + 1] = id. */
    private long[] slots = newSlots(1 << 9);
    private int mask = (1 << 9) - 1;

    private static long[] newSlots(int capacity) {
        long[] t = new long[2 * capacity];
        Arrays.fill(t, EMPTY);
        return t;
    }

    /** The key of a pair of non-negative ints. */
    static long pair(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFF_FFFFL);
    }

    static int high(long key) {
        return (int) (key >>> 32);
    }

    static int low(long key) {
        return (int) key;
    }

    int size() {
        return size;
    }

    long key(int id) {
        return keys[id];
    }

    /** The id of {@code key} ({@code >= 0}), interning it if new. */
    int intern(long key) {
        int slot = spread(key) & mask;
        while (true) {
            long k = slots[2 * slot];
            if (k == key) {
                return (int) slots[2 * slot + 1];
            }
            if (k == EMPTY) {
                if (size == keys.length) {
                    keys = Arrays.copyOf(keys, size * 2);
                }
                int id = size++;
                keys[id] = key;
                slots[2 * slot] = key;
                slots[2 * slot + 1] = id;
                if (2 * size > mask + 1) {
                    rehash();
                }
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * {@code out[j] = intern(keys[j])} for {@code j < count}, or -1 where {@code keys[j]} is -1 (no key). The slot
     * of the key {@value #AHEAD} places ahead is read early, so that its cache miss overlaps the current look-up
     * (a software prefetch: the value read is discarded).
     */
    void internAll(long[] keys, int[] out, int count) {
        long touched = 0;
        for (int j = 0; j < count; j++) {
            if (j + AHEAD < count) {
                touched += slots[2 * (spread(keys[j + AHEAD]) & mask)];
            }
            long key = keys[j];
            out[j] = key < 0 ? -1 : intern(key);
        }
        prefetchSink += touched;
    }

    static final int AHEAD = 16;
    /** Keeps the prefetch reads alive (the JIT may not drop a read whose value is stored). */
    private long prefetchSink;

    private void rehash() {
        int capacity = 2 * (mask + 1);
        slots = newSlots(capacity);
        mask = capacity - 1;
        for (int id = 0; id < size; id++) {
            int slot = spread(keys[id]) & mask;
            while (slots[2 * slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            slots[2 * slot] = keys[id];
            slots[2 * slot + 1] = id;
        }
    }

    /** The finaliser of SplitMix64, folded to 32 bits. */
    static int spread(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z = z ^ (z >>> 31);
        return (int) z;
    }
}
