package dev.symbiosis.metrics.lexical;

import java.util.Arrays;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Distinct and total word n-grams for {@code n = 1..maxN}, {@code maxN <= 4}, n-grams not crossing text
 * boundaries. Exact, by hash-consing over word ids: a bigram gets an id from the pair (word, word); a trigram is
 * the pair (id of its first bigram, its last word) and a 4-gram the pair (id of its first bigram, id of its last
 * bigram), both kept in plain sets of 64-bit pairs. Distinct counts are set sizes.
 *
 * <p>Speed: the tables outgrow the caches on large inputs, so a look-up is a cache miss. Tokens are buffered
 * ({@value #CHUNK} at a time, across texts: a text boundary is a -1 marker in the buffer) and each level is
 * processed over the whole buffer; the look-ups of a level are independent of each other and read all their home
 * slots first, so their cache misses overlap. Results are those of token-at-a-time processing. When the input
 * size is known, {@link #reserve} allocates the tables once at their final size. Not thread-safe.
 */
final class NGramCounter {

    static final int CHUNK = 4096;
    static final int MAX_N = 4;

    private final int maxN;
    private final LongIndex bigrams = new LongIndex();
    private final LongSet trigrams = new LongSet();
    private final LongSet fourgrams = new LongSet();
    private final long[] totals;
    private boolean[] seenWord = new boolean[256];
    private int distinctWords;

    /** Buffered word ids, -1 marking a text boundary. */
    private final int[] buffer = new int[CHUNK];
    private int buffered;
    private boolean atBoundary = true;
    /** The last flushed entry (word id or -1) and the bigram ids ending at the last two flushed entries. */
    private int carryWord = -1;
    private int carryBigram1 = -1;
    private int carryBigram2 = -1;
    private final long[] keys = new long[CHUNK];
    private final int[] bigramIds = new int[CHUNK];

    NGramCounter(int maxN) {
        if (maxN < 1 || maxN > MAX_N) {
            throw new IllegalArgumentException("n must be in [1, " + MAX_N + "], got " + maxN);
        }
        this.maxN = maxN;
        this.totals = new long[maxN + 1];
    }

    int maxN() {
        return maxN;
    }

    /** The most n-grams per level {@link #reserve} allocates for ahead: 2^21 (tables of 2^22 slots). */
    static final int MAX_RESERVED = 1 << 21;

    /**
     * Sizes the n-gram tables for about {@code tokens} more tokens (at most {@value #MAX_RESERVED} n-grams per
     * level; beyond, they grow as usual). A text has at most as many distinct n-grams as tokens, so tables sized so
     * never double, and doubling a table larger than the caches costs more than all the inserts into it. Changes
     * no result.
     */
    void reserve(long tokens) {
        int n = (int) Math.min(MAX_RESERVED, Math.max(0, tokens));
        if (maxN >= 2) {
            bigrams.reserve(n);
        }
        if (maxN >= 3) {
            trigrams.reserve(n);
        }
        if (maxN >= 4) {
            fourgrams.reserve(n);
        }
    }

    void add(int id) {
        push(id);
        atBoundary = false;
    }

    /** Ends the current text: no n-gram spans this point. */
    void endText() {
        if (!atBoundary) {
            push(-1);
            atBoundary = true;
        }
    }

    private void push(int entry) {
        buffer[buffered++] = entry;
        if (buffered == CHUNK) {
            flush();
        }
    }

    private void flush() {
        int m = buffered;
        if (m == 0) {
            return;
        }
        buffered = 0;
        int[] w = buffer;
        int maxId = -1;
        for (int j = 0; j < m; j++) {
            maxId = Math.max(maxId, w[j]);
        }
        if (maxId >= seenWord.length) {
            seenWord = Arrays.copyOf(seenWord, Math.max(seenWord.length * 2, maxId + 1));
        }
        long words = 0;
        for (int j = 0; j < m; j++) {
            int id = w[j];
            if (id >= 0) {
                words++;
                if (!seenWord[id]) {
                    seenWord[id] = true;
                    distinctWords++;
                }
            }
        }
        totals[1] += words;
        if (maxN >= 2) {
            // bigrams: (w[j-1], w[j]), both words (a -1 between them would be at a position of its own)
            long count = 0;
            int prev = carryWord;
            for (int j = 0; j < m; j++) {
                if (prev >= 0 && w[j] >= 0) {
                    keys[j] = LongIndex.pair(prev, w[j]);
                    count++;
                } else {
                    keys[j] = -1;
                }
                prev = w[j];
            }
            totals[2] += count;
            int[] bi = bigramIds;
            bigrams.internAll(keys, bi, m);
            if (maxN >= 3) {
                // trigrams: (bigram ending at j-1, w[j])
                count = 0;
                int prevBigram = carryBigram1;
                for (int j = 0; j < m; j++) {
                    if (prevBigram >= 0 && w[j] >= 0) {
                        keys[j] = LongIndex.pair(prevBigram, w[j]);
                        count++;
                    } else {
                        keys[j] = -1;
                    }
                    prevBigram = bi[j];
                }
                totals[3] += count;
                trigrams.addAll(keys, m);
            }
            if (maxN >= 4) {
                // 4-grams: (bigram ending at j-2, bigram ending at j): four consecutive words
                count = 0;
                int back2 = carryBigram2;
                int back1 = carryBigram1;
                for (int j = 0; j < m; j++) {
                    if (back2 >= 0 && bi[j] >= 0) {
                        keys[j] = LongIndex.pair(back2, bi[j]);
                        count++;
                    } else {
                        keys[j] = -1;
                    }
                    back2 = back1;
                    back1 = bi[j];
                }
                totals[4] += count;
                fourgrams.addAll(keys, m);
            }
            carryBigram2 = m >= 2 ? bi[m - 2] : carryBigram1;
            carryBigram1 = bi[m - 1];
        }
        carryWord = w[m - 1];
    }

    /**
     * Adds {@code other}'s n-grams and counts, its word id {@code i} being this counter's word id {@code remap[i]};
     * {@code other}'s open text is not joined to this one's (the boundary between them is a text boundary).
     */
    void merge(NGramCounter other, int[] remap) {
        if (other.maxN != maxN) {
            throw new IllegalArgumentException("n differs: " + maxN + " and " + other.maxN);
        }
        endText();
        other.flush(); // does not change other's figures; its open text stays open
        for (int i = 0; i < other.seenWord.length && i < remap.length; i++) {
            if (other.seenWord[i]) {
                int id = remap[i];
                if (id >= seenWord.length) {
                    seenWord = Arrays.copyOf(seenWord, Math.max(seenWord.length * 2, id + 1));
                }
                if (!seenWord[id]) {
                    seenWord[id] = true;
                    distinctWords++;
                }
            }
        }
        int[] bigramMap = new int[other.bigrams.size()];
        for (int g = 0; g < bigramMap.length; g++) {
            long key = other.bigrams.key(g);
            bigramMap[g] = bigrams.intern(LongIndex.pair(remap[LongIndex.high(key)], remap[LongIndex.low(key)]));
        }
        other.trigrams.forEach(key -> trigrams.add(
                LongIndex.pair(bigramMap[LongIndex.high(key)], remap[LongIndex.low(key)])));
        other.fourgrams.forEach(key -> fourgrams.add(
                LongIndex.pair(bigramMap[LongIndex.high(key)], bigramMap[LongIndex.low(key)])));
        for (int n = 1; n <= maxN; n++) {
            totals[n] += other.totals[n];
        }
    }

    long distinct(int n) {
        check(n);
        flush();
        switch (n) {
            case 1:
                return distinctWords;
            case 2:
                return bigrams.size();
            case 3:
                return trigrams.size();
            default:
                return fourgrams.size();
        }
    }

    long total(int n) {
        check(n);
        flush();
        return totals[n];
    }

    /** distinct n-grams / total n-grams, NaN if there is no n-gram. */
    double ratio(int n) {
        long t = total(n);
        return t == 0 ? Double.NaN : (double) distinct(n) / t;
    }

    private void check(int n) {
        if (n < 1 || n > maxN) {
            throw new IllegalArgumentException("n must be in [1, " + maxN + "], got " + n);
        }
    }

    /** Writes the counts, n-gram sets and carry state (after flushing the buffer). */
    void write(DataOutput out) throws IOException {
        flush();
        out.writeInt(maxN);
        for (int n = 1; n <= maxN; n++) {
            out.writeLong(totals[n]);
        }
        out.writeInt(distinctWords);
        for (int i = 0; i < seenWord.length; i++) {
            if (seenWord[i]) {
                out.writeInt(i);
            }
        }
        out.writeInt(bigrams.size());
        for (int g = 0; g < bigrams.size(); g++) {
            out.writeLong(bigrams.key(g));
        }
        for (LongSet set : new LongSet[] {trigrams, fourgrams}) {
            out.writeInt(set.size());
            long[] keys = new long[set.size()];
            int[] k = {0};
            set.forEach(key -> keys[k[0]++] = key);
            for (long key : keys) {
                out.writeLong(key);
            }
        }
        out.writeBoolean(atBoundary);
        out.writeInt(carryWord);
        out.writeInt(carryBigram1);
        out.writeInt(carryBigram2);
    }

    /** Reads a state written by {@link #write} into this empty counter; bigram ids come out the same. */
    void read(DataInput in) throws IOException {
        int n = in.readInt();
        if (n != maxN) {
            throw new IOException("n-grams up to " + n + ", this panel counts up to " + maxN);
        }
        for (int k = 1; k <= maxN; k++) {
            totals[k] = in.readLong();
        }
        distinctWords = in.readInt();
        for (int k = 0; k < distinctWords; k++) {
            int id = in.readInt();
            if (id < 0) {
                throw new IOException("corrupt n-gram state: word " + id);
            }
            if (id >= seenWord.length) {
                seenWord = Arrays.copyOf(seenWord, Math.max(seenWord.length * 2, id + 1));
            }
            seenWord[id] = true;
        }
        int b = in.readInt();
        for (int g = 0; g < b; g++) {
            if (bigrams.intern(in.readLong()) != g) {
                throw new IOException("bigram " + g + " is repeated");
            }
        }
        for (LongSet set : new LongSet[] {trigrams, fourgrams}) {
            int size = in.readInt();
            set.reserve(size);
            for (int k = 0; k < size; k++) {
                set.add(in.readLong());
            }
        }
        atBoundary = in.readBoolean();
        carryWord = in.readInt();
        carryBigram1 = in.readInt();
        carryBigram2 = in.readInt();
    }
}
