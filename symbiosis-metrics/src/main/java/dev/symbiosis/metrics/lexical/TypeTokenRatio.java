package dev.symbiosis.metrics.lexical;

/**
 * Type-token ratio
 * <pre>
 *   TTR = V / N
 * </pre>
 * where {@code N} is the number of word tokens and {@code V} the number of distinct words (types). In
 * {@code (0, 1]} for non-empty input; {@code NaN} for no token. Strongly dependent on {@code N} (it falls as
 * texts grow: Heaps' law), so compare sets of equal token counts or use {@link Mattr} / {@link Mtld}. Reference:
 * W. Johnson (1944), "Studies in language behavior: I. A program of research", Psychological Monographs 56(2).
 *
 * <p>Combines exactly (through the frequency tables): {@code of(a).combine(of(b))} equals {@code of(a ++ b)}.
 * Not thread-safe; see {@link WordStatistic}.
 */
public final class TypeTokenRatio extends WordStatistic {

    private final Frequencies frequencies = new Frequencies();

    private TypeTokenRatio(WordTokenizer tokenizer) {
        super(tokenizer);
    }

    /** An empty accumulator whose texts are split by {@link WordTokenizer#unicode()}. */
    public static TypeTokenRatio create() {
        return new TypeTokenRatio(WordTokenizer.unicode());
    }

    /** An empty accumulator whose texts are split by {@code tokenizer}. */
    public static TypeTokenRatio create(WordTokenizer tokenizer) {
        return new TypeTokenRatio(tokenizer);
    }

    /** The statistic of these words (verbatim). */
    public static TypeTokenRatio of(String... tokens) {
        return acceptAll(create(), tokens);
    }

    /** The statistic of the words of these texts, split by {@link WordTokenizer#unicode()}. */
    public static TypeTokenRatio ofTexts(Iterable<? extends CharSequence> texts) {
        return acceptTexts(create(), texts);
    }

    /** Adds {@code other}'s tokens to this accumulator ({@code other} is unchanged). */
    public TypeTokenRatio combine(TypeTokenRatio other) {
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

    /** {@code V / N}, NaN if {@code N = 0}. */
    @Override
    public double getAsDouble() {
        return frequencies.typeTokenRatio();
    }
}
