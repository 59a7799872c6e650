package dev.symbiosis.metrics.lexical;

import java.util.function.LongConsumer;

/**
 * A set of 64-bit keys {@code >= 0}: open addressing, linear probing, load factor at most 1/2, 8 bytes per slot
 * holding {@code key + 1} (0 = empty, so a new table needs no filling).
 * Holds trigrams and 4-grams, which need no ids of their own. Not thread-safe.
 */
final class LongSet {

    private static final long EMPTY = 0L;

    private long[] slots = new long[1 << 9];
    private int mask = slots.length - 1;
    private int size;

    int size() {
        return size;
    }

    /** Adds {@code key} ({@code >= 0}). */
    void add(long key) {
        long stored = key + 1;
        int slot = LongIndex.spread(key) & mask;
        while (true) {
            long k = slots[slot];
            if (k == stored) {
                return;
            }
            if (k == EMPTY) {
                slots[slot] = stored;
                if (2 * ++size > slots.length) {
                    rehash();
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Adds {@code keys[j]} for {@code j < count}, skipping -1 (no key), reading slots ahead as a prefetch. */
    void addAll(long[] keys, int count) {
        long touched = 0;
        for (int j = 0; j < count; j++) {
            if (j + LongIndex.AHEAD < count) {
                touched += slots[LongIndex.spread(keys[j + LongIndex.AHEAD]) & mask];
            }
            long key = keys[j];
            if (key >= 0) {
                add(key);
            }
        }
        prefetchSink += touched;
    }

    private long prefetchSink;

    void forEach(LongConsumer action) {
        for (long k : slots) {
            if (k != EMPTY) {
                action.accept(k - 1);
            }
        }
    }

    private void rehash() {
        long[] old = slots;
        slots = new long[old.length * 2];
        mask = slots.length - 1;
        for (long stored : old) {
            if (stored != EMPTY) {
                int slot = LongIndex.spread(stored - 1) & mask;
                while (slots[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = stored;
            }
        }
    }
}
