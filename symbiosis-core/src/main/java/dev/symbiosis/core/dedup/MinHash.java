package dev.symbiosis.core.dedup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * MinHash signatures of word shingles (Broder 1997), the near-duplicate measure of large text pipelines: the
 * share of positions where two signatures agree is an unbiased estimate of the Jaccard similarity of the two
 * texts' shingle sets, with standard error {@code sqrt(J (1 - J) / k)} for {@code k} hash functions (at most
 * {@code 0.5 / sqrt(k)}, 0.044 for the default 128).
 *
 * <p>Words are maximal runs of letters and digits, lower-cased (Locale.ROOT); a shingle is {@code w} consecutive
 * words, and a text of fewer than {@code w} words is one shingle of all its words. A text without words has the
 * empty shingle set: two such texts have Jaccard 1, one such text and a text with words have 0.
 *
 * <p>Hash function {@code i} is the SplitMix64 finaliser of the shingle's 64-bit hash xor a per-function seed
 * drawn from the family seed, so the same seed always gives the same signatures. Immutable and thread-safe.
 */
public final class MinHash {

    /** Hash functions per signature by default. */
    public static final int DEFAULT_HASHES = 128;
    /** Words per shingle by default. */
    public static final int DEFAULT_SHINGLE_WORDS = 3;

    private final long[] seeds;
    private final int shingleWords;

    private MinHash(int hashes, int shingleWords, long seed) {
        if (hashes < 1) {
            throw new IllegalArgumentException("hashes must be >= 1, got " + hashes);
        }
        if (shingleWords < 1) {
            throw new IllegalArgumentException("shingleWords must be >= 1, got " + shingleWords);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        this.seeds = new long[hashes];
        for (int i = 0; i < hashes; i++) {
            seeds[i] = rnd.nextLong();
        }
        this.shingleWords = shingleWords;
    }

    /**
     * @param hashes hash functions per signature, {@code >= 1}
     * @param shingleWords words per shingle, {@code >= 1}
     * @param seed seed of the hash family
     */
    public static MinHash of(int hashes, int shingleWords, long seed) {
        return new MinHash(hashes, shingleWords, seed);
    }

    /** {@link #DEFAULT_HASHES} hashes over {@link #DEFAULT_SHINGLE_WORDS}-word shingles. */
    public static MinHash create(long seed) {
        return new MinHash(DEFAULT_HASHES, DEFAULT_SHINGLE_WORDS, seed);
    }

    public int hashes() {
        return seeds.length;
    }

    public int shingleWords() {
        return shingleWords;
    }

    /** The lower-cased words of a text. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            if (i > start) {
                out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** The 64-bit hashes of the text's shingles (the set whose Jaccard similarity signatures estimate). */
    public Set<Long> shingles(String text) {
        List<String> w = words(text);
        Set<Long> out = new HashSet<>();
        if (w.isEmpty()) {
            return out;
        }
        int last = Math.max(0, w.size() - shingleWords);
        for (int i = 0; i <= last; i++) {
            long h = 0xcbf29ce484222325L; // FNV-1a over the words' chars with a separator
            for (int j = i; j < Math.min(w.size(), i + shingleWords); j++) {
                String s = w.get(j);
                for (int c = 0; c < s.length(); c++) {
                    h = (h ^ s.charAt(c)) * 0x100000001b3L;
                }
                h = (h ^ 0x1F) * 0x100000001b3L;
            }
            out.add(mix(h));
        }
        return out;
    }

    /** The signature of a text: per hash function, the minimum over its shingles. */
    public long[] signature(String text) {
        return signatureOf(shingles(text));
    }

    /** The signature of a set of shingle hashes. */
    public long[] signatureOf(Set<Long> shingles) {
        long[] sig = new long[seeds.length];
        java.util.Arrays.fill(sig, Long.MAX_VALUE);
        for (long x : shingles) {
            for (int i = 0; i < seeds.length; i++) {
                long h = mix(x ^ seeds[i]) >>> 1; // non-negative, so MAX_VALUE is above every hash
                if (h < sig[i]) {
                    sig[i] = h;
                }
            }
        }
        return sig;
    }

    /**
     * Estimated Jaccard similarity: the share of agreeing positions.
     *
     * @throws IllegalArgumentException if the signatures differ in length
     */
    public static double estimate(long[] a, long[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("signatures of lengths " + a.length + " and " + b.length);
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return (double) same / a.length;
    }

    /** Exact Jaccard similarity of two sets; 1 for two empty sets. */
    public static <T> double jaccard(Set<T> a, Set<T> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1.0;
        }
        Set<T> small = a.size() <= b.size() ? a : b;
        Set<T> large = small == a ? b : a;
        int inter = 0;
        for (T x : small) {
            if (large.contains(x)) {
                inter++;
            }
        }
        return (double) inter / (a.size() + b.size() - inter);
    }

    /** SplitMix64's finaliser: a bijection of 64-bit values with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
