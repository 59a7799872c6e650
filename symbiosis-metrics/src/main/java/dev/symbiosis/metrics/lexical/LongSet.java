package dev.symbiosis.metrics.lexical;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A set of 64-bit keys {@code >= 0}: open addressing, linear probing, load factor at most 1/2, 8 bytes per slot.
 * Holds trigrams and 4-grams, which need no ids of their own. Not thread-safe.
 */
final class LongSet {

    private static final long EMPTY = -1L;

    private long[] slots = newSlots(1 << 9);
    private int mask = slots.length - 1;
    private int size;

    private static long[] newSlots(int capacity) {
        long[] t = new long[capacity];
        Arrays.fill(t, EMPTY);
        return t;
    }

    int size() {
        return size;
    }

    /** Adds {@code key} ({@code >= 0}). */
    void add(long key) {
        int slot = LongIndex.spread(key) & mask;
        while (true) {
            long k = slots[slot];
            if (k == key) {
                return;
            }
            if (k == EMPTY) {
                slots[slot] = key;
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
                action.accept(k);
            }
        }
    }

    private void rehash() {
        long[] old = slots;
        slots = newSlots(old.length * 2);
        mask = slots.length - 1;
        for (long key : old) {
            if (key != EMPTY) {
                int slot = LongIndex.spread(key) & mask;
                while (slots[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = key;
            }
        }
    }
}
