package dev.symbiosis.metrics.lexical;

/**
 * Yule's characteristic K, a measure of vocabulary repetitiveness that is (under a random-sampling model) independent
 * of text length:
 * <pre>
 *   K = 10^4 * (M2 - N) / N^2,   M2 = sum_i i^2 V_i
 * </pre>
 * where {@code N} is the number of tokens and {@code V_i} the number of types that occur exactly {@code i} times
 * (so {@code M2} is the sum over types of their squared frequency). Higher K = more repetition; {@code K = 0} when
 * every word occurs once. {@code NaN} for no token. Reference: G. U. Yule (1944), <i>The Statistical Study of
 * Literary Vocabulary</i>, Cambridge University Press; see also F. J. Tweedie and R. H. Baayen (1998), "How variable
 * may a constant be? Measures of lexical richness in perspective", Computers and the Humanities 32:323-352.
 *
 * <p>Example: {@code "a a b c"}: {@code N = 4}, frequencies 2, 1, 1, {@code M2 = 4 + 1 + 1 = 6},
 * {@code K = 10^4 * 2 / 16 = 1250}.
 *
 * <p>Combines exactly (through the frequency tables). Not thread-safe; see {@link WordStatistic}.
 */
public final class YuleK extends WordStatistic {

    private final Frequencies frequencies = new Frequencies();

    private YuleK(WordTokenizer tokenizer) {
        super(tokenizer);
    }

    /** An empty accumulator whose texts are split by {@link WordTokenizer#unicode()}. */
    public static YuleK create() {
        return new YuleK(WordTokenizer.unicode());
    }

    /** An empty accumulator whose texts are split by {@code tokenizer}. */
    public static YuleK create(WordTokenizer tokenizer) {
        return new YuleK(tokenizer);
    }

    /** The statistic of these words (verbatim). */
    public static YuleK of(String... tokens) {
        return acceptAll(create(), tokens);
    }

    /** The statistic of the words of these texts, split by {@link WordTokenizer#unicode()}. */
    public static YuleK ofTexts(Iterable<? extends CharSequence> texts) {
        return acceptTexts(create(), texts);
    }

    /** Adds {@code other}'s tokens to this accumulator ({@code other} is unchanged). */
    public YuleK combine(YuleK other) {
        frequencies.merge(other.frequencies, vocabulary.absorb(other.vocabulary));
        return this;
    }

    /** The number of tokens {@code N} accepted so far. */
    public long getTokenCount() {
        return frequencies.tokens();
    }

    @Override
    void acceptId(int id) {
        frequencies.add(id);
    }

    /** {@code 10^4 (M2 - N) / N^2}, NaN if {@code N = 0}. */
    @Override
    public double getAsDouble() {
        return frequencies.yuleK();
    }
}
