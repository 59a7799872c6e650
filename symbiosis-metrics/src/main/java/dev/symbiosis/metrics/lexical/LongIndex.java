package dev.symbiosis.metrics.lexical;

import java.util.Arrays;

/**
 * Maps 64-bit keys to dense ids {@code 0, 1, 2, ...} in order of first sight: an open-addressing hash table
 * (linear probing, load factor at most 1/2) that keeps the keys by id. Used to hash-cons n-grams: the id of an
 * n-gram is the id of the key {@code (id of its (n-1)-gram prefix, id of its last word)}.
 *
 * <p>Not thread-safe.
 */
final class LongIndex {

    private static final int EMPTY = -1;

    private long[] keys = new long[1 << 8];
    private int size;
    private int[] table = newTable(1 << 9);
    private int mask = table.length - 1;

    private static int[] newTable(int capacity) {
        int[] t = new int[capacity];
        Arrays.fill(t, EMPTY);
        return t;
    }

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

    /** The id of {@code key}, interning it if new. */
    int intern(long key) {
        int slot = spread(key) & mask;
        while (true) {
            int id = table[slot];
            if (id == EMPTY) {
                if (size == keys.length) {
                    keys = Arrays.copyOf(keys, size * 2);
                }
                id = size++;
                keys[id] = key;
                table[slot] = id;
                if (2 * size > table.length) {
                    rehash();
                }
                return id;
            }
            if (keys[id] == key) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void rehash() {
        table = newTable(table.length * 2);
        mask = table.length - 1;
        for (int id = 0; id < size; id++) {
            int slot = spread(keys[id]) & mask;
            while (table[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            table[slot] = id;
        }
    }

    /** The finaliser of SplitMix64, folded to 32 bits. */
    private static int spread(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z = z ^ (z >>> 31);
        return (int) z;
    }
}
