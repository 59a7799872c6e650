package dev.symbiosis.metrics.syntax;

import java.util.List;

/**
 * A UPOS trigram language model with add-one (Laplace) smoothing, and the mean surprisal of tag sequences under it.
 *
 * <p>Each sentence's tag sequence {@code t_1..t_L} ({@link TaggedSentence#upos()}) is padded as
 * {@code <s> <s> t_1 .. t_L </s>} and contributes the {@code L + 1} trigrams ending at {@code t_1..t_L, </s>}.
 * With {@code c(.)} the reference counts and {@code V = 18} possible outcomes (17 UPOS tags and {@code </s>}):
 * <pre>
 *   P(c | a, b) = (c(a, b, c) + 1) / (c(a, b, .) + V)
 *   surprisal   = (1 / T) * sum over the T predicted positions of -log2 P(t_i | t_{i-2}, t_{i-1})   [bits]
 * </pre>
 * where {@code c(a, b, .)} counts the reference's trigrams with context {@code (a, b)}. The probabilities of every
 * context sum to 1. A text set close to the reference in syntax gets a low surprisal; one with structures the
 * reference lacks, a high one; the uniform model's {@code log2 18 = 4.17} bits bounds unseen contexts. Reference:
 * D. Jurafsky and J. H. Martin, <i>Speech and Language Processing</i> (3rd ed. draft), chapter 3, "N-gram Language
 * Models", sections on Laplace smoothing and perplexity.
 *
 * <p>Building: {@link #create()} + {@link #accept(TaggedSentence)}, {@link #of(List)}, {@link #combine} (counts
 * add). Not thread-safe while building; {@link #meanSurprisalBits(List)} only reads.
 */
public final class PosTrigramModel {

    private static final int BOS = Upos.COUNT;
    private static final int EOS = Upos.COUNT + 1;
    private static final int SYMBOLS = Upos.COUNT + 2;
    /** The number of outcomes a context can predict: the tags and the end of sentence. */
    public static final int OUTCOMES = Upos.COUNT + 1;

    private final long[] trigrams = new long[SYMBOLS * SYMBOLS * SYMBOLS];
    private final long[] contexts = new long[SYMBOLS * SYMBOLS];
    private long sentences;

    private PosTrigramModel() {}

    /** An empty model (every probability {@code 1/18}). */
    public static PosTrigramModel create() {
        return new PosTrigramModel();
    }

    /** The model of these reference sentences. */
    public static PosTrigramModel of(List<TaggedSentence> reference) {
        PosTrigramModel m = create();
        reference.forEach(m::accept);
        return m;
    }

    /** Adds one reference sentence's trigrams. */
    public void accept(TaggedSentence sentence) {
        acceptTags(sentence.upos());
    }

    /** Adds one reference sentence given as its tags. */
    public void acceptTags(List<Upos> tags) {
        int a = BOS;
        int b = BOS;
        for (int i = 0; i <= tags.size(); i++) {
            int c = i < tags.size() ? tags.get(i).ordinal() : EOS;
            trigrams[(a * SYMBOLS + b) * SYMBOLS + c]++;
            contexts[a * SYMBOLS + b]++;
            a = b;
            b = c;
        }
        sentences++;
    }

    /** Adds {@code other}'s counts. */
    public PosTrigramModel combine(PosTrigramModel other) {
        for (int i = 0; i < trigrams.length; i++) {
            trigrams[i] += other.trigrams[i];
        }
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] += other.contexts[i];
        }
        sentences += other.sentences;
        return this;
    }

    /** The number of reference sentences. */
    public long sentences() {
        return sentences;
    }

    /**
     * {@code P(c | a, b)}; {@code null} stands for {@code <s>} in the context and for {@code </s>} as the outcome.
     */
    public double probability(Upos a, Upos b, Upos c) {
        int ia = a == null ? BOS : a.ordinal();
        int ib = b == null ? BOS : b.ordinal();
        int ic = c == null ? EOS : c.ordinal();
        return probability(ia, ib, ic);
    }

    private double probability(int a, int b, int c) {
        return (trigrams[(a * SYMBOLS + b) * SYMBOLS + c] + 1.0) / (contexts[a * SYMBOLS + b] + OUTCOMES);
    }

    /**
     * The mean surprisal in bits per predicted position (tags and sentence ends) of these sentences.
     *
     * @return the mean, {@code NaN} for no sentence
     */
    public double meanSurprisalBits(List<TaggedSentence> sentences) {
        double sum = 0;
        long positions = 0;
        for (TaggedSentence s : sentences) {
            List<Upos> tags = s.upos();
            int a = BOS;
            int b = BOS;
            for (int i = 0; i <= tags.size(); i++) {
                int c = i < tags.size() ? tags.get(i).ordinal() : EOS;
                sum -= Math.log(probability(a, b, c));
                positions++;
                a = b;
                b = c;
            }
        }
        return positions == 0 ? Double.NaN : sum / positions / Math.log(2);
    }
}
