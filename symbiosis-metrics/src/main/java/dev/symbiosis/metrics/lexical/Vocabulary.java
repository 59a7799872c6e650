package dev.symbiosis.metrics.lexical;

import java.util.Arrays;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Interns words into dense ids {@code 0, 1, 2, ...} in order of first sight, without allocating a {@link String}
 * for a word already seen: an open-addressing hash table (linear probing, load factor at most 1/2) over the
 * characters of every word, stored once in a shared {@code char[]} pool.
 *
 * <p>Not thread-safe.
 */
final class Vocabulary {

    private static final int EMPTY = -1;

    private char[] pool = new char[1 << 12];
    private int poolSize;
    private int[] start = new int[1 << 8];
    private int[] length = new int[1 << 8];
    private int[] hashes = new int[1 << 8];
    private int size;
    private int[] table = newTable(1 << 9);
    private int mask = table.length - 1;

    private static int[] newTable(int capacity) {
        int[] t = new int[capacity];
        Arrays.fill(t, EMPTY);
        return t;
    }

    /** The number of distinct words interned. */
    int size() {
        return size;
    }

    /** The id of {@code buf[off, off + len)}, interning it if new. */
    int intern(char[] buf, int off, int len) {
        int h = hash(buf, off, len);
        int slot = mix(h) & mask;
        while (true) {
            int id = table[slot];
            if (id == EMPTY) {
                return add(buf, off, len, h, slot);
            }
            if (hashes[id] == h && length[id] == len && same(start[id], buf, off, len)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The id of {@code word}, interning it if new. */
    int intern(String word) {
        char[] c = word.toCharArray();
        return intern(c, 0, c.length);
    }

    /** The word with this id. */
    String word(int id) {
        if (id < 0 || id >= size) {
            throw new IndexOutOfBoundsException(id);
        }
        return new String(pool, start[id], length[id]);
    }

    /**
     * The ids in this vocabulary of every word of {@code other}, interning those that are new: {@code result[i]} is
     * this vocabulary's id of {@code other}'s word {@code i}.
     */
    int[] absorb(Vocabulary other) {
        int[] map = new int[other.size];
        for (int i = 0; i < other.size; i++) {
            map[i] = intern(other.pool, other.start[i], other.length[i]);
        }
        return map;
    }

    private int add(char[] buf, int off, int len, int h, int slot) {
        if (poolSize + len > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + len));
        }
        System.arraycopy(buf, off, pool, poolSize, len);
        if (size == start.length) {
            int cap = size * 2;
            start = Arrays.copyOf(start, cap);
            length = Arrays.copyOf(length, cap);
            hashes = Arrays.copyOf(hashes, cap);
        }
        int id = size++;
        start[id] = poolSize;
        length[id] = len;
        hashes[id] = h;
        poolSize += len;
        table[slot] = id;
        if (2 * size > table.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        table = newTable(table.length * 2);
        mask = table.length - 1;
        for (int id = 0; id < size; id++) {
            int slot = mix(hashes[id]) & mask;
            while (table[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            table[slot] = id;
        }
    }

    /** A plain loop: words are short, and {@code Arrays.equals} on ranges costs more to set up than it saves. */
    private boolean same(int at, char[] buf, int off, int len) {
        char[] p = pool;
        for (int i = 0; i < len; i++) {
            if (p[at + i] != buf[off + i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(char[] buf, int off, int len) {
        int h = 0;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + buf[i];
        }
        return h;
    }

    /** Spreads the bits of a polynomial hash (the finaliser of MurmurHash3). */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** Writes the words in id order (see {@link LexicalPanel.Accumulator#writeTo}). */
    void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int id = 0; id < size; id++) {
            out.writeInt(length[id]);
            for (int i = start[id], end = start[id] + length[id]; i < end; i++) {
                out.writeChar(pool[i]);
            }
        }
    }

    /** Interns the words written by {@link #write} in order, so they get the same ids in an empty vocabulary. */
    void read(DataInput in) throws IOException {
        int n = in.readInt();
        char[] buf = new char[16];
        for (int k = 0; k < n; k++) {
            int len = in.readInt();
            if (len < 0) {
                throw new IOException("negative word length " + len);
            }
            if (len > buf.length) {
                buf = new char[Math.max(len, buf.length * 2)];
            }
            for (int i = 0; i < len; i++) {
                buf[i] = in.readChar();
            }
            if (intern(buf, 0, len) != k) {
                throw new IOException("word " + k + " is repeated");
            }
        }
    }
}
