package dev.symbiosis.metrics.lexical;

/**
 * Distinct-n: the fraction of a text set's word n-grams that are distinct,
 * <pre>
 *   distinct-n = |{distinct n-grams}| / (number of n-gram occurrences),
 *   occurrences = sum over texts of max(0, N_text - n + 1)
 * </pre>
 * n-grams never cross a text boundary. In {@code (0, 1]} when there is at least one n-gram; {@code NaN} when there
 * is none (every text shorter than {@code n}). {@code n} ranges from 1 to {@value #MAX_N}. {@code distinct-1} equals
 * the type-token ratio. Reference: J. Li,
 * M. Galley, C. Brockett, J. Gao and B. Dolan (2016), "A Diversity-Promoting Objective Function for Neural
 * Conversation Models", NAACL-HLT 2016, pp. 110-119.
 *
 * <p>Texts: {@link #acceptText(CharSequence)} takes one whole text; words given one by one with
 * {@link #accept(String)} continue the current text until {@link #endText()}. {@link #combine(DistinctNGrams)}
 * is exact through the n-gram sets (union of distinct n-grams, sum of occurrences) and puts a text boundary between
 * the two accumulators: combining accumulators that each hold whole texts gives the statistic of all those texts,
 * in any order. The accumulator also answers for every shorter {@code k <= n} ({@link #getAsDouble(int)}); memory
 * grows with the number of distinct k-grams.
 *
 * <p>Not thread-safe; see {@link WordStatistic}.
 */
public final class DistinctNGrams extends WordStatistic {

    /** The largest order supported. */
    public static final int MAX_N = NGramCounter.MAX_N;

    private final NGramCounter counter;

    private DistinctNGrams(WordTokenizer tokenizer, int n) {
        super(tokenizer);
        this.counter = new NGramCounter(n);
    }

    /**
     * An empty accumulator for distinct-n, texts split by {@link WordTokenizer#unicode()}.
     *
     * @param n the n-gram order, {@code 1 <= n <= 4}
     * @throws IllegalArgumentException if {@code n} is outside {@code [1, 4]}
     */
    public static DistinctNGrams create(int n) {
        return new DistinctNGrams(WordTokenizer.unicode(), n);
    }

    /** An empty accumulator for distinct-n with this tokenizer. */
    public static DistinctNGrams create(int n, WordTokenizer tokenizer) {
        return new DistinctNGrams(tokenizer, n);
    }

    /** distinct-n of one text given as words (verbatim). */
    public static DistinctNGrams of(int n, String... tokens) {
        return acceptAll(create(n), tokens);
    }

    /** distinct-n of these texts, split by {@link WordTokenizer#unicode()}. */
    public static DistinctNGrams ofTexts(int n, Iterable<? extends CharSequence> texts) {
        return acceptTexts(create(n), texts);
    }

    /** Ends the current text: no n-gram spans this point. */
    @Override
    public void endText() {
        counter.endText();
    }

    /**
     * Adds {@code other}'s n-grams ({@code other} is unchanged), with a text boundary between the two.
     *
     * @throws IllegalArgumentException if the orders differ
     */
    public DistinctNGrams combine(DistinctNGrams other) {
        counter.merge(other.counter, vocabulary.absorb(other.vocabulary));
        return this;
    }

    /** The order {@code n}. */
    public int getN() {
        return counter.maxN();
    }

    /** The number of distinct k-grams so far, {@code 1 <= k <= n}. */
    public long getDistinctCount(int k) {
        return counter.distinct(k);
    }

    /** The number of k-gram occurrences so far, {@code 1 <= k <= n}. */
    public long getTotalCount(int k) {
        return counter.total(k);
    }

    @Override
    void acceptId(int id) {
        counter.add(id);
    }

    /** distinct-n so far, NaN if there is no n-gram. */
    @Override
    public double getAsDouble() {
        return counter.ratio(counter.maxN());
    }

    /**
     * distinct-k so far for a shorter order.
     *
     * @param k the order, {@code 1 <= k <= n}
     * @return distinct k-grams / k-gram occurrences, NaN if there is none
     */
    public double getAsDouble(int k) {
        return counter.ratio(k);
    }
}
