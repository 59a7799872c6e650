package dev.symbiosis.metrics.lexical;

/**
 * Measure of textual lexical diversity (MTLD): the mean length of the sequential word runs ("factors") over which
 * the running TTR stays above a threshold {@code t} (default 0.72).
 *
 * <p>One pass: walk the tokens keeping the TTR of the current segment; after each token, if
 * {@code TTR <= t}, count one factor and start a new, empty segment. At the end, a non-empty remaining segment with
 * ratio {@code TTR_r} counts the partial factor {@code (1 - TTR_r) / (1 - t)}. The pass gives {@code N / F}, with
 * {@code F} the (fractional) factor count. MTLD is the mean of the forward pass and the backward pass (tokens in
 * reverse order):
 * <pre>
 *   MTLD = ( N / F_forward + N / F_backward ) / 2
 * </pre>
 * {@code NaN} for no token, and when no factor can be formed ({@code F = 0}: every token is distinct; the value
 * would be infinite). Reference: P. M. McCarthy and S. Jarvis (2010), "MTLD, vocd-D, and HD-D: A validation study of
 * sophisticated approaches to lexical diversity assessment", Behavior Research Methods 42(2):381-392; the
 * comparison {@code TTR <= t} in double precision and the partial-factor rule follow K. Kyle's
 * {@code lexical_diversity} reference implementation.
 *
 * <p><b>Text sets.</b> Sequential: the texts are one sequence in the order accepted (segments run across text
 * boundaries). {@link #combine(Mtld)} is concatenation ({@code a.combine(b)} = a's tokens followed by b's, exactly;
 * not commutative). The backward pass needs the whole sequence, so the accumulator keeps every token id: memory
 * {@code 4 N} bytes; {@link #getAsDouble()} costs {@code O(N)}.
 *
 * <p>Not thread-safe; see {@link WordStatistic}.
 */
public final class Mtld extends WordStatistic {

    /** McCarthy and Jarvis's threshold, 0.72. */
    public static final double DEFAULT_THRESHOLD = 0.72;

    private final double threshold;
    private final MtldSequence sequence = new MtldSequence();

    private Mtld(WordTokenizer tokenizer, double threshold) {
        super(tokenizer);
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        this.threshold = threshold;
    }

    /** An empty accumulator, threshold 0.72, texts split by {@link WordTokenizer#unicode()}. */
    public static Mtld create() {
        return new Mtld(WordTokenizer.unicode(), DEFAULT_THRESHOLD);
    }

    /**
     * An empty accumulator.
     *
     * @param threshold the factor threshold, in {@code (0, 1)}
     * @param tokenizer the tokenizer of {@link #acceptText(CharSequence)}
     * @throws IllegalArgumentException if the threshold is outside {@code (0, 1)}
     */
    public static Mtld create(double threshold, WordTokenizer tokenizer) {
        return new Mtld(tokenizer, threshold);
    }

    /** The statistic of these words (verbatim), threshold 0.72. */
    public static Mtld of(String... tokens) {
        return acceptAll(create(), tokens);
    }

    /** The statistic of the words of these texts in order, split by {@link WordTokenizer#unicode()}. */
    public static Mtld ofTexts(Iterable<? extends CharSequence> texts) {
        return acceptTexts(create(), texts);
    }

    /**
     * Appends {@code other}'s token sequence after this one's ({@code other} is unchanged).
     *
     * @throws IllegalArgumentException if the thresholds differ
     */
    public Mtld combine(Mtld other) {
        if (Double.compare(other.threshold, threshold) != 0) {
            throw new IllegalArgumentException("thresholds differ: " + threshold + " and " + other.threshold);
        }
        sequence.append(other.sequence, vocabulary.absorb(other.vocabulary));
        return this;
    }

    /** The threshold {@code t}. */
    public double getThreshold() {
        return threshold;
    }

    /** The number of tokens {@code N} accepted so far. */
    public long getTokenCount() {
        return sequence.size();
    }

    @Override
    void acceptId(int id) {
        sequence.add(id);
    }

    /** MTLD of the sequence so far, NaN if {@code N = 0} or every token is distinct. */
    @Override
    public double getAsDouble() {
        return sequence.value(threshold);
    }
}
