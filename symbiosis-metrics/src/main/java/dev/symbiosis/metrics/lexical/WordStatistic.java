package dev.symbiosis.metrics.lexical;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * What every lexical statistic accumulator of this package shares: words go in one at a time with
 * {@link #accept(String)} (taken verbatim) or a whole text at a time with {@link #acceptText(CharSequence)} (split
 * and case-folded by the accumulator's {@link WordTokenizer}); {@link #getAsDouble()} gives the statistic of
 * everything accepted so far and may be called at any time.
 *
 * <p>Words are interned into dense integer ids on first sight, so memory grows with the vocabulary, not with the
 * number of tokens (except for {@link Mtld}, which keeps the sequence).
 *
 * <p>Accumulators are <em>not</em> thread-safe: confine one to a thread, or give each thread its own and
 * {@code combine} them (where the statistic has a combine).
 */
public abstract class WordStatistic implements DoubleSupplier, Consumer<String> {

    final WordTokenizer tokenizer;
    final Vocabulary vocabulary = new Vocabulary();
    private final WordTokenizer.TokenSink sink = (buf, off, len) -> acceptId(vocabulary.intern(buf, off, len));

    WordStatistic(WordTokenizer tokenizer) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /**
     * Accepts one word, verbatim (no tokenization, no case folding), continuing the current text.
     *
     * @param token the word
     */
    @Override
    public final void accept(String token) {
        Objects.requireNonNull(token, "token");
        char[] c = token.toCharArray();
        acceptId(vocabulary.intern(c, 0, c.length));
    }

    /**
     * Accepts every word of {@code text} as split by {@link #tokenizer()}, as a text of its own: for statistics
     * that care (distinct-n), no n-gram spans the start or the end of the text.
     *
     * @param text the text, possibly empty
     */
    public final void acceptText(CharSequence text) {
        endText();
        tokenizer.forEach(text, sink);
        endText();
    }

    /** The tokenizer of {@link #acceptText(CharSequence)}. */
    public final WordTokenizer tokenizer() {
        return tokenizer;
    }

    /** The number of distinct words accepted so far. */
    public final int getTypeCount() {
        return vocabulary.size();
    }

    /** The statistic of everything accepted so far ({@code NaN} where the class says it is undefined). */
    @Override
    public abstract double getAsDouble();

    abstract void acceptId(int id);

    /** Marks a text boundary; a no-op for statistics that ignore boundaries. */
    void endText() {}

    static <T extends WordStatistic> T acceptAll(T statistic, String... tokens) {
        for (String t : tokens) {
            statistic.accept(t);
        }
        return statistic;
    }

    static <T extends WordStatistic> T acceptTexts(T statistic, Iterable<? extends CharSequence> texts) {
        for (CharSequence t : texts) {
            statistic.acceptText(t);
        }
        return statistic;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + getAsDouble() + "]";
    }
}
