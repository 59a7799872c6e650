package dev.symbiosis.metrics.syntax;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Structural complexity read off UPOS tags (no parse needed), over the syntactic words of
 * {@link TaggedSentence#upos()} ({@code S} sentences, {@code W} words, punctuation included):
 * <ul>
 *   <li>{@link #meanSentenceLength()} = {@code W / S} (words per sentence);</li>
 *   <li>{@link #subordinatorsPerSentence()} = {@code #SCONJ / S}, subordinating conjunctions ("because", "that",
 *   "if") per sentence, a proxy for subordinate clauses;</li>
 *   <li>{@link #clausesPerSentence()} = {@code (#VERB + #AUX) / S}, verbal heads per sentence, a proxy for clauses
 *   (every finite clause has a VERB or AUX; a verb with auxiliaries counts more than once, so this over-counts
 *   periphrastic forms);</li>
 *   <li>{@link #verbRate()} = {@code #VERB / W}.</li>
 * </ul>
 * Each is {@code NaN} with no sentence (rates: no word). These are standard surface proxies of syntactic complexity
 * (cf. X. Lu (2010), "Automatic analysis of syntactic complexity in second language writing", International Journal
 * of Corpus Linguistics 15(4):474-496, whose measures use a parser; these use tags only).
 *
 * <p>Streaming with {@link #create()}, {@link #accept(TaggedSentence)}, {@link #of(List)}, {@link #combine}: counts
 * add, so every route agrees. Not thread-safe.
 */
public final class PosComplexity {

    private long sentences;
    private long words;
    private long sconj;
    private long verbs;
    private long aux;

    private PosComplexity() {}

    /** An empty accumulator. */
    public static PosComplexity create() {
        return new PosComplexity();
    }

    /** The complexity of these sentences. */
    public static PosComplexity of(List<TaggedSentence> sentences) {
        PosComplexity c = create();
        sentences.forEach(c::accept);
        return c;
    }

    /** Adds one sentence. */
    public void accept(TaggedSentence sentence) {
        acceptTags(sentence.upos());
    }

    /** Adds one sentence given as its tags. */
    public void acceptTags(List<Upos> tags) {
        sentences++;
        words += tags.size();
        for (Upos t : tags) {
            switch (t) {
                case SCONJ -> sconj++;
                case VERB -> verbs++;
                case AUX -> aux++;
                default -> { }
            }
        }
    }

    /** Adds {@code other}'s counts. */
    public PosComplexity combine(PosComplexity other) {
        sentences += other.sentences;
        words += other.words;
        sconj += other.sconj;
        verbs += other.verbs;
        aux += other.aux;
        return this;
    }

    public long sentences() {
        return sentences;
    }

    public long words() {
        return words;
    }

    /** {@code W / S}; NaN if {@code S = 0}. */
    public double meanSentenceLength() {
        return ratio(words, sentences);
    }

    /** {@code #SCONJ / S}; NaN if {@code S = 0}. */
    public double subordinatorsPerSentence() {
        return ratio(sconj, sentences);
    }

    /** {@code (#VERB + #AUX) / S}; NaN if {@code S = 0}. */
    public double clausesPerSentence() {
        return ratio(verbs + aux, sentences);
    }

    /** {@code #VERB / W}; NaN if {@code W = 0}. */
    public double verbRate() {
        return ratio(verbs, words);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    /** Writes the counts (read back with {@link #readFrom}). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(sentences);
        out.writeLong(words);
        out.writeLong(sconj);
        out.writeLong(verbs);
        out.writeLong(aux);
    }

    /** Counts written by {@link #writeTo}. */
    public static PosComplexity readFrom(DataInput in) throws IOException {
        PosComplexity c = create();
        c.sentences = in.readLong();
        c.words = in.readLong();
        c.sconj = in.readLong();
        c.verbs = in.readLong();
        c.aux = in.readLong();
        if (c.sentences < 0 || c.words < 0 || c.sconj < 0 || c.verbs < 0 || c.aux < 0) {
            throw new IOException("negative POS complexity counts");
        }
        return c;
    }
}
