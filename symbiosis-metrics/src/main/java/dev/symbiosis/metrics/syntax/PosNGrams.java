package dev.symbiosis.metrics.syntax;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Counts of UPOS n-grams, {@code n = 1..4}, within sentences (no n-gram crosses a sentence boundary; no padding).
 * With 17 tags the tables are dense: {@code 17^n} counters per order, an n-gram's index being its tags' codes
 * ({@link Upos#ordinal()}) read as a base-17 number.
 *
 * <p>Figures per order {@code n}:
 * <ul>
 *   <li>{@link #distinctRatio(int)}: distinct n-grams / n-gram occurrences (as distinct-n of J. Li et al. 2016,
 *   over tags), in {@code (0, 1]}; {@code NaN} with no n-gram;</li>
 *   <li>{@link #entropyBits(int)}: Shannon entropy of the n-gram distribution in bits
 *   ({@link Distributions#entropyBits});</li>
 *   <li>{@link #jensenShannonBits(PosNGrams, int)}: Jensen-Shannon divergence in bits, in {@code [0, 1]}, from
 *   another distribution, typically a reference text's ({@link Distributions#jensenShannonBits}).</li>
 * </ul>
 *
 * <p>Streaming: {@link #create()} then {@link #accept(TaggedSentence)}; {@link #of(List)}; {@link #combine} adds
 * counts, so every route gives the same counts. Not thread-safe (combine per-thread accumulators); the figures are
 * plain numbers.
 */
public final class PosNGrams {

    /** The largest order. */
    public static final int MAX_N = 4;

    private final long[][] counts = new long[MAX_N + 1][];
    private final long[] totals = new long[MAX_N + 1];
    private long sentences;

    private PosNGrams() {
        int size = 1;
        for (int n = 1; n <= MAX_N; n++) {
            size *= Upos.COUNT;
            counts[n] = new long[size];
        }
    }

    /** An empty accumulator. */
    public static PosNGrams create() {
        return new PosNGrams();
    }

    /** The counts of these sentences. */
    public static PosNGrams of(List<TaggedSentence> sentences) {
        PosNGrams g = create();
        sentences.forEach(g::accept);
        return g;
    }

    /** Adds the n-grams of one sentence's UPOS sequence ({@link TaggedSentence#upos()}). */
    public void accept(TaggedSentence sentence) {
        acceptTags(sentence.upos());
    }

    /** Adds the n-grams of one sentence given as its tags. */
    public void acceptTags(List<Upos> tags) {
        int len = tags.size();
        int[] codes = new int[len];
        for (int i = 0; i < len; i++) {
            codes[i] = tags.get(i).ordinal();
        }
        for (int n = 1; n <= MAX_N; n++) {
            long[] table = counts[n];
            for (int j = 0; j + n <= len; j++) {
                int index = 0;
                for (int k = j; k < j + n; k++) {
                    index = index * Upos.COUNT + codes[k];
                }
                table[index]++;
            }
            totals[n] += Math.max(0, len - n + 1);
        }
        sentences++;
    }

    /** Adds {@code other}'s counts ({@code other} is unchanged). */
    public PosNGrams combine(PosNGrams other) {
        for (int n = 1; n <= MAX_N; n++) {
            long[] a = counts[n];
            long[] b = other.counts[n];
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
            totals[n] += other.totals[n];
        }
        sentences += other.sentences;
        return this;
    }

    /** The number of sentences accepted. */
    public long sentences() {
        return sentences;
    }

    /** The number of n-gram occurrences. */
    public long total(int n) {
        check(n);
        return totals[n];
    }

    /** The number of distinct n-grams. */
    public long distinct(int n) {
        check(n);
        long d = 0;
        for (long c : counts[n]) {
            if (c > 0) {
                d++;
            }
        }
        return d;
    }

    /** A copy of the n-gram counts, indexed by base-17 code. */
    public long[] counts(int n) {
        check(n);
        return counts[n].clone();
    }

    /** The count of one n-gram ({@code tags.size()} = n). */
    public long count(List<Upos> tags) {
        int n = tags.size();
        check(n);
        int index = 0;
        for (Upos t : tags) {
            index = index * Upos.COUNT + t.ordinal();
        }
        return counts[n][index];
    }

    /** distinct n-grams / occurrences; NaN if there is none. */
    public double distinctRatio(int n) {
        long t = total(n);
        return t == 0 ? Double.NaN : (double) distinct(n) / t;
    }

    /** Entropy of the n-gram distribution in bits; NaN if there is none. */
    public double entropyBits(int n) {
        check(n);
        return Distributions.entropyBits(counts[n]);
    }

    /** Jensen-Shannon divergence (bits, in [0, 1]) between this and {@code other}'s n-gram distributions. */
    public double jensenShannonBits(PosNGrams other, int n) {
        check(n);
        return Distributions.jensenShannonBits(counts[n], other.counts[n]);
    }

    private static void check(int n) {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n must be in [1, " + MAX_N + "], got " + n);
        }
    }

    @Override
    public String toString() {
        return "PosNGrams[sentences=" + sentences + ", unigrams=" + Arrays.toString(counts[1]) + "]";
    }

    /** Writes the counts (for accumulators that travel between processes; read back with {@link #readFrom}). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(MAX_N);
        out.writeInt(Upos.COUNT);
        out.writeLong(sentences);
        for (int n = 1; n <= MAX_N; n++) {
            out.writeLong(totals[n]);
            long[] c = counts[n];
            int nonZero = 0;
            for (long v : c) {
                if (v != 0) {
                    nonZero++;
                }
            }
            out.writeInt(nonZero);
            for (int i = 0; i < c.length; i++) {
                if (c[i] != 0) {
                    out.writeInt(i);
                    out.writeLong(c[i]);
                }
            }
        }
    }

    /**
     * Counts written by {@link #writeTo}.
     *
     * @throws IOException if the data is not such counts (other orders or tag set, an index out of range)
     */
    public static PosNGrams readFrom(DataInput in) throws IOException {
        int maxN = in.readInt();
        int tags = in.readInt();
        if (maxN != MAX_N || tags != Upos.COUNT) {
            throw new IOException("POS n-gram counts of orders 1.." + maxN + " over " + tags + " tags; expected 1.."
                    + MAX_N + " over " + Upos.COUNT);
        }
        PosNGrams g = create();
        g.sentences = in.readLong();
        for (int n = 1; n <= MAX_N; n++) {
            g.totals[n] = in.readLong();
            int nonZero = in.readInt();
            long[] c = g.counts[n];
            for (int k = 0; k < nonZero; k++) {
                int i = in.readInt();
                if (i < 0 || i >= c.length) {
                    throw new IOException("POS " + n + "-gram index " + i + " out of range");
                }
                c[i] = in.readLong();
            }
        }
        return g;
    }
}
