package dev.symbiosis.metrics.lexical;

import dev.symbiosis.core.measure.TextSetMeasure;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every lexical statistic of this package for a set of texts, in one pass over the text: each text is tokenized
 * once, each word interned once into a shared vocabulary, and the word id feeds the frequency table (TTR, Yule's K
 * and I), the MATTR window, the MTLD sequence and the n-gram sets (distinct-1..4).
 *
 * <p>Figures (see each statistic's class for its formula, reference and empty-input value):
 * <table>
 *   <caption>figures</caption>
 *   <tr><th>name</th><th>statistic</th></tr>
 *   <tr><td>{@code lexical.tokens}</td><td>number of word tokens N</td></tr>
 *   <tr><td>{@code lexical.types}</td><td>number of distinct words V</td></tr>
 *   <tr><td>{@code lexical.ttr}</td><td>{@link TypeTokenRatio}</td></tr>
 *   <tr><td>{@code lexical.mattr}</td><td>{@link Mattr}, window {@link #mattrWindow()}, texts concatenated</td></tr>
 *   <tr><td>{@code lexical.mtld}</td><td>{@link Mtld}, threshold {@link #mtldThreshold()}, texts concatenated</td></tr>
 *   <tr><td>{@code lexical.yule_k}</td><td>{@link YuleK}</td></tr>
 *   <tr><td>{@code lexical.yule_i}</td><td>{@link YuleI}</td></tr>
 *   <tr><td>{@code lexical.distinct_1} .. {@code lexical.distinct_4}</td><td>{@link DistinctNGrams}, n-grams
 *   within texts</td></tr>
 * </table>
 * Every figure equals what the corresponding single-statistic accumulator gives for the same texts (a test checks
 * it).
 *
 * <p>A panel is an immutable, thread-safe configuration; {@link #measure(List)} may be called concurrently. Its
 * {@link Accumulator} is not thread-safe; accumulators of separate threads can be {@linkplain
 * Accumulator#combine(Accumulator) combined} (concatenation order for MATTR and MTLD).
 */
public final class LexicalPanel implements TextSetMeasure {

    /** Figure name prefix. */
    public static final String PREFIX = "lexical.";
    /** The largest n of distinct-n. */
    public static final int MAX_N = 4;
    /** A low estimate of characters per word token in English (about 5.8 with the space), to size tables ahead. */
    private static final int CHARS_PER_TOKEN = 5;

    private static final LexicalPanel DEFAULT =
            new LexicalPanel(WordTokenizer.unicode(), Mattr.DEFAULT_WINDOW, Mtld.DEFAULT_THRESHOLD);

    private final WordTokenizer tokenizer;
    private final int mattrWindow;
    private final double mtldThreshold;

    private LexicalPanel(WordTokenizer tokenizer, int mattrWindow, double mtldThreshold) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        if (mattrWindow < 1) {
            throw new IllegalArgumentException("MATTR window must be >= 1, got " + mattrWindow);
        }
        if (!(mtldThreshold > 0 && mtldThreshold < 1)) {
            throw new IllegalArgumentException("MTLD threshold must be in (0, 1), got " + mtldThreshold);
        }
        this.mattrWindow = mattrWindow;
        this.mtldThreshold = mtldThreshold;
    }

    /** Unicode words, MATTR window 50, MTLD threshold 0.72. */
    public static LexicalPanel create() {
        return DEFAULT;
    }

    /**
     * A panel with these settings.
     *
     * @param tokenizer how texts are split into words
     * @param mattrWindow MATTR window, {@code >= 1}
     * @param mtldThreshold MTLD threshold, in {@code (0, 1)}
     */
    public static LexicalPanel of(WordTokenizer tokenizer, int mattrWindow, double mtldThreshold) {
        return new LexicalPanel(tokenizer, mattrWindow, mtldThreshold);
    }

    public WordTokenizer tokenizer() {
        return tokenizer;
    }

    public int mattrWindow() {
        return mattrWindow;
    }

    public double mtldThreshold() {
        return mtldThreshold;
    }

    /** A new, empty accumulator for this panel's settings. */
    public Accumulator accumulator() {
        return new Accumulator(this);
    }

    /**
     * The figures of these texts (in order, for MATTR and MTLD). Knowing the whole input, it sizes the n-gram tables
     * ahead from its length (one token per 5 characters, at most 2^21 n-grams per level, i.e. up to about 130 MB of
     * tables for inputs of 10 MB and more), which makes it about half again as fast as accepting the texts one by
     * one into an {@link #accumulator()}; the figures are the same.
     *
     * @return the figures by name, sorted; unmodifiable
     */
    @Override
    public SortedMap<String, Double> measure(List<String> texts) {
        Accumulator a = accumulator();
        long chars = 0;
        for (String t : texts) {
            chars += t.length();
        }
        a.reserve(chars / CHARS_PER_TOKEN);
        for (String t : texts) {
            a.acceptText(t);
        }
        return a.figures();
    }

    /** Tag of a serialized accumulator ("LXAC"). */
    private static final int STATE_MAGIC = 0x4C584143;
    private static final int STATE_VERSION = 1;

    /**
     * Reads an accumulator written by {@link Accumulator#writeTo}: its figures and everything later combined into
     * it are those of the accumulator that was written.
     *
     * @throws IOException if the data is not an accumulator state, or was written by a panel with other settings
     *     (named in the message)
     */
    public Accumulator readAccumulator(DataInput in) throws IOException {
        if (in.readInt() != STATE_MAGIC) {
            throw new IOException("not a lexical accumulator state");
        }
        int version = in.readInt();
        if (version != STATE_VERSION) {
            throw new IOException("lexical accumulator state version " + version + ", expected " + STATE_VERSION);
        }
        boolean pre = in.readBoolean();
        int window = in.readInt();
        double threshold = in.readDouble();
        if (pre != tokenizer.isPreTokenized() || window != mattrWindow || Double.compare(threshold, mtldThreshold) != 0) {
            throw new IOException("the state was written by a panel with tokenizer " + (pre ? "whitespace" : "unicode")
                    + ", MATTR window " + window + ", MTLD threshold " + threshold + "; this panel has "
                    + (tokenizer.isPreTokenized() ? "whitespace" : "unicode") + ", " + mattrWindow + ", "
                    + mtldThreshold);
        }
        Accumulator a = accumulator();
        a.texts = in.readLong();
        a.vocabulary.read(in);
        a.frequencies.read(in);
        a.mattr.read(in);
        a.mtld.read(in);
        a.ngrams.read(in);
        if (a.frequencies.types() != a.vocabulary.size()) {
            throw new IOException("corrupt state: " + a.frequencies.types() + " counted types, "
                    + a.vocabulary.size() + " words");
        }
        return a;
    }

    /**
     * Streaming accumulator of all the panel's statistics. Not thread-safe.
     */
    public static final class Accumulator {

        private final LexicalPanel panel;
        private final Vocabulary vocabulary = new Vocabulary();
        private final Frequencies frequencies = new Frequencies();
        private final MattrWindow mattr;
        private final MtldSequence mtld = new MtldSequence();
        private final NGramCounter ngrams = new NGramCounter(MAX_N);
        private long texts;
        private final WordTokenizer.TokenSink sink = (buf, off, len) -> acceptId(vocabulary.intern(buf, off, len));

        private Accumulator(LexicalPanel panel) {
            this.panel = panel;
            this.mattr = new MattrWindow(panel.mattrWindow);
        }

        private void acceptId(int id) {
            frequencies.add(id);
            mattr.add(id);
            mtld.add(id);
            ngrams.add(id);
        }

        /** Sizes the tables for about {@code tokens} more tokens (speed only: no result changes). */
        void reserve(long tokens) {
            ngrams.reserve(tokens);
            mtld.reserve(tokens);
        }

        /** Accepts one text, split by the panel's tokenizer. */
        public Accumulator acceptText(CharSequence text) {
            panel.tokenizer.forEach(text, sink);
            ngrams.endText();
            texts++;
            return this;
        }

        /** Accepts one text given as its words (verbatim). */
        public Accumulator acceptTokens(List<String> words) {
            for (String w : words) {
                char[] c = w.toCharArray();
                acceptId(vocabulary.intern(c, 0, c.length));
            }
            ngrams.endText();
            texts++;
            return this;
        }

        /**
         * Appends {@code other}'s texts after this one's ({@code other} is unchanged). Exact for every figure;
         * the order matters for MATTR and MTLD only.
         *
         * @throws IllegalArgumentException if the panels' settings differ
         */
        public Accumulator combine(Accumulator other) {
            if (other.panel.tokenizer != panel.tokenizer || other.panel.mattrWindow != panel.mattrWindow
                    || Double.compare(other.panel.mtldThreshold, panel.mtldThreshold) != 0) {
                throw new IllegalArgumentException("panels differ");
            }
            int[] remap = vocabulary.absorb(other.vocabulary);
            frequencies.merge(other.frequencies, remap);
            mattr.append(other.mattr, remap);
            mtld.append(other.mtld, remap);
            ngrams.merge(other.ngrams, remap);
            texts += other.texts;
            return this;
        }

        /**
         * Writes this accumulator's whole state (words, counts, MATTR window, MTLD sequence, n-gram sets) so that
         * another process can {@linkplain LexicalPanel#readAccumulator read} it and go on combining: the form in
         * which per-partition accumulators of a distributed job travel. About 4 bytes per token (the MTLD
         * sequence) plus 8 per distinct n-gram.
         */
        public void writeTo(DataOutput out) throws IOException {
            out.writeInt(STATE_MAGIC);
            out.writeInt(STATE_VERSION);
            out.writeBoolean(panel.tokenizer.isPreTokenized());
            out.writeInt(panel.mattrWindow);
            out.writeDouble(panel.mtldThreshold);
            out.writeLong(texts);
            vocabulary.write(out);
            frequencies.write(out);
            mattr.write(out);
            mtld.write(out);
            ngrams.write(out);
        }

        /** The number of texts accepted. */
        public long texts() {
            return texts;
        }

        /** The figures of everything accepted so far, sorted by name; unmodifiable. */
        public SortedMap<String, Double> figures() {
            SortedMap<String, Double> f = new TreeMap<>();
            f.put(PREFIX + "tokens", (double) frequencies.tokens());
            f.put(PREFIX + "types", (double) frequencies.types());
            f.put(PREFIX + "ttr", frequencies.typeTokenRatio());
            f.put(PREFIX + "mattr", mattr.value());
            f.put(PREFIX + "mtld", mtld.value(panel.mtldThreshold));
            f.put(PREFIX + "yule_k", frequencies.yuleK());
            f.put(PREFIX + "yule_i", frequencies.yuleI());
            for (int n = 1; n <= MAX_N; n++) {
                f.put(PREFIX + "distinct_" + n, ngrams.ratio(n));
            }
            return Collections.unmodifiableSortedMap(f);
        }
    }
}
