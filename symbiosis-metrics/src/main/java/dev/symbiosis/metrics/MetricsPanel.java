package dev.symbiosis.metrics;

import dev.symbiosis.core.measure.TextSetMeasure;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.metrics.fidelity.Fidelity;
import dev.symbiosis.metrics.lexical.LexicalPanel;
import dev.symbiosis.metrics.lexical.Mattr;
import dev.symbiosis.metrics.lexical.Mtld;
import dev.symbiosis.metrics.lexical.WordTokenizer;
import dev.symbiosis.metrics.semantic.CosineDistances;
import dev.symbiosis.metrics.semantic.CovarianceLogDet;
import dev.symbiosis.metrics.semantic.Embeddings;
import dev.symbiosis.metrics.semantic.HullVolume;
import dev.symbiosis.metrics.semantic.Pca;
import dev.symbiosis.metrics.semantic.SentenceEncoder;
import dev.symbiosis.metrics.semantic.VendiScore;
import dev.symbiosis.metrics.syntax.SyntacticPanel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Every metric of this module for a set of texts, by dotted name: lexical and syntactic diversity
 * ({@link LexicalPanel}, {@link SyntacticPanel}), semantic diversity of sentence embeddings, and fidelity under a
 * reference language model.
 *
 * <p><b>Equal footing.</b> Most diversity figures depend on the number of texts (type-token ratio falls, hull volume
 * grows, log-det changes with {@code N}). So every measured set is first reduced to the same number of texts,
 * {@link Builder#sampleSize(int)} (default {@value #DEFAULT_SAMPLE_SIZE}), by a seeded draw without replacement
 * ({@link #subsample(List, int, long)}: partial Fisher-Yates with a {@link SplittableRandom} seeded by
 * {@link Builder#seed(long)}, the chosen texts kept in their original order). Sets of different strategies measured
 * by one panel are therefore compared on the same number of texts. A set smaller than the sample size is measured
 * whole; {@code panel.measured_texts} shows how many texts each figure saw, and figures of sets of different sizes
 * should not be compared.
 *
 * <p><b>Figures</b> (absent when the part is not configured; {@code NaN} when undefined for the input):
 * <table>
 *   <caption>figures</caption>
 *   <tr><th>name</th><th>meaning</th></tr>
 *   <tr><td>{@code panel.input_texts}, {@code panel.measured_texts}</td><td>texts given, texts measured after
 *   sub-sampling</td></tr>
 *   <tr><td>{@code lexical.*}</td><td>{@link LexicalPanel}: tokens, types, ttr, mattr, mtld, yule_k, yule_i,
 *   distinct_1..4</td></tr>
 *   <tr><td>{@code syntax.*}</td><td>{@link SyntacticPanel}: sentences, tokens, mean_sentence_length,
 *   sconj_per_sentence, clauses_per_sentence, verb_rate, pos_distinct_1..4, pos_entropy_1..4 (bits), and with
 *   reference texts pos_jsd_1..4 and pos_trigram_surprisal; off with {@link Builder#syntax(boolean)}</td></tr>
 *   <tr><td>{@code semantic.mean_cosine_distance}</td><td>exact mean over all pairs,
 *   {@link CosineDistances#meanPairwiseDistance}</td></tr>
 *   <tr><td>{@code semantic.cosine_distance_sd}, {@code _q05}, {@code _q25}, {@code _median}, {@code _q75},
 *   {@code _q95}</td><td>distribution over a seeded sample of {@link Builder#pairSample(int)} pairs,
 *   {@link CosineDistances#samplePairs}</td></tr>
 *   <tr><td>{@code semantic.hull_volume_k5} (suffix = k)</td><td>{@link HullVolume} after PCA to k dimensions
 *   (default 5), the PCA fitted on the reference texts or on the set itself ({@link PcaFit})</td></tr>
 *   <tr><td>{@code semantic.logdet_cov}</td><td>{@link CovarianceLogDet}, ridge {@link Builder#logDetRidge}</td></tr>
 *   <tr><td>{@code semantic.vendi}</td><td>{@link VendiScore}, cosine kernel</td></tr>
 *   <tr><td>{@code fidelity.perplexity}, {@code fidelity.bits_per_byte}, {@code fidelity.nll_per_token},
 *   {@code fidelity.tokens}</td><td>{@link Fidelity} under the reference scorer</td></tr>
 * </table>
 *
 * <p><b>Empty input.</b> {@link #measure} refuses an empty list ({@link TextSetMeasure} requires at least one
 * text); figures that need more texts than given (pairs, hull) are {@code NaN}.
 *
 * <p><b>Thread safety.</b> The panel is immutable; {@link #measure} is thread-safe when the encoder, scorer and
 * syntactic panel are (the {@link dev.symbiosis.metrics.semantic.MiniLmEncoder}, {@link LexicalPanel} and
 * {@link SyntacticPanel} are). The
 * panel does not own the encoder or scorer: close them yourself.
 */
public final class MetricsPanel implements TextSetMeasure {

    /** Default number of texts every set is sub-sampled to. */
    public static final int DEFAULT_SAMPLE_SIZE = 512;
    /** Default seed of the sub-sampling and the pair sample. */
    public static final long DEFAULT_SEED = 20_240_601L;
    /** Default number of pairs for the cosine-distance distribution. */
    public static final int DEFAULT_PAIR_SAMPLE = 2000;

    /** Where the hull's PCA projection comes from. */
    public enum PcaFit {
        /** Fitted once on the reference texts (or vectors) and shared by every measured set: comparable volumes. */
        REFERENCE,
        /** Fitted on each measured set itself: the set's spread along its own principal axes. */
        SELF
    }

    private final TextSetMeasure lexical;
    private final TextSetMeasure syntactic;
    private final SentenceEncoder encoder;
    private final Pca referencePca;
    private final PcaFit pcaFit;
    private final int hullK;
    private final double ridge;
    private final Fidelity fidelity;
    private final int sampleSize;
    private final int pairSample;
    private final long seed;

    private MetricsPanel(Builder b, TextSetMeasure syntactic, Pca referencePca, PcaFit fit) {
        this.lexical = b.lexical;
        this.syntactic = syntactic;
        this.encoder = b.encoder;
        this.referencePca = referencePca;
        this.pcaFit = fit;
        this.hullK = b.hullK;
        this.ridge = b.ridge;
        this.fidelity = b.scorer == null ? null : new Fidelity(b.scorer, b.scorerBatch);
        this.sampleSize = b.sampleSize;
        this.pairSample = b.pairSample;
        this.seed = b.seed;
    }

    /** A builder; with nothing set, the panel measures the lexical and syntactic figures. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of texts every set is reduced to. */
    public int sampleSize() {
        return sampleSize;
    }

    /** The seed of the sub-sampling and pair sampling. */
    public long seed() {
        return seed;
    }

    /** How the hull's PCA is fitted, or {@code null} without an encoder. */
    public PcaFit pcaFit() {
        return encoder == null ? null : pcaFit;
    }

    /** The hull dimension {@code k}. */
    public int hullDimension() {
        return hullK;
    }

    /** The name of the hull-volume figure, {@code semantic.hull_volume_k<k>}. */
    public String hullFigure() {
        return "semantic.hull_volume_k" + hullK;
    }

    /**
     * Measures the texts after sub-sampling them to {@link #sampleSize()}.
     *
     * @param texts at least one text
     * @return figures by dotted name, sorted; unmodifiable
     * @throws IllegalArgumentException if {@code texts} is empty
     */
    @Override
    public SortedMap<String, Double> measure(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to measure");
        }
        List<String> sample = subsample(texts, sampleSize, seed);
        SortedMap<String, Double> f = new TreeMap<>();
        f.put("panel.input_texts", (double) texts.size());
        f.put("panel.measured_texts", (double) sample.size());
        if (lexical != null) {
            f.putAll(lexical.measure(sample));
        }
        if (syntactic != null) {
            f.putAll(syntactic.measure(sample));
        }
        if (encoder != null) {
            f.putAll(semantic(encoder.encode(sample)));
        }
        if (fidelity != null) {
            Fidelity.Result r = fidelity.measure(sample);
            f.put("fidelity.perplexity", r.perplexity());
            f.put("fidelity.bits_per_byte", r.bitsPerByte());
            f.put("fidelity.nll_per_token", r.nllPerToken());
            f.put("fidelity.tokens", (double) r.tokens());
        }
        return Collections.unmodifiableSortedMap(f);
    }

    /**
     * The semantic figures of vectors given directly (already sub-sampled by the caller), with this panel's PCA
     * setting, hull dimension, ridge, pair sample and seed. Rows are L2-normalised first, as encoders give them.
     *
     * @throws IllegalArgumentException if a row is zero, or the dimension differs from the reference PCA's
     */
    public SortedMap<String, Double> semantic(Embeddings raw) {
        Embeddings vectors = raw.normalised();
        SortedMap<String, Double> f = new TreeMap<>();
        f.put("semantic.mean_cosine_distance", CosineDistances.meanPairwiseDistance(vectors));
        CosineDistances.DistanceDistribution d = CosineDistances.samplePairs(vectors, pairSample, seed);
        f.put("semantic.cosine_distance_sd", d.sd());
        f.put("semantic.cosine_distance_q05", d.q05());
        f.put("semantic.cosine_distance_q25", d.q25());
        f.put("semantic.cosine_distance_median", d.median());
        f.put("semantic.cosine_distance_q75", d.q75());
        f.put("semantic.cosine_distance_q95", d.q95());
        double hull = Double.NaN;
        if (pcaFit == PcaFit.REFERENCE) {
            hull = HullVolume.measureOrNaN(vectors, referencePca);
        } else if (vectors.size() >= hullK + 1) {
            hull = HullVolume.measureOrNaN(vectors, Pca.fit(vectors, hullK));
        }
        f.put(hullFigure(), hull);
        f.put("semantic.logdet_cov", CovarianceLogDet.logDet(vectors, ridge));
        f.put("semantic.vendi", VendiScore.of(vectors));
        return f;
    }

    /**
     * The texts reduced to {@code size} by a seeded draw without replacement, in their original order; the list
     * itself (as a copy) when it has at most {@code size} texts. The draw depends only on {@code texts.size()},
     * {@code size} and {@code seed}.
     */
    public static List<String> subsample(List<String> texts, int size, long seed) {
        int n = texts.size();
        if (n <= size) {
            return List.copyOf(texts);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            int j = i + r.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, size);
        Arrays.sort(chosen);
        List<String> out = new ArrayList<>(size);
        for (int i : chosen) {
            out.add(texts.get(i));
        }
        return Collections.unmodifiableList(out);
    }

    /** Configuration of a {@link MetricsPanel}. Not thread-safe. */
    public static final class Builder {
        private TextSetMeasure lexical = LexicalPanel.create();
        private TextSetMeasure syntactic;
        private boolean syntax = true;
        private SentenceEncoder encoder;
        private List<String> referenceTexts;
        private Embeddings referenceVectors;
        private PcaFit pcaFit;
        private int hullK = HullVolume.DEFAULT_K;
        private double ridge = CovarianceLogDet.DEFAULT_RIDGE;
        private TextScorer scorer;
        private int scorerBatch = Fidelity.DEFAULT_BATCH_SIZE;
        private int sampleSize = DEFAULT_SAMPLE_SIZE;
        private int pairSample = DEFAULT_PAIR_SAMPLE;
        private long seed = DEFAULT_SEED;

        private Builder() {}

        /** The lexical panel (default {@link LexicalPanel#create()}); {@code null} leaves lexical figures out. */
        public Builder lexical(TextSetMeasure panel) {
            this.lexical = panel;
            return this;
        }

        /**
         * Texts are pre-tokenized (words separated by white space, taken verbatim): the lexical panel uses
         * {@link WordTokenizer#whitespace()} instead of Unicode word matching.
         */
        public Builder pretokenized(boolean pretokenized) {
            this.lexical = LexicalPanel.of(pretokenized ? WordTokenizer.whitespace() : WordTokenizer.unicode(),
                    Mattr.DEFAULT_WINDOW, Mtld.DEFAULT_THRESHOLD);
            return this;
        }

        /**
         * The syntactic panel ({@code syntax.*} figures) to use instead of the default
         * {@link SyntacticPanel#create()}; a {@link SyntacticPanel} without reference gets the
         * {@linkplain #referenceTexts reference texts} at {@link #build()} (for its POS n-gram JSD and trigram
         * surprisal). Implies {@code syntax(true)}.
         */
        public Builder syntactic(TextSetMeasure panel) {
            this.syntactic = Objects.requireNonNull(panel, "panel");
            this.syntax = true;
            return this;
        }

        /**
         * Whether to compute the {@code syntax.*} figures (default true): OpenNLP sentence splitting, tokenization
         * and UPOS tagging of every measured text, and of the reference texts once at {@link #build()}.
         */
        public Builder syntax(boolean enabled) {
            this.syntax = enabled;
            if (!enabled) {
                this.syntactic = null;
            }
            return this;
        }

        /** The sentence encoder for the semantic figures; {@code null} (default) leaves them out. */
        public Builder encoder(SentenceEncoder encoder) {
            this.encoder = encoder;
            return this;
        }

        /**
         * Reference texts (for example held-out real text): encoded once at {@link #build()} to fit the hull's
         * PCA. All of them are encoded; pass a sample if the reference is large.
         */
        public Builder referenceTexts(List<String> texts) {
            this.referenceTexts = texts == null ? null : List.copyOf(texts);
            return this;
        }

        /** Reference vectors for the PCA, instead of encoding {@link #referenceTexts}. */
        public Builder referenceVectors(Embeddings vectors) {
            this.referenceVectors = vectors;
            return this;
        }

        /**
         * How the hull's PCA is fitted; default {@link PcaFit#REFERENCE} when reference texts or vectors are
         * given, otherwise {@link PcaFit#SELF}.
         */
        public Builder pcaFit(PcaFit fit) {
            this.pcaFit = Objects.requireNonNull(fit, "fit");
            return this;
        }

        /** Hull dimension {@code k} in {@code [1, 8]}, default 5 (see {@link HullVolume}). */
        public Builder hullDimension(int k) {
            if (k < 1 || k > HullVolume.MAX_K) {
                throw new IllegalArgumentException("hull dimension must be in [1, " + HullVolume.MAX_K + "], got "
                        + k);
            }
            this.hullK = k;
            return this;
        }

        /** Ridge of the covariance log-determinant, default {@value CovarianceLogDet#DEFAULT_RIDGE}. */
        public Builder logDetRidge(double ridge) {
            if (!(ridge > 0) || Double.isInfinite(ridge)) {
                throw new IllegalArgumentException("ridge must be positive and finite, got " + ridge);
            }
            this.ridge = ridge;
            return this;
        }

        /** The reference language model for fidelity; {@code null} (default) leaves fidelity out. */
        public Builder referenceScorer(TextScorer scorer) {
            this.scorer = scorer;
            return this;
        }

        /** Texts per call of the reference scorer, default {@value Fidelity#DEFAULT_BATCH_SIZE}. */
        public Builder scorerBatchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("scorer batch size must be >= 1, got " + size);
            }
            this.scorerBatch = size;
            return this;
        }

        /** Number of texts every set is sub-sampled to, {@code >= 1}. */
        public Builder sampleSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("sample size must be >= 1, got " + size);
            }
            this.sampleSize = size;
            return this;
        }

        /** Number of pairs for the cosine-distance distribution, {@code >= 1}. */
        public Builder pairSample(int pairs) {
            if (pairs < 1) {
                throw new IllegalArgumentException("pair sample must be >= 1, got " + pairs);
            }
            this.pairSample = pairs;
            return this;
        }

        /** Seed of the sub-sampling and the pair sample. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the panel, encoding the reference texts and fitting the PCA when needed.
         *
         * @throws IllegalStateException if {@link PcaFit#REFERENCE} is requested without reference texts or
         *     vectors, or the reference is too small or degenerate for a {@code k}-dimensional PCA
         */
        public MetricsPanel build() {
            boolean hasReference = referenceVectors != null || (referenceTexts != null && !referenceTexts.isEmpty());
            PcaFit fit = pcaFit != null ? pcaFit : hasReference ? PcaFit.REFERENCE : PcaFit.SELF;
            Pca pca = null;
            if (encoder != null && fit == PcaFit.REFERENCE) {
                if (!hasReference) {
                    throw new IllegalStateException("a reference-fitted PCA needs reference texts or vectors");
                }
                Embeddings ref = referenceVectors != null ? referenceVectors : encoder.encode(referenceTexts);
                if (ref.dimension() != encoder.dimension()) {
                    throw new IllegalStateException("reference vectors have dimension " + ref.dimension()
                            + ", the encoder gives " + encoder.dimension());
                }
                if (ref.size() < hullK + 1) {
                    throw new IllegalStateException("the reference has " + ref.size() + " vectors: a " + hullK
                            + "-dimensional PCA needs at least " + (hullK + 1));
                }
                pca = Pca.fit(ref.normalised(), hullK);
            }
            TextSetMeasure syn = null;
            if (syntax) {
                syn = syntactic != null ? syntactic : SyntacticPanel.create();
                if (syn instanceof SyntacticPanel sp && !sp.hasReference() && referenceTexts != null
                        && !referenceTexts.isEmpty()) {
                    syn = sp.withReference(referenceTexts);
                }
            }
            return new MetricsPanel(this, syn, pca, fit);
        }
    }
}
