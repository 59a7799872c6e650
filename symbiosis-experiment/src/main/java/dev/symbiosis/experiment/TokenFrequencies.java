package dev.symbiosis.experiment;

import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.text.Document;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How often each token id occurs in a reference corpus, and the frequency bucket of every id, for the tail bits per
 * byte of {@link HeldOutEvaluator} ({@code bpb.freq.<bucket>}).
 *
 * <p><b>Buckets by cumulative frequency mass.</b> Sort the ids that occur by count, most frequent first (equal counts
 * by id, lowest first), and let {@code before(id)} be the summed count of the ids ahead of it and {@code N} the
 * corpus's token count. An id is in {@link Bucket#HEAD} when {@code before(id) < 0.5 N} (the most frequent ids
 * covering the first 50 % of the corpus's tokens; the id that crosses 50 % is still head), else in
 * {@link Bucket#MIDDLE} when {@code before(id) < 0.9 N} (the next 40 %), else in {@link Bucket#TAIL} (the last
 * 10 %); an id that never occurs is in {@link Bucket#TAIL}. The comparisons are exact (integer arithmetic).
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenFrequencies {

    /** A frequency bucket; {@link #label()} is the figure's suffix. */
    public enum Bucket {
        /** The most frequent ids, covering the first 50 % of the corpus's tokens. */
        HEAD,
        /** The next 40 %. */
        MIDDLE,
        /** The last 10 %, and every id the corpus never holds. */
        TAIL;

        /** {@code head}, {@code middle} or {@code tail}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Integer, Long> counts;
    private final Map<Integer, Bucket> buckets;
    private final long total;

    private TokenFrequencies(Map<Integer, Long> counts) {
        this.counts = Map.copyOf(counts);
        long n = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("token id " + e.getKey() + " has a negative count " + e.getValue());
            }
            n += e.getValue();
        }
        this.total = n;
        List<Map.Entry<Integer, Long>> order = new ArrayList<>(counts.entrySet());
        order.removeIf(e -> e.getValue() == 0);
        order.sort(Comparator.comparing((Map.Entry<Integer, Long> e) -> -e.getValue())
                .thenComparing(Map.Entry::getKey));
        Map<Integer, Bucket> b = new HashMap<>();
        long before = 0;
        for (Map.Entry<Integer, Long> e : order) {
            // before < 0.5 N and before < 0.9 N, in integers
            b.put(e.getKey(), 2 * before < total ? Bucket.HEAD : 10 * before < 9 * total ? Bucket.MIDDLE
                    : Bucket.TAIL);
            before += e.getValue();
        }
        this.buckets = Map.copyOf(b);
    }

    /**
     * Frequencies from counts by token id (copied; ids with count 0 are as if absent).
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public static TokenFrequencies of(Map<Integer, Long> counts) {
        return new TokenFrequencies(Objects.requireNonNull(counts, "counts"));
    }

    /**
     * Counts the token ids of every document as {@code model} tokenizes it ({@link LanguageModel#tokenIds}: the DJL
     * models through their tokenizer alone, without a forward pass). Every token of a document counts, the first
     * included.
     *
     * @param documents the reference corpus (the run's seed split); empty gives empty counts (every id tail)
     * @throws UnsupportedOperationException if the model does not expose its tokenizer
     */
    public static TokenFrequencies count(LanguageModel model, Iterable<Document> documents) {
        Objects.requireNonNull(model, "model");
        Map<Integer, Long> counts = new HashMap<>();
        for (Document d : documents) {
            for (int id : model.tokenIds(d.text())) {
                counts.merge(id, 1L, Long::sum);
            }
        }
        return new TokenFrequencies(counts);
    }

    /** The bucket of {@code id} (tail when the corpus never holds it). */
    public Bucket bucket(int id) {
        return buckets.getOrDefault(id, Bucket.TAIL);
    }

    /** How often {@code id} occurs (0 when never). */
    public long count(int id) {
        return counts.getOrDefault(id, 0L);
    }

    /** The corpus's token count {@code N}. */
    public long total() {
        return total;
    }
}
