package dev.symbiosis.metrics.lexical;

import java.util.Arrays;

/**
 * Distinct and total word n-grams for {@code n = 1..maxN}, n-grams not crossing text boundaries. Word ids are the
 * unigrams; an n-gram ({@code n >= 2}) is hash-consed to an id of level {@code n}: the id of the pair (id of its
 * first {@code n - 1} words at level {@code n - 1}, id of its last word). Each token costs {@code maxN - 1} hash
 * look-ups and no allocation. Not thread-safe.
 */
final class NGramCounter {

    private final int maxN;
    /** levels[k] holds the (k+1)-grams, k >= 1; levels[0] is unused (unigrams are word ids). */
    private final LongIndex[] levels;
    private final long[] totals;
    /** distinct unigrams: a stamp per word id. */
    private boolean[] seenWord = new boolean[256];
    private int distinctWords;
    /** ids of the k-grams ending at the previous token of the current text, -1 if none. */
    private final int[] previous;

    NGramCounter(int maxN) {
        if (maxN < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + maxN);
        }
        this.maxN = maxN;
        this.levels = new LongIndex[maxN];
        for (int k = 1; k < maxN; k++) {
            levels[k] = new LongIndex();
        }
        this.totals = new long[maxN + 1];
        this.previous = new int[maxN];
        Arrays.fill(previous, -1);
    }

    int maxN() {
        return maxN;
    }

    void add(int id) {
        if (id >= seenWord.length) {
            seenWord = Arrays.copyOf(seenWord, Math.max(seenWord.length * 2, id + 1));
        }
        if (!seenWord[id]) {
            seenWord[id] = true;
            distinctWords++;
        }
        totals[1]++;
        // walk from the longest n-gram down so that previous[k - 1] is still the old value when level k reads it
        for (int k = maxN - 1; k >= 1; k--) {
            int prefix = previous[k - 1];
            if (prefix < 0) {
                previous[k] = -1;
            } else {
                previous[k] = levels[k].intern(LongIndex.pair(prefix, id));
                totals[k + 1]++;
            }
        }
        previous[0] = id;
    }

    /** Ends the current text: no n-gram spans this point. */
    void endText() {
        Arrays.fill(previous, -1);
    }

    /**
     * Adds {@code other}'s n-grams and counts, its word id {@code i} being this counter's word id {@code remap[i]};
     * {@code other}'s open text is not joined to this one's (the boundary between them is a text boundary).
     */
    void merge(NGramCounter other, int[] remap) {
        if (other.maxN != maxN) {
            throw new IllegalArgumentException("n differs: " + maxN + " and " + other.maxN);
        }
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
        int[] below = remap;
        for (int k = 1; k < maxN; k++) {
            LongIndex from = other.levels[k];
            int[] map = new int[from.size()];
            for (int g = 0; g < map.length; g++) {
                long key = from.key(g);
                map[g] = levels[k].intern(LongIndex.pair(below[LongIndex.high(key)], remap[LongIndex.low(key)]));
            }
            below = map;
        }
        for (int n = 1; n <= maxN; n++) {
            totals[n] += other.totals[n];
        }
        endText();
    }

    long distinct(int n) {
        check(n);
        return n == 1 ? distinctWords : levels[n - 1].size();
    }

    long total(int n) {
        check(n);
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
}
