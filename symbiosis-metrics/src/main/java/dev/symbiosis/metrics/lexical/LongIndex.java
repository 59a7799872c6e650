package dev.symbiosis.metrics.lexical;

import java.util.Arrays;

/**
 * Maps 64-bit keys {@code >= 0} to dense ids {@code 0, 1, 2, ...} in order of first sight: an open-addressing hash
 * table (linear probing, load factor at most 1/2) whose slots hold key and id side by side (one cache line per
 * probe), plus the keys by id. Gives bigrams (pairs of word ids) ids of their own, from which trigrams and 4-grams
 * are built (see {@link NGramCounter}).
 *
 * <p>Speed: as {@link LongSet}, home slots are the top bits of the hash (doubling is a forward sweep) and
 * {@link #internAll} reads a batch's home slots in a tight loop before interning. Not thread-safe.
 */
final class LongIndex {

    private static final long EMPTY = 0L;
    private static final int INITIAL_BITS = 9;

    private long[] keys = new long[1 << 8];
    private int size;
    /** slots[2s] = key + 1 or EMPTY (0: a new table needs no filling), slots[2s + 1] = id. */
    private long[] slots = newSlots(1 << INITIAL_BITS);
    private int shift = 64 - INITIAL_BITS;
    private int[] homes = new int[0];

    private static long[] newSlots(int capacity) {
        return new long[2 * capacity];
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
        reserve(1);
        return intern(key, (int) (hash(key) >>> shift));
    }

    /** Interns {@code key} probing from {@code slot}; the table has room. */
    private int intern(long key, int slot) {
        long[] t = slots;
        int mask = (t.length >> 1) - 1;
        long stored = key + 1;
        while (true) {
            long k = t[2 * slot];
            if (k == stored) {
                return (int) t[2 * slot + 1];
            }
            if (k == EMPTY) {
                if (size == keys.length) {
                    keys = Arrays.copyOf(keys, size * 2);
                }
                int id = size++;
                keys[id] = key;
                t[2 * slot] = stored;
                t[2 * slot + 1] = id;
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** {@code out[j] = intern(keys[j])} for {@code j < count} in order, or -1 where {@code keys[j]} is -1 (no key). */
    void internAll(long[] keys, int[] out, int count) {
        reserve(count); // no rehash inside the batch: the home slots stay valid
        if (homes.length < count) {
            homes = new int[count];
        }
        int[] home = homes;
        int s = shift;
        for (int j = 0; j < count; j++) {
            long key = keys[j];
            home[j] = key < 0 ? -1 : (int) (hash(key) >>> s);
        }
        long[] t = slots;
        long touched = 0;
        for (int j = 0; j < count; j++) {
            int h = home[j];
            if (h >= 0) {
                touched += t[2 * h]; // loads of independent slots: their cache misses overlap
            }
        }
        prefetchSink += touched;
        for (int j = 0; j < count; j++) {
            out[j] = home[j] < 0 ? -1 : intern(keys[j], home[j]);
        }
    }

    /** Keeps the read-ahead loads alive (the JIT may not drop a load whose value is stored). */
    private long prefetchSink;

    /**
     * Grows the table, if needed, so that {@code more} new keys keep the load at most 1/2 (so that a table whose
     * final size is known ahead is allocated once instead of doubling its way there).
     */
    void reserve(int more) {
        long needed = 2L * (size + (long) more);
        int capacity = slots.length >> 1;
        if (needed <= capacity) {
            return;
        }
        int bits = 64 - shift;
        while ((1L << bits) < needed) {
            bits++;
        }
        long[] old = slots;
        slots = newSlots(1 << bits);
        shift = 64 - bits;
        int mask = (1 << bits) - 1;
        // in old slot order: new homes then move forward through the new table (few cache misses)
        for (int s = 0; s < old.length; s += 2) {
            long stored = old[s];
            if (stored != EMPTY) {
                int slot = (int) (hash(stored - 1) >>> shift);
                while (slots[2 * slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                slots[2 * slot] = stored;
                slots[2 * slot + 1] = old[s + 1];
            }
        }
    }

    /** The finaliser of SplitMix64: all 64 bits mixed; home slots take the top bits. */
    static long hash(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
