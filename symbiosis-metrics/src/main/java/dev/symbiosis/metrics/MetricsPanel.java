package dev.symbiosis.metrics;

import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.measure.TextSetMeasure;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.ProvenanceKeys;
import dev.symbiosis.metrics.fidelity.DomainFidelity;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
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
 * should not be compared. Texts of different lengths move the figures too: {@link Builder#matched(int, int)} adds
 * figures on a {@link MatchedSample} (equal count and equal length), and {@link Builder#realDocuments(List)} measures
 * real text by the same route.
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
 *   <tr><td>{@code matched.texts}, {@code matched.length}, {@code matched.eligible_texts}</td><td>with
 *   {@link Builder#matched(int, int)}: the matched sample's count and length (code points), and how many of the
 *   given texts are long enough to be drawn</td></tr>
 *   <tr><td>{@code matched.lexical.*}, {@code matched.syntax.*}, {@code matched.semantic.*}</td><td>the lexical,
 *   syntactic and semantic figures of the {@link MatchedSample} of the texts (drawn from all given texts, not from
 *   the {@code sampleSize} sub-sample); absent when fewer than {@code matched.texts} texts are eligible</td></tr>
 *   <tr><td>{@code real.matched.*}</td><td>with {@link Builder#realDocuments(List)}: the same matched figures of
 *   the real documents, computed once at {@link Builder#build()} and added to every measurement, so that every set
 *   is seen next to real text measured by the same route</td></tr>
 *   <tr><td>{@code fidelity.bpb.<domain>}, {@code fidelity.real_bpb.<domain>}</td><td>only from
 *   {@link #measure(List, List)} with a reference scorer and real documents: bits per byte of the given texts of
 *   each domain ({@link #domainOf}) and of the real documents of each domain (scored once, on the first such
 *   call), all given texts (not the sub-sample)</td></tr>
 *   <tr><td>{@code fidelity.bpb.domain_macro}, {@code fidelity.real_bpb.domain_macro},
 *   {@code fidelity.gap.domain_macro}</td><td>the unweighted means over the domains that both the texts and the
 *   real documents have ({@link DomainFidelity#macroBitsPerByte}), and their difference (texts minus real): a
 *   shift of the texts' domain mix does not move them; {@code NaN} without such a domain</td></tr>
 *   <tr><td>{@code fidelity.domains}, {@code fidelity.domain_unknown_texts}</td><td>the number of domains in the
 *   macro averages; the texts of unknown domain (left out)</td></tr>
 * </table>
 *
 * <p><b>Empty input.</b> {@link #measure} refuses an empty list ({@link TextSetMeasure} requires at least one
 * text); figures that need more texts than given (pairs, hull) are {@code NaN}.
 *
 * <p><b>Thread safety.</b> The panel is immutable (but for the real documents' per-domain fidelity, scored once
 * under the panel's lock); {@link #measure} is thread-safe when the encoder, scorer and
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
    private final MatchedSample matched;
    private final List<Document> realDocuments;
    private final Map<String, String> topicDomains;
    private final SortedMap<String, Double> realMatchedFigures;
    /** The real documents' fidelity by domain, scored on first use (guarded by this). */
    private SortedMap<String, Fidelity.Result> realByDomain;

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
        this.matched = b.matchedCount == 0 ? null : new MatchedSample(b.matchedCount, b.matchedLength, b.seed);
        this.realDocuments = b.realDocuments;
        this.topicDomains = b.topicDomains;
        SortedMap<String, Double> realMatched = new TreeMap<>();
        if (matched != null && realDocuments != null) {
            matchedFigures(realDocuments.stream().map(Document::text).toList()).forEach((k, v) ->
                    realMatched.put("real." + k, v));
        }
        this.realMatchedFigures = Collections.unmodifiableSortedMap(realMatched);
    }

    /** The real documents' fidelity by domain, scored once on first use. */
    private synchronized SortedMap<String, Fidelity.Result> realByDomain() {
        if (realByDomain == null) {
            realByDomain = new DomainFidelity(fidelity).measure(realDocuments.stream().map(Document::text).toList(),
                    realDocuments.stream().map(d -> domainOf(d.provenance(), Map.of())).toList());
        }
        return realByDomain;
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

    /** The matched sample of the {@code matched.*} figures, or {@code null} when they are off. */
    public MatchedSample matchedSample() {
        return matched;
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
        if (matched != null) {
            f.putAll(matchedFigures(texts));
            f.putAll(realMatchedFigures);
        }
        return Collections.unmodifiableSortedMap(f);
    }

    /**
     * {@link #measure(List)}'s figures, unchanged, plus the domain-matched fidelity figures when the panel has a
     * reference scorer and {@linkplain Builder#realDocuments real documents}: each text's domain is
     * {@link #domainOf}{@code (provenance, topic domains)}; every given text is scored (not the sub-sample).
     *
     * @throws IllegalArgumentException if {@code texts} is empty or the lists differ in length
     */
    @Override
    public SortedMap<String, Double> measure(List<String> texts, List<Provenance> provenances) {
        Objects.requireNonNull(provenances, "provenances");
        if (provenances.size() != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + provenances.size() + " provenances");
        }
        SortedMap<String, Double> f = new TreeMap<>(measure(texts));
        if (fidelity != null && realDocuments != null) {
            List<String> domains = provenances.stream().map(p -> domainOf(p, topicDomains)).toList();
            f.putAll(domainFidelity(texts, domains));
        }
        return Collections.unmodifiableSortedMap(f);
    }

    private SortedMap<String, Double> domainFidelity(List<String> texts, List<String> domains) {
        SortedMap<String, Double> f = new TreeMap<>();
        SortedMap<String, Fidelity.Result> byDomain = new DomainFidelity(fidelity).measure(texts, domains);
        SortedMap<String, Fidelity.Result> realByDomain = realByDomain();
        byDomain.forEach((d, r) -> f.put("fidelity.bpb." + d, r.bitsPerByte()));
        realByDomain.forEach((d, r) -> f.put("fidelity.real_bpb." + d, r.bitsPerByte()));
        TreeSet<String> common = new TreeSet<>(byDomain.keySet());
        common.retainAll(realByDomain.keySet());
        double synth = DomainFidelity.macroBitsPerByte(byDomain, common);
        double real = DomainFidelity.macroBitsPerByte(realByDomain, common);
        f.put("fidelity.bpb.domain_macro", synth);
        f.put("fidelity.real_bpb.domain_macro", real);
        f.put("fidelity.gap.domain_macro", synth - real);
        f.put("fidelity.domains", (double) common.size());
        f.put("fidelity.domain_unknown_texts", (double) domains.stream().filter(Objects::isNull).count());
        return f;
    }

    /** The {@code matched.*} figures of the texts (see the class comment). */
    private SortedMap<String, Double> matchedFigures(List<String> texts) {
        SortedMap<String, Double> f = new TreeMap<>();
        f.put("matched.texts", (double) matched.count());
        f.put("matched.length", (double) matched.length());
        f.put("matched.eligible_texts", (double) MatchedSample.eligible(texts, matched.length()).size());
        Optional<List<String>> sample = matched.draw(texts);
        if (sample.isEmpty()) {
            return f;
        }
        SortedMap<String, Double> g = new TreeMap<>();
        if (lexical != null) {
            g.putAll(lexical.measure(sample.get()));
        }
        if (syntactic != null) {
            g.putAll(syntactic.measure(sample.get()));
        }
        if (encoder != null) {
            g.putAll(semantic(encoder.encode(sample.get())));
        }
        g.forEach((k, v) -> f.put("matched." + k, v));
        return f;
    }

    /**
     * The domain of a text from its provenance: the attribute {@value ProvenanceKeys#DOMAIN} when present; for a
     * synthetic text (attribute {@code origin = synthetic}) the domain of the hard example its teaching prompt was
     * made from ({@value ProvenanceKeys#SOURCE_OF_EXAMPLE}), else the domain of its topic prompt's topic in
     * {@code topicDomains}, else {@code null} (unknown: a topic not tied to a domain); for any other text (real
     * text) its provenance source, as the corpora name a document's domain.
     */
    public static String domainOf(Provenance p, Map<String, String> topicDomains) {
        Map<String, String> a = p.attributes();
        String domain = a.get(ProvenanceKeys.DOMAIN);
        if (domain != null) {
            return domain;
        }
        if (!IterationContext.SYNTHETIC.equals(a.get(IterationContext.ORIGIN))) {
            return p.source();
        }
        String source = a.get(ProvenanceKeys.SOURCE_OF_EXAMPLE);
        if (source != null) {
            return source;
        }
        String topic = a.get(ProvenanceKeys.TOPIC);
        return topic == null ? null : topicDomains.get(topic);
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
        private int matchedCount;
        private int matchedLength;
        private List<Document> realDocuments;
        private Map<String, String> topicDomains = Map.of();

        private Builder() {}

        /**
         * Adds the {@code matched.*} figures: the lexical, syntactic and semantic figures of a {@link MatchedSample}
         * of {@code count} texts cut to {@code length} code points, drawn with this panel's {@link #seed}. Default:
         * off.
         *
         * @throws IllegalArgumentException if {@code count} or {@code length} is below 1
         */
        public Builder matched(int count, int length) {
            new MatchedSample(count, length, 0L);
            this.matchedCount = count;
            this.matchedLength = length;
            return this;
        }

        /**
         * Real documents (for example the held-out fidelity split), their domain being their provenance source (or
         * attribute {@value ProvenanceKeys#DOMAIN}): measured once at {@link #build()} by the matched route
         * ({@code real.matched.*}, with {@link #matched}) and, with a {@link #referenceScorer}, scored per domain for
         * the domain-matched fidelity figures of {@link MetricsPanel#measure(List, List)}. Default none.
         */
        public Builder realDocuments(List<Document> documents) {
            this.realDocuments = documents == null ? null : List.copyOf(documents);
            return this;
        }

        /**
         * The domain of each Step A topic, for synthetic texts whose prompt names a topic but no domain (see
         * {@link MetricsPanel#domainOf}). Default empty: such texts are of unknown domain.
         */
        public Builder topicDomains(Map<String, String> topicDomains) {
            this.topicDomains = Map.copyOf(topicDomains);
            return this;
        }

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
         * Builds the panel, encoding the reference texts and fitting the PCA when needed, and measuring the
         * {@linkplain #realDocuments real documents} once when given.
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
