package dev.symbiosis.metrics.lexical;

/**
 * Moving-average type-token ratio: the mean TTR of every window of {@code W} consecutive tokens,
 * <pre>
 *   MATTR_W = (1 / (N - W + 1)) * sum_{j=1..N-W+1} V(t_j .. t_{j+W-1}) / W
 * </pre>
 * where {@code V(...)} is the number of distinct words in the window. If {@code N < W} there is no complete window
 * and the value is the TTR of all {@code N} tokens; {@code NaN} for no token. Unlike {@link TypeTokenRatio}, it does
 * not fall with text length. Default window 50. Reference: M. A. Covington and J. D. McFall (2010), "Cutting the
 * Gordian knot: The moving-average type-token ratio (MATTR)", Journal of Quantitative Linguistics 17(2):94-100.
 *
 * <p><b>Text sets.</b> The statistic is sequential: the texts are taken as one sequence in the order accepted and
 * windows run across text boundaries ({@link #acceptText(CharSequence)} marks no boundary here).
 * {@link #combine(Mattr)} is concatenation: {@code a.combine(b)} is the statistic of a's tokens followed by b's,
 * exactly (the state keeps the first and the last {@code W - 1} tokens and the exact sum of window type counts, so
 * windows across the junction are recomputed). It is therefore not commutative. Memory {@code O(W + V)}.
 *
 * <p>Not thread-safe; see {@link WordStatistic}.
 */
public final class Mattr extends WordStatistic {

    /** The default window, 50 tokens (a size that suits sets of short texts). */
    public static final int DEFAULT_WINDOW = 50;

    private final MattrWindow state;

    private Mattr(WordTokenizer tokenizer, int window) {
        super(tokenizer);
        this.state = new MattrWindow(window);
    }

    /** An empty accumulator, window 50, texts split by {@link WordTokenizer#unicode()}. */
    public static Mattr create() {
        return new Mattr(WordTokenizer.unicode(), DEFAULT_WINDOW);
    }

    /**
     * An empty accumulator.
     *
     * @param window the window {@code W >= 1}
     * @throws IllegalArgumentException if {@code window < 1}
     */
    public static Mattr create(int window) {
        return new Mattr(WordTokenizer.unicode(), window);
    }

    /** An empty accumulator with this window and tokenizer. */
    public static Mattr create(int window, WordTokenizer tokenizer) {
        return new Mattr(tokenizer, window);
    }

    /** The statistic of these words (verbatim), window 50. */
    public static Mattr of(String... tokens) {
        return acceptAll(create(), tokens);
    }

    /** The statistic of these words (verbatim) with this window. */
    public static Mattr of(int window, String... tokens) {
        return acceptAll(create(window), tokens);
    }

    /** The statistic of the words of these texts in order, split by {@link WordTokenizer#unicode()}, window 50. */
    public static Mattr ofTexts(Iterable<? extends CharSequence> texts) {
        return acceptTexts(create(), texts);
    }

    /**
     * Appends {@code other}'s token sequence after this one's ({@code other} is unchanged).
     *
     * @throws IllegalArgumentException if the windows differ
     */
    public Mattr combine(Mattr other) {
        if (other.state.window() != state.window()) {
            throw new IllegalArgumentException("windows differ: " + state.window() + " and " + other.state.window());
        }
        state.append(other.state, vocabulary.absorb(other.vocabulary));
        return this;
    }

    /** The window {@code W}. */
    public int getWindow() {
        return state.window();
    }

    /** The number of tokens {@code N} accepted so far. */
    public long getTokenCount() {
        return state.tokens();
    }

    @Override
    void acceptId(int id) {
        state.add(id);
    }

    /** MATTR of the sequence so far; the TTR if {@code N < W}; NaN if {@code N = 0}. */
    @Override
    public double getAsDouble() {
        return state.value();
    }
}
