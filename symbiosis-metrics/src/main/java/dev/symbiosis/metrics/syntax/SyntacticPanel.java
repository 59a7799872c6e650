package dev.symbiosis.metrics.syntax;

import dev.symbiosis.core.measure.TextSetMeasure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Syntactic diversity and complexity of a text set from part-of-speech tags: the texts are analyzed (sentences,
 * tokens, UPOS tags) by a {@link SyntaxAnalyzer}, in parallel where the analyzer does so, and every statistic is
 * computed over all their sentences' syntactic words ({@link TaggedSentence#upos()}).
 *
 * <p>Figures:
 * <table>
 *   <caption>figures</caption>
 *   <tr><th>name</th><th>statistic</th></tr>
 *   <tr><td>{@code syntax.sentences}, {@code syntax.tokens}</td><td>sentences and syntactic words</td></tr>
 *   <tr><td>{@code syntax.mean_sentence_length}</td><td>{@link PosComplexity#meanSentenceLength()}</td></tr>
 *   <tr><td>{@code syntax.sconj_per_sentence}</td><td>{@link PosComplexity#subordinatorsPerSentence()}</td></tr>
 *   <tr><td>{@code syntax.clauses_per_sentence}</td><td>{@link PosComplexity#clausesPerSentence()}
 *   ((VERB + AUX) per sentence)</td></tr>
 *   <tr><td>{@code syntax.verb_rate}</td><td>{@link PosComplexity#verbRate()}</td></tr>
 *   <tr><td>{@code syntax.pos_distinct_1} .. {@code _4}</td><td>{@link PosNGrams#distinctRatio(int)}</td></tr>
 *   <tr><td>{@code syntax.pos_entropy_1} .. {@code _4}</td><td>{@link PosNGrams#entropyBits(int)}, bits</td></tr>
 *   <tr><td>{@code syntax.pos_jsd_1} .. {@code _4}</td><td>with a reference only:
 *   {@link PosNGrams#jensenShannonBits(PosNGrams, int)} from the reference's POS n-gram distribution, bits</td></tr>
 *   <tr><td>{@code syntax.pos_trigram_surprisal}</td><td>with a reference only:
 *   {@link PosTrigramModel#meanSurprisalBits(List)} under the reference's add-one trigram model, bits</td></tr>
 * </table>
 * Undefined figures (no sentence, no n-gram of an order) are {@code NaN}.
 *
 * <p>Immutable; {@link #measure(List)} is thread-safe when the analyzer is ({@link OpenNlpAnalyzer} is).
 */
public final class SyntacticPanel implements TextSetMeasure {

    /** Figure name prefix. */
    public static final String PREFIX = "syntax.";

    private final SyntaxAnalyzer analyzer;
    private final PosNGrams referenceNGrams;
    private final PosTrigramModel referenceModel;

    private SyntacticPanel(SyntaxAnalyzer analyzer, PosNGrams referenceNGrams, PosTrigramModel referenceModel) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.referenceNGrams = referenceNGrams;
        this.referenceModel = referenceModel;
    }

    /** A panel without reference (no JSD, no surprisal). */
    public static SyntacticPanel create(SyntaxAnalyzer analyzer) {
        return new SyntacticPanel(analyzer, null, null);
    }

    /** A panel without reference over {@link OpenNlpAnalyzer#create()}. */
    public static SyntacticPanel create() {
        return create(OpenNlpAnalyzer.create());
    }

    /**
     * This panel with a reference: the reference texts are analyzed now, once, and their POS n-gram counts and
     * trigram model kept.
     */
    public SyntacticPanel withReference(List<String> referenceTexts) {
        List<TaggedSentence> sentences = new ArrayList<>();
        analyzer.analyzeAll(referenceTexts).forEach(sentences::addAll);
        return withReferenceSentences(sentences);
    }

    /** This panel with a reference given as tagged sentences. */
    public SyntacticPanel withReferenceSentences(List<TaggedSentence> referenceSentences) {
        return new SyntacticPanel(analyzer, PosNGrams.of(referenceSentences),
                PosTrigramModel.of(referenceSentences));
    }

    public SyntaxAnalyzer analyzer() {
        return analyzer;
    }

    public boolean hasReference() {
        return referenceNGrams != null;
    }

    /** Analyzes the texts and returns the figures of all their sentences; sorted, unmodifiable. */
    @Override
    public SortedMap<String, Double> measure(List<String> texts) {
        List<TaggedSentence> sentences = new ArrayList<>();
        analyzer.analyzeAll(texts).forEach(sentences::addAll);
        return figures(sentences);
    }

    /** The figures of already analyzed sentences; sorted, unmodifiable. */
    public SortedMap<String, Double> figures(List<TaggedSentence> sentences) {
        PosNGrams grams = PosNGrams.create();
        PosComplexity complexity = PosComplexity.create();
        for (TaggedSentence s : sentences) {
            List<Upos> tags = s.upos();
            grams.acceptTags(tags);
            complexity.acceptTags(tags);
        }
        SortedMap<String, Double> f = new TreeMap<>(figures(grams, complexity));
        if (referenceModel != null) {
            f.put(PREFIX + "pos_trigram_surprisal", referenceModel.meanSurprisalBits(sentences));
        }
        return Collections.unmodifiableSortedMap(f);
    }

    /**
     * The figures of counts accumulated elsewhere (for example combined from the partitions of a distributed
     * job): every figure of {@link #figures(List)} except {@code pos_trigram_surprisal}, which needs the sentences.
     */
    public SortedMap<String, Double> figures(PosNGrams grams, PosComplexity complexity) {
        SortedMap<String, Double> f = new TreeMap<>();
        f.put(PREFIX + "sentences", (double) complexity.sentences());
        f.put(PREFIX + "tokens", (double) complexity.words());
        f.put(PREFIX + "mean_sentence_length", complexity.meanSentenceLength());
        f.put(PREFIX + "sconj_per_sentence", complexity.subordinatorsPerSentence());
        f.put(PREFIX + "clauses_per_sentence", complexity.clausesPerSentence());
        f.put(PREFIX + "verb_rate", complexity.verbRate());
        for (int n = 1; n <= PosNGrams.MAX_N; n++) {
            f.put(PREFIX + "pos_distinct_" + n, grams.distinctRatio(n));
            f.put(PREFIX + "pos_entropy_" + n, grams.entropyBits(n));
            if (referenceNGrams != null) {
                f.put(PREFIX + "pos_jsd_" + n, grams.jensenShannonBits(referenceNGrams, n));
            }
        }
        return Collections.unmodifiableSortedMap(f);
    }
}
