package dev.symbiosis.metrics.lexical;

/**
 * Yule's characteristic I, a companion of {@link YuleK} that grows with vocabulary richness (higher I = less repetition):
 * <pre>
 *   I = M1^2 / (M2 - M1),   M1 = V = sum_i V_i,   M2 = sum_i i^2 V_i
 * </pre>
 * where {@code V_i} is the number of types occurring exactly {@code i} times and {@code V} the number of types.
 * Undefined ({@code NaN}) when every word occurs exactly once ({@code M2 = M1}, the formula divides by zero) and for
 * no token. Reference: G. U. Yule (1944), <i>The Statistical Study of Literary Vocabulary</i>, Cambridge University
 * Press; definition as given by M. P. Oakes (1998), <i>Statistics for Corpus Linguistics</i>, Edinburgh University
 * Press, and as implemented by the {@code lexicalrichness} Python package ({@code yulei}).
 *
 * <p>Example: {@code "a a b c"}: {@code V = 3}, {@code M2 = 6}, {@code I = 9 / (6 - 3) = 3}.
 *
 * <p>Combines exactly (through the frequency tables). Not thread-safe; see {@link WordStatistic}.
 */
public final class YuleI extends WordStatistic {

    private final Frequencies frequencies = new Frequencies();

    private YuleI(WordTokenizer tokenizer) {
        super(tokenizer);
    }

    /** An empty accumulator whose texts are split by {@link WordTokenizer#unicode()}. */
    public static YuleI create() {
        return new YuleI(WordTokenizer.unicode());
    }

    /** An empty accumulator whose texts are split by {@code tokenizer}. */
    public static YuleI create(WordTokenizer tokenizer) {
        return new YuleI(tokenizer);
    }

    /** The statistic of these words (verbatim). */
    public static YuleI of(String... tokens) {
        return acceptAll(create(), tokens);
    }

    /** The statistic of the words of these texts, split by {@link WordTokenizer#unicode()}. */
    public static YuleI ofTexts(Iterable<? extends CharSequence> texts) {
        return acceptTexts(create(), texts);
    }

    /** Adds {@code other}'s tokens to this accumulator ({@code other} is unchanged). */
    public YuleI combine(YuleI other) {
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

    /** {@code V^2 / (M2 - V)}, NaN if {@code N = 0} or {@code M2 = V}. */
    @Override
    public double getAsDouble() {
        return frequencies.yuleI();
    }
}
