package dev.symbiosis.core.feedback;

import com.google.common.collect.ImmutableList;
import dev.symbiosis.core.Describable;
import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.SaliencyWithHints;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.ProvenanceKeys;
import dev.symbiosis.core.text.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * The default {@link FeedbackMiner} (the proposal's hybrid Step C): ranks pool windows by the Student's
 * uncertainty (C1: mean predictive entropy, or mean negative log-likelihood), keeps the hardest, and marks in each
 * the spans where the gradient of the Student's loss w.r.t. its input embeddings is largest (C2).
 *
 * <p>Long documents are cut into windows of about {@link Builder#optWindowChars(int) windowChars} characters at
 * whitespace, each mined as its own document with id {@code "<id>#<offset>"}, so that hardness is local and fits
 * a small model's context. Windows whose text gives fewer than two tokens are skipped. Two rules keep short or
 * clustered windows from crowding the hard examples (a short window wins on mean entropy, and neighbouring windows
 * of one hard document would all be kept): a document's last piece shorter than
 * {@link Builder#optMinWindowChars(int) minWindowChars} is joined to the window before it (a document that is short
 * as a whole stays a candidate: short documents are a corpus's own, not an artefact of the cut); and among the kept
 * windows at most one starts within any
 * {@link Builder#optStretchChars(int) stretchChars} of a document (a window too close to a harder one of the same
 * document is passed over for the next hardest).
 *
 * <p>Options for the proposal's ablations and Step C2 extension: {@link Builder#optRandomSelection(long)} keeps a
 * seeded random choice of the scored windows instead of the hardest (the "random pool examples" control), and
 * {@link Builder#optGradientHints(int, int)} attaches HotFlip-style substitution hints ({@link TokenHint}) to each
 * kept window when the Student implements {@link GradientHints}, and {@link Builder#optRandomSpans(long)} (the
 * random-span control) computes the saliency as usual but marks seeded random spans of the same width instead of
 * the most salient ones.
 *
 * <p>{@link Signal#TEACHABLE_GAP} (issue 17) ranks by the Student's bits per byte minus the Generator's, so it needs
 * the Generator ({@link #mine(Student, TextScorer, List, int)}); the kept windows then carry both figures
 * ({@link HardExample#studentBitsPerByte()}, {@link HardExample#generatorBitsPerByte()}).
 *
 * <p>Deterministic: ties in hardness keep pool order. Thread-safe if the Student is; the miner itself holds only
 * its configuration.
 */
public final class UncertaintyFeedbackMiner implements FeedbackMiner {

    /** What "hard" means. */
    public enum Signal {
        /** Highest mean predictive entropy: the Student does not know what comes next. */
        ENTROPY,
        /** Lowest mean log-likelihood: the real text surprises the Student. */
        LOW_LOG_LIKELIHOOD,
        /**
         * Largest teachable gap (issue 17, in the spirit of RHO-loss): the Student's bits per byte on the window
         * minus the Generator's, so the windows kept are those the Generator knows and the Student does not. Bits
         * per byte (summed token NLL / ln 2 / UTF-8 bytes of the predicted text,
         * {@link dev.symbiosis.core.eval.PerplexityEvaluator#predictedBytes}) compare models with different
         * tokenizers. Needs the Generator: {@link #mine(Student, TextScorer, List, int)}.
         */
        TEACHABLE_GAP
    }

    private final Signal signal;
    private final int topK;
    private final double fraction;
    private final boolean saliency;
    private final int spanTokens;
    private final int spansPerExample;
    private final int windowChars;
    private final int minWindowChars;
    private final int stretchChars;
    private final Long randomSpanSeed;
    private final int batchSize;
    private final Long randomSeed;
    private final int hintPositions;
    private final int hintCandidates;

    private UncertaintyFeedbackMiner(Builder b) {
        this.signal = b.signal;
        this.topK = b.topK;
        this.fraction = b.fraction;
        this.saliency = b.saliency;
        this.spanTokens = b.spanTokens;
        this.spansPerExample = b.spansPerExample;
        this.windowChars = b.windowChars;
        this.minWindowChars = b.minWindowChars >= 0 ? b.minWindowChars : b.windowChars / 3;
        this.stretchChars = b.stretchChars;
        this.randomSpanSeed = b.randomSpanSeed;
        this.batchSize = b.batchSize;
        this.randomSeed = b.randomSeed;
        this.hintPositions = b.hintPositions;
        this.hintCandidates = b.hintCandidates;
    }

    /** A builder holding this miner's options, to derive a variant (ablations change one option). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.signal = signal;
        b.topK = topK;
        b.fraction = fraction;
        b.saliency = saliency;
        b.spanTokens = spanTokens;
        b.spansPerExample = spansPerExample;
        b.windowChars = windowChars;
        b.minWindowChars = minWindowChars;
        b.stretchChars = stretchChars;
        b.randomSpanSeed = randomSpanSeed;
        b.batchSize = batchSize;
        b.randomSeed = randomSeed;
        b.hintPositions = hintPositions;
        b.hintCandidates = hintCandidates;
        return b;
    }

    /** A builder with the defaults named on each option. */
    public static Builder builder() {
        return new Builder();
    }

    /** The miner with every default. */
    public static UncertaintyFeedbackMiner create() {
        return builder().build();
    }

    public Signal signal() {
        return signal;
    }

    public boolean usesSaliency() {
        return saliency;
    }

    /** Whether windows are chosen at random instead of by hardness. */
    public boolean selectsRandomly() {
        return randomSeed != null;
    }

    /** Whether gradient hints are asked for (they are attached only if the Student implements GradientHints). */
    public boolean usesGradientHints() {
        return hintPositions > 0;
    }

    /** Every option, by its builder name (randomSelectionSeed null: ranked by hardness). */
    @Override
    public SortedMap<String, Object> settings() {
        return Describable.settingsOf("signal", signal.name(), "topK", topK, "fraction", fraction, "saliency",
                saliency, "spanTokens", spanTokens, "spansPerExample", spansPerExample, "windowChars", windowChars,
                "minWindowChars", minWindowChars, "stretchChars", stretchChars, "randomSpanSeed", randomSpanSeed,
                "batchSize", batchSize, "randomSelectionSeed", randomSeed, "hintPositions", hintPositions,
                "hintCandidates", hintCandidates);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException with {@link Signal#TEACHABLE_GAP}, which needs the Generator
     *     ({@link #mine(Student, TextScorer, List, int)})
     */
    @Override
    public Feedback mine(Student student, List<Document> pool, int iteration) {
        return mine(student, null, pool, iteration);
    }

    /**
     * {@inheritDoc} Only {@link Signal#TEACHABLE_GAP} scores the Generator (each window once, in the Student's
     * batches); the other signals ignore it and give what {@link #mine(Student, List, int)} gives. With the gap, a
     * window the Generator scores with no predicted byte is passed over like one of a single Student token.
     *
     * @throws IllegalStateException with {@link Signal#TEACHABLE_GAP} and no Generator
     */
    @Override
    public Feedback mine(Student student, TextScorer generator, List<Document> pool, int iteration) {
        Objects.requireNonNull(student, "student");
        boolean gap = signal == Signal.TEACHABLE_GAP;
        if (gap && generator == null) {
            throw new IllegalStateException("miner signal TEACHABLE_GAP ranks windows by the Student's bits per byte "
                    + "minus the Generator's, so it needs the Generator: call mine(student, generator, pool, "
                    + "iteration) (a strategy with the teachable-gap component does)");
        }
        Objects.requireNonNull(pool, "pool");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        List<Document> windows = new ArrayList<>();
        for (Document d : pool) {
            windows.addAll(windows(d, windowChars, minWindowChars));
        }
        if (windows.isEmpty()) {
            return Feedback.none(iteration);
        }
        List<Candidate> candidates = new ArrayList<>(windows.size());
        double sumH = 0;
        double sumLp = 0;
        for (int from = 0; from < windows.size(); from += batchSize) {
            List<Document> batch = windows.subList(from, Math.min(windows.size(), from + batchSize));
            List<String> texts = batch.stream().map(Document::text).toList();
            List<TokenScores> scores = student.score(texts);
            if (scores.size() != batch.size()) {
                throw new IllegalStateException("student returned " + scores.size() + " scores for " + batch.size()
                        + " texts");
            }
            List<TokenScores> reference = gap ? generator.score(texts) : null;
            if (reference != null && reference.size() != batch.size()) {
                throw new IllegalStateException("generator returned " + reference.size() + " scores for "
                        + batch.size() + " texts");
            }
            for (int i = 0; i < batch.size(); i++) {
                TokenScores s = scores.get(i);
                if (s.predictedCount() == 0) {
                    continue;
                }
                double studentBpb = Double.NaN;
                double generatorBpb = Double.NaN;
                if (gap) {
                    studentBpb = bitsPerByte(s);
                    generatorBpb = bitsPerByte(reference.get(i));
                    if (Double.isNaN(studentBpb) || Double.isNaN(generatorBpb)) {
                        continue;
                    }
                }
                double h = s.meanEntropy();
                double lp = s.meanLogProb();
                sumH += h;
                sumLp += lp;
                double hardness = switch (signal) {
                    case ENTROPY -> h;
                    case LOW_LOG_LIKELIHOOD -> -lp;
                    case TEACHABLE_GAP -> studentBpb - generatorBpb;
                };
                candidates.add(new Candidate(batch.get(i), h, lp, hardness, studentBpb, generatorBpb));
            }
        }
        int examined = candidates.size();
        if (examined == 0) {
            return new Feedback(iteration, windows.size(), ImmutableList.of(), Double.NaN, Double.NaN);
        }
        if (randomSeed != null) {
            // The random-pool control: a seeded uniform key replaces hardness, so the kept windows are a random
            // choice of the scored ones (in pool order, the same draw for the same seed and pool).
            SplittableRandom rnd = new SplittableRandom(randomSeed);
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                candidates.set(i, new Candidate(c.doc, c.entropy, c.logProb, rnd.nextDouble(), c.studentBpb,
                        c.generatorBpb));
            }
        }
        // Stable sort: equal hardness keeps pool order, so the result is deterministic.
        candidates.sort(Comparator.comparingDouble(Candidate::hardness).reversed());
        int keep = fraction > 0 ? (int) Math.ceil(fraction * examined) : topK;
        List<Candidate> chosen = onePerStretch(candidates, keep, stretchChars, c -> windowDocument(c.doc),
                c -> windowStart(c.doc));
        SplittableRandom spanRandom = randomSpanSeed == null ? null : new SplittableRandom(randomSpanSeed);

        GradientHints hinter = hintPositions > 0 && student instanceof GradientHints g ? g : null;
        ImmutableList.Builder<HardExample> out = ImmutableList.builder();
        for (int from = 0; from < chosen.size(); from += batchSize) {
            List<Candidate> batch = chosen.subList(from, Math.min(chosen.size(), from + batchSize));
            List<String> texts = batch.stream().map(c -> c.doc.text()).toList();
            List<SaliencyMap> maps;
            List<List<TokenHint>> hints;
            if (saliency && hinter != null) {
                // one call: the Student can take the hints from the gradient it computes for the saliency
                SaliencyWithHints both = hinter.saliencyWithHints(texts, hintPositions, hintCandidates);
                maps = both.saliency();
                hints = both.hints();
            } else {
                maps = saliency ? student.saliency(texts) : null;
                hints = hinter == null ? null : hinter.gradientHints(texts, hintPositions, hintCandidates);
            }
            if ((maps != null && maps.size() != texts.size()) || (hints != null && hints.size() != texts.size())) {
                throw new IllegalStateException("student returned saliency or hints for a different number of "
                        + "texts than the " + texts.size() + " asked for");
            }
            for (int i = 0; i < batch.size(); i++) {
                Candidate c = batch.get(i);
                SaliencyMap m = maps == null ? null : maps.get(i);
                ImmutableList<Span> spans = m == null ? ImmutableList.of()
                        : spanRandom != null ? randomSpans(m, spanTokens, spansPerExample, spanRandom)
                        : topSpans(m, spanTokens, spansPerExample);
                out.add(new HardExample(c.doc, c.entropy, c.logProb, c.hardness, spans, m,
                        hints == null ? ImmutableList.of() : ImmutableList.copyOf(hints.get(i)), c.studentBpb,
                        c.generatorBpb));
            }
        }
        return new Feedback(iteration, windows.size(), out.build(), sumH / examined, sumLp / examined);
    }

    /**
     * The {@code count} non-overlapping windows of {@code width} tokens with the largest summed saliency, most
     * salient first, as character spans. Public for miners that score and explain windows elsewhere (the Spark
     * module computes saliency on executors and must pick the same spans).
     */
    public static ImmutableList<Span> topSpans(SaliencyMap m, int width, int count) {
        int n = m.size();
        int w = Math.min(width, n);
        int windowsCount = n - w + 1;
        double[] sums = new double[windowsCount];
        double s = 0;
        for (int i = 0; i < w; i++) {
            s += m.norms().get(i);
        }
        sums[0] = s;
        for (int i = 1; i < windowsCount; i++) {
            s += m.norms().get(i + w - 1) - m.norms().get(i - 1);
            sums[i] = s;
        }
        boolean[] taken = new boolean[n];
        ImmutableList.Builder<Span> spans = ImmutableList.builder();
        for (int k = 0; k < count; k++) {
            int best = -1;
            for (int i = 0; i < windowsCount; i++) {
                if (!free(taken, i, w)) {
                    continue;
                }
                if (best < 0 || sums[i] > sums[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            for (int i = best; i < best + w; i++) {
                taken[i] = true;
            }
            spans.add(new Span(m.starts().get(best), m.ends().get(best + w - 1)));
        }
        return spans.build();
    }

    /**
     * The random-span control: {@code count} non-overlapping spans of {@code width} tokens at seeded random
     * positions (the spans {@link #topSpans} picks when every token's saliency is an independent uniform draw).
     */
    static ImmutableList<Span> randomSpans(SaliencyMap m, int width, int count, SplittableRandom random) {
        double[] keys = new double[m.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextDouble();
        }
        SaliencyMap shuffled = new SaliencyMap(m.text(), m.ids(), m.starts(), m.ends(),
                com.google.common.primitives.ImmutableDoubleArray.copyOf(keys));
        return topSpans(shuffled, width, count);
    }

    /**
     * The first {@code keep} of {@code ranked} (hardest first) such that no two kept windows of one document start
     * less than {@code stretchChars} characters apart; a window too close to a kept one is passed over for the
     * next. {@code stretchChars <= 0} keeps the first {@code keep}. Public so that a distributed miner keeps the
     * same windows.
     *
     * @param document the key of an element's document (windows of one document share it)
     * @param start an element's character offset in its document
     */
    public static <T> List<T> onePerStretch(List<T> ranked, int keep, int stretchChars,
            java.util.function.Function<T, String> document, java.util.function.ToIntFunction<T> start) {
        if (stretchChars <= 0) {
            return List.copyOf(ranked.subList(0, Math.min(keep, ranked.size())));
        }
        List<T> out = new ArrayList<>(Math.min(keep, ranked.size()));
        java.util.Map<String, List<Integer>> keptStarts = new java.util.HashMap<>();
        for (T t : ranked) {
            if (out.size() >= keep) {
                break;
            }
            int at = start.applyAsInt(t);
            List<Integer> starts = keptStarts.computeIfAbsent(document.apply(t), k -> new ArrayList<>());
            if (starts.stream().allMatch(s -> Math.abs(s - at) >= stretchChars)) {
                starts.add(at);
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The offset in its document of a window {@link #windows} cut ({@code 0} for a document kept whole): the start
     * of its {@link ProvenanceKeys#WINDOW} attribute.
     */
    public static int windowStart(Document window) {
        String w = window.provenance().attributes().get(ProvenanceKeys.WINDOW);
        return w == null ? 0 : Integer.parseInt(w.substring(0, w.indexOf(':')));
    }

    /** The id of the document a window {@link #windows} cut belongs to (the window's own id if it is whole). */
    public static String windowDocument(Document window) {
        if (!window.provenance().attributes().containsKey(ProvenanceKeys.WINDOW)) {
            return window.id();
        }
        return window.id().substring(0, window.id().lastIndexOf('#'));
    }

    private static boolean free(boolean[] taken, int from, int w) {
        for (int i = from; i < from + w; i++) {
            if (taken[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cuts a document into windows of at most about {@code maxChars} characters, breaking at whitespace (a window
     * is cut mid-word only when a single word is longer than {@code maxChars}). {@code maxChars <= 0} keeps the
     * document whole. Same as {@code windows(d, maxChars, 0)}.
     */
    public static List<Document> windows(Document d, int maxChars) {
        return windows(d, maxChars, 0);
    }

    /**
     * Cuts a document into windows of at most about {@code maxChars} characters, breaking at whitespace (a window
     * is cut mid-word only when a single word is longer than {@code maxChars}); a last piece shorter than
     * {@code minChars} is joined to the window before it (which then holds up to {@code maxChars + minChars}
     * characters); a document no longer than {@code maxChars} is one window whatever its length.
     * {@code maxChars <= 0} keeps the document whole. Public so that a distributed miner cuts exactly the same
     * windows.
     */
    public static List<Document> windows(Document d, int maxChars, int minChars) {
        String t = d.text();
        if (maxChars <= 0 || t.length() <= maxChars) {
            return List.of(d);
        }
        List<Document> out = new ArrayList<>();
        int start = 0;
        while (start < t.length()) {
            while (start < t.length() && Character.isWhitespace(t.charAt(start))) {
                start++;
            }
            if (start >= t.length()) {
                break;
            }
            int end = Math.min(t.length(), start + maxChars);
            if (end < t.length() && t.substring(end).strip().length() < minChars) {
                end = t.length();
            }
            if (end < t.length()) {
                int cut = end;
                while (cut > start && !Character.isWhitespace(t.charAt(cut))) {
                    cut--;
                }
                if (cut > start) {
                    end = cut;
                }
            }
            String part = t.substring(start, end).strip();
            if (!part.isEmpty()) {
                out.add(new Document(d.id() + "#" + start, part,
                        d.provenance().with(ProvenanceKeys.WINDOW, start + ":" + end)));
            }
            start = end;
        }
        return out;
    }

    private record Candidate(Document doc, double entropy, double logProb, double hardness, double studentBpb,
            double generatorBpb) {}

    /** Summed NLL in bits per UTF-8 byte of the predicted text; {@code NaN} when nothing is predicted. */
    static double bitsPerByte(TokenScores s) {
        long bytes = dev.symbiosis.core.eval.PerplexityEvaluator.predictedBytes(s);
        return s.predictedCount() == 0 || bytes <= 0 ? Double.NaN : -s.sumLogProb() / Math.log(2) / bytes;
    }

    /** Options of {@link UncertaintyFeedbackMiner}; every option has a default. */
    public static final class Builder {
        private Signal signal = Signal.ENTROPY;
        private int topK = 16;
        private double fraction = 0;
        private boolean saliency = true;
        private int spanTokens = 8;
        private int spansPerExample = 2;
        private int windowChars = 480;
        private int minWindowChars = -1; // a third of windowChars unless set
        private int stretchChars = 2048;
        private Long randomSpanSeed;
        private int batchSize = 16;
        private Long randomSeed;
        private int hintPositions;
        private int hintCandidates;

        private Builder() {}

        /** What ranks the pool. Default {@link Signal#ENTROPY}. */
        public Builder optSignal(Signal value) {
            this.signal = Objects.requireNonNull(value, "signal");
            return this;
        }

        /** Keep the {@code k} hardest windows. Default 16. Clears {@link #optFraction}. */
        public Builder optTopK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("topK must be >= 1, got " + k);
            }
            this.topK = k;
            this.fraction = 0;
            return this;
        }

        /**
         * Keep the hardest {@code f} share of the windows (a percentile cut, at least one), instead of a fixed
         * top-k. Default: not set (top-k is used).
         */
        public Builder optFraction(double f) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("fraction must be in (0, 1], got " + f);
            }
            this.fraction = f;
            return this;
        }

        /** Compute gradient saliency and salient spans for the kept windows (C2). Default {@code true}. */
        public Builder optSaliency(boolean value) {
            this.saliency = value;
            return this;
        }

        /** Width of a salient span in tokens. Default 8. */
        public Builder optSpanTokens(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("spanTokens must be >= 1, got " + value);
            }
            this.spanTokens = value;
            return this;
        }

        /** Non-overlapping salient spans per hard example. Default 2. */
        public Builder optSpansPerExample(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("spansPerExample must be >= 1, got " + value);
            }
            this.spansPerExample = value;
            return this;
        }

        /** Window length in characters for long documents; {@code 0} keeps documents whole. Default 480. */
        public Builder optWindowChars(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("windowChars must be >= 0, got " + value);
            }
            this.windowChars = value;
            return this;
        }

        /**
         * Shortest piece in characters: a long document's last piece shorter than this is joined to the window
         * before it (documents short as a whole are mined as they are). {@code 0} keeps every piece. Default: a third of
         * {@link #optWindowChars(int) windowChars} (160 for the default 480).
         */
        public Builder optMinWindowChars(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("minWindowChars must be >= 0, got " + value);
            }
            this.minWindowChars = value;
            return this;
        }

        /**
         * Among the kept windows, at most one starts within any {@code value} characters of a document: a window
         * closer than that to a harder kept window of the same document is passed over for the next hardest.
         * {@code 0} switches the rule off. Default 2048 (about four default windows).
         */
        public Builder optStretchChars(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("stretchChars must be >= 0, got " + value);
            }
            this.stretchChars = value;
            return this;
        }

        /**
         * The random-span control: saliency is computed as usual (same cost, same saliency maps), but each kept
         * window's salient spans are seeded random non-overlapping spans of the same width and count instead of the
         * most salient ones. Default: off.
         */
        public Builder optRandomSpans(long seed) {
            this.randomSpanSeed = seed;
            return this;
        }

        /** Texts per scoring/saliency call. Default 16. */
        public Builder optBatchSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + value);
            }
            this.batchSize = value;
            return this;
        }

        /**
         * The random-pool control of the ablations: keep a seeded uniform random choice of the scored windows
         * (as many as top-k or the fraction would keep) instead of the hardest. Every window is still scored, so
         * the pool statistics and the kept windows' entropy and log-likelihood stay comparable; a kept window's
         * {@link HardExample#hardness()} is then its random key in [0, 1). Default: off (rank by hardness).
         */
        public Builder optRandomSelection(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /** Rank by hardness (undoes {@link #optRandomSelection}). This is the default. */
        public Builder optHardestSelection() {
            this.randomSeed = null;
            return this;
        }

        /**
         * Attach gradient-direction hints (HotFlip, the proposal's Step C2 beyond the saliency norm) to every kept
         * window: its {@code positions} most salient tokens, each with up to {@code candidates} substitutions, from
         * {@link GradientHints#gradientHints}. Applies only when the Student implements {@link GradientHints};
         * other Students give hard examples without hints. Default: off.
         *
         * @param positions salient tokens per window, {@code >= 1}
         * @param candidates substitutions per token, {@code >= 1}
         */
        public Builder optGradientHints(int positions, int candidates) {
            if (positions < 1 || candidates < 1) {
                throw new IllegalArgumentException("gradient hints need positions >= 1 and candidates >= 1, got "
                        + positions + " and " + candidates);
            }
            this.hintPositions = positions;
            this.hintCandidates = candidates;
            return this;
        }

        /** Switch gradient hints off (the default). */
        public Builder optNoGradientHints() {
            this.hintPositions = 0;
            this.hintCandidates = 0;
            return this;
        }

        public UncertaintyFeedbackMiner build() {
            return new UncertaintyFeedbackMiner(this);
        }
    }
}
