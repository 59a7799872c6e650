package dev.symbiosis.core.loop;

import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.PreferencePair;
import dev.symbiosis.core.model.PreferenceTraining;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.ProvenanceKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Everything a {@link Strategy} may use in one iteration: the models, the data, the curriculum and miner, and
 * helpers that generate to a token budget with per-step seeds and progress. Created by {@link SymbiosisLoop}.
 */
public final class IterationContext {

    /** Supplies the prompts of one generation round. */
    @FunctionalInterface
    public interface PromptSource {
        List<Prompt> prompts(int round, int count);
    }

    /** Provenance attribute telling real from synthetic training text. */
    public static final String ORIGIN = "origin";
    public static final String REAL = "real";
    public static final String SYNTHETIC = "synthetic";
    /**
     * Provenance attribute of a training text with a {@link TrainingText#context() context}: {@link #REAL} when the
     * context is real text (masked-context teaching), which the loop counts in
     * {@link IterationRecord#realContextTokens()}.
     */
    public static final String CONTEXT_ORIGIN = "context_origin";

    private final int iteration;
    private final LoopConfig config;
    private final LanguageModel student;
    private final ModelSlot generator;
    private final Path initialStudent;
    private final RealStream realStream;
    private final List<Document> pool;
    private final Curriculum curriculum;
    private final FeedbackMiner miner;
    private final StepReporter reporter;
    private final NearDuplicateFilter nearDuplicates;
    private final GenerationCache cache;
    private int nearDuplicatesDropped;
    private int nearDuplicatesAdmitted;
    private final ComputeMeter compute = new ComputeMeter();
    private final LanguageModel studentView;

    /** Rounds of nothing but near duplicates after which {@link #synthesize} admits them. */
    public static final int NEAR_DUPLICATE_ROUNDS = 10;

    IterationContext(int iteration, LoopConfig config, LanguageModel student, ModelSlot generator,
            Path initialStudent, RealStream realStream, List<Document> pool, Curriculum curriculum,
            FeedbackMiner miner, StepReporter reporter, NearDuplicateFilter nearDuplicates, GenerationCache cache) {
        this.iteration = iteration;
        this.config = config;
        this.student = student;
        this.generator = generator;
        this.initialStudent = initialStudent;
        this.realStream = realStream;
        this.pool = pool;
        this.curriculum = curriculum;
        this.miner = miner;
        this.reporter = reporter;
        this.nearDuplicates = nearDuplicates;
        this.cache = cache;
        this.studentView = MeteredModel.of(student, compute, ComputeMeter.STUDENT);
        generator.meter(compute);
    }

    /** The model work this iteration of this strategy asked for so far ({@link ComputeMeter}). */
    public ComputeMeter compute() {
        return compute;
    }

    /** The iteration, {@code >= 1}. */
    public int iteration() {
        return iteration;
    }

    public LoopConfig config() {
        return config;
    }

    /**
     * The strategy's Student (trained by the loop after {@link Strategy#prepare}); its scoring, saliency and training
     * through this object count in {@link #compute()}.
     */
    public LanguageModel student() {
        return studentView;
    }

    /**
     * The strategy's Generator: Generator 0, or the strategy's evolving copy of it. Loaded on first use. Its
     * samples through {@link #generate} and {@link #synthesize} are cached by content while its state is known
     * (Generator 0, or as restored from or saved to a checkpoint); fine-tuning, training or restoring it through
     * this object makes them uncached until the loop's next checkpoint.
     */
    public LanguageModel generator() {
        return generator.get();
    }

    public Curriculum curriculum() {
        return curriculum;
    }

    public FeedbackMiner miner() {
        return miner;
    }

    public RealStream realStream() {
        return realStream;
    }

    /**
     * Brings the Generator back to Generator 0 (issue 17's Generator reset): the current model is closed and the
     * next {@link #generator()} loads a fresh Generator 0, whose samples the run's generation cache serves again.
     * Views obtained from {@link #generator()} before the call must not be used after it. Does nothing when the
     * Generator is not loaded (it would load as Generator 0 anyway).
     */
    public void resetGenerator() {
        generator.reset();
    }

    /** Brings the Student back to Student 0's weights. */
    public void resetStudent() {
        try {
            student.restore(initialStudent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore student 0 from " + initialStudent, e);
        }
    }

    /** The seed of one step of this iteration (see {@link LoopConfig#seedFor}). */
    public long seed(String step) {
        return config.seedFor(iteration, step);
    }

    /** This iteration's seeded sample of the pool ({@link LoopConfig#poolSample()} documents at most). */
    public List<Document> poolSample() {
        return poolSample(pool, config, iteration);
    }

    /** The seeded pool sample of any iteration (what {@link #poolSample()} gives in that iteration). */
    static List<Document> poolSample(List<Document> pool, LoopConfig config, int iteration) {
        List<Document> copy = new ArrayList<>(pool);
        Collections.shuffle(copy, new Random(config.seedFor(iteration, "pool")));
        return List.copyOf(copy.subList(0, Math.min(config.poolSample(), copy.size())));
    }

    /** Generated samples {@link #synthesize} dropped as near duplicates in this iteration so far. */
    public int nearDuplicatesDropped() {
        return nearDuplicatesDropped;
    }

    /**
     * Near duplicates {@link #synthesize} admitted in this iteration so far, because the generator produced
     * nothing else for {@value #NEAR_DUPLICATE_ROUNDS} rounds.
     */
    public int nearDuplicatesAdmitted() {
        return nearDuplicatesAdmitted;
    }

    /** Reports progress of a named step. */
    public ProgressSink step(String name) {
        return reporter.step(name);
    }

    /**
     * The seed of one generated row: a mix of the master seed, the iteration, the step and the row's index in it, so
     * that a row's sample does not depend on the rows generated with it (see {@link Generator#generateSeeded}).
     */
    public long rowSeed(String step, int row) {
        return seed(step + "/row " + row);
    }

    /**
     * Samples one continuation per prompt in batches of {@link LoopConfig#generationBatch()}; prompt {@code i} is
     * sampled with the row seed {@link #rowSeed rowSeed(step, i)}.
     */
    public List<Sample> generate(Generator g, List<Prompt> prompts, String step) {
        ProgressSink p = step(step);
        List<Sample> out = new ArrayList<>(prompts.size());
        int batch = config.generationBatch();
        for (int from = 0; from < prompts.size(); from += batch) {
            List<Prompt> part = prompts.subList(from, Math.min(prompts.size(), from + batch));
            long[] seeds = new long[part.size()];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = rowSeed(step, from + i);
            }
            out.addAll(sample(g, part, seeds));
            p.progress(Math.min(prompts.size(), from + batch), prompts.size());
        }
        return out;
    }

    /**
     * One sample per prompt with its row seed: from the run's generation cache when the model is this strategy's
     * Generator in a known state, else from the model.
     */
    private List<Sample> sample(Generator g, List<Prompt> prompts, long[] seeds) {
        List<Sample> out = cachedOrSampled(g, prompts, seeds);
        // counted whether the cache served the rows or the model sampled them: the work the arm asked for
        long tokens = 0;
        for (Sample x : out) {
            tokens += student.countTokens(x.prompt().text()) + x.newTokens();
        }
        compute.forward(generator.isView(g) ? ComputeMeter.GENERATOR : g == studentView || g == student
                ? ComputeMeter.STUDENT : "other", tokens);
        return out;
    }

    private List<Sample> cachedOrSampled(Generator g, List<Prompt> prompts, long[] seeds) {
        String state = cache == null || !generator.isView(g) ? null : generator.state();
        if (state == null) {
            return g.generateSeeded(prompts, config.sampling(), seeds);
        }
        List<String> keys = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            keys.add(GenerationCache.key(state, config.sampling(), seeds[i], prompts.get(i).text()));
        }
        return cache.samples(keys, prompts, missing -> {
            long[] missingSeeds = new long[missing.size()];
            List<Prompt> missingPrompts = new ArrayList<>(missing.size());
            for (int k = 0; k < missing.size(); k++) {
                missingSeeds[k] = seeds[missing.get(k)];
                missingPrompts.add(prompts.get(missing.get(k)));
            }
            return g.generateSeeded(missingPrompts, config.sampling(), missingSeeds);
        });
    }

    /**
     * The row seed of candidate {@code candidate} of row {@code row} of a step that samples several candidates per
     * prompt: candidate 0 has {@link #rowSeed rowSeed(step, row)}, the seed the row has when one sample is drawn (so
     * it is the sample {@link #generate} gives, and the generation cache serves both), candidate {@code c >= 1}
     * {@code rowSeed(step + "/candidate " + c, row)}. Distinct candidates have distinct seeds, so the cache, keyed by
     * seed and prompt, keeps them apart.
     */
    public long candidateSeed(String step, int row, int candidate) {
        return candidate == 0 ? rowSeed(step, row) : rowSeed(step + "/candidate " + candidate, row);
    }

    /**
     * Samples {@code k} continuations per prompt: candidate {@code c} of prompt {@code i} with the row seed
     * {@link #candidateSeed candidateSeed(step, i, c)}, in batches of {@link LoopConfig#generationBatch()} rows,
     * from the generation cache as {@link #generate} does. Every row counts in {@link #compute()} (prompt and
     * sampled tokens, forward): {@code k} candidates cost {@code k} samples.
     *
     * @param prompts the prompts; an empty list gives an empty result
     * @param k candidates per prompt, {@code >= 1}; with 1 the samples are those of {@link #generate}
     * @return one list of {@code k} samples per prompt, in prompt order, candidate 0 first
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public List<List<Sample>> generateCandidates(Generator g, List<Prompt> prompts, int k, String step) {
        if (k < 1) {
            throw new IllegalArgumentException("candidates per prompt must be >= 1, got " + k);
        }
        ProgressSink p = step(step);
        int rows = prompts.size() * k;
        List<Sample> flat = new ArrayList<>(rows);
        int batch = config.generationBatch();
        for (int from = 0; from < rows; from += batch) {
            int to = Math.min(rows, from + batch);
            List<Prompt> part = new ArrayList<>(to - from);
            long[] seeds = new long[to - from];
            for (int r = from; r < to; r++) {
                part.add(prompts.get(r / k));
                seeds[r - from] = candidateSeed(step, r / k, r % k);
            }
            flat.addAll(sample(g, part, seeds));
            p.progress(to, rows);
        }
        List<List<Sample>> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.add(List.copyOf(flat.subList(i * k, (i + 1) * k)));
        }
        return out;
    }

    /** Chooses one sample per prompt among its candidates (best-of-k). */
    @FunctionalInterface
    public interface CandidateChoice {

        /**
         * @param candidates per prompt its candidates (at least one each), as {@link #generateCandidates} gives them
         * @return per prompt the index of the chosen candidate
         */
        int[] choose(List<List<Sample>> candidates);
    }

    /** Synthetic texts generated to a token budget, with the samples they came from. */
    public record Synthesized(List<TrainingText> texts, List<Sample> samples) {}

    /**
     * Generates rounds of {@link LoopConfig#generationBatch()} prompts until {@code tokens} training tokens are
     * collected. A sample of a topic prompt trains on prompt and completion (the prompt is a template's sentence
     * opening); a sample of a teaching prompt trains on its completion only, so no pool text reaches the Student.
     *
     * <p>Prompt {@code j} of round {@code r} is sampled with the row seed {@link #rowSeed rowSeed(step + "#" + r,
     * j)}. When the curriculum supplies a near-duplicate filter, a sample that is a near duplicate of one accepted
     * before (in this or an earlier iteration of the strategy) is dropped and counted
     * ({@link #nearDuplicatesDropped()}), and generation continues until the budget is full. A generator that has
     * collapsed may produce nothing else: after {@value #NEAR_DUPLICATE_ROUNDS} rounds in a row in which every
     * usable sample was dropped, the filter stands aside for the rest of this call and near duplicates are admitted
     * and counted ({@link #nearDuplicatesAdmitted()}), so that every strategy still trains on its full token budget.
     *
     * @throws IllegalStateException if three rounds in a row give no usable text (near duplicates aside)
     */
    public Synthesized synthesize(Generator g, PromptSource source, int tokens, double weight, String step) {
        return synthesize(source, tokens, weight, step, (prompts, round) -> {
            long[] seeds = new long[prompts.size()];
            for (int j = 0; j < seeds.length; j++) {
                seeds[j] = rowSeed(step + "#" + round, j);
            }
            return sample(g, prompts, seeds);
        });
    }

    /**
     * {@link #synthesize(Generator, PromptSource, int, double, String)} with best-of-{@code k} rows: every prompt of
     * round {@code r} is sampled {@code k} times ({@link #candidateSeed candidateSeed(step + "#" + r, j, c)}, so
     * candidate 0 is the sample the single-sample call draws) and {@code choice} keeps one of them; the budget, the
     * near-duplicate filter and the stopping rules then see the kept samples as they see single samples. Every
     * candidate counts in {@link #compute()}, and so does whatever model work {@code choice} asks for.
     *
     * @param k candidates per prompt, {@code >= 1}
     * @throws IllegalArgumentException if {@code k < 1} or {@code choice} returns an index outside a prompt's
     *     candidates
     */
    public Synthesized synthesize(Generator g, PromptSource source, int tokens, double weight, String step, int k,
            CandidateChoice choice) {
        if (k < 1) {
            throw new IllegalArgumentException("candidates per prompt must be >= 1, got " + k);
        }
        Objects.requireNonNull(choice, "choice");
        return synthesize(source, tokens, weight, step, (prompts, round) -> {
            String roundStep = step + "#" + round;
            List<Prompt> rows = new ArrayList<>(prompts.size() * k);
            long[] seeds = new long[prompts.size() * k];
            for (int j = 0; j < prompts.size(); j++) {
                for (int c = 0; c < k; c++) {
                    rows.add(prompts.get(j));
                    seeds[j * k + c] = candidateSeed(roundStep, j, c);
                }
            }
            List<Sample> flat = sample(g, rows, seeds);
            List<List<Sample>> candidates = new ArrayList<>(prompts.size());
            for (int j = 0; j < prompts.size(); j++) {
                candidates.add(List.copyOf(flat.subList(j * k, (j + 1) * k)));
            }
            int[] chosen = choice.choose(candidates);
            if (chosen.length != prompts.size()) {
                throw new IllegalArgumentException("the candidate choice returned " + chosen.length
                        + " indices for " + prompts.size() + " prompts");
            }
            List<Sample> out = new ArrayList<>(prompts.size());
            for (int j = 0; j < prompts.size(); j++) {
                if (chosen[j] < 0 || chosen[j] >= k) {
                    throw new IllegalArgumentException("the candidate choice returned index " + chosen[j]
                            + " for a prompt with " + k + " candidates");
                }
                out.add(candidates.get(j).get(chosen[j]));
            }
            return out;
        });
    }

    /** Samples one row per prompt of a round of {@link #synthesize}. */
    @FunctionalInterface
    private interface RoundSampler {
        List<Sample> sample(List<Prompt> prompts, int round);
    }

    private Synthesized synthesize(PromptSource source, int tokens, double weight, String step, RoundSampler rows) {
        TokenBudget budget = new TokenBudget(tokens, student::countTokens);
        List<Sample> samples = new ArrayList<>();
        ProgressSink p = step(step);
        int barren = 0;
        int allDuplicates = 0;
        boolean filtering = nearDuplicates != null;
        for (int round = 0; !budget.isFull(); round++) {
            List<Prompt> prompts = source.prompts(round, config.generationBatch());
            List<Sample> got = rows.sample(prompts, round);
            long before = budget.tokens();
            int droppedBefore = nearDuplicatesDropped;
            for (Sample s : got) {
                TrainingText t = toTrainingText(s, weight);
                if (t != null && t.hasContext()) {
                    // count in the budget only the context the Student will read
                    t = fitContext(t, student.contextLength(), student::countTokens);
                }
                if (t == null || budget.isFull()) {
                    continue;
                }
                boolean duplicate = nearDuplicates != null && nearDuplicates.isNearDuplicate(t.text());
                if (duplicate && filtering) {
                    nearDuplicatesDropped++;
                    continue;
                }
                if (budget.offer(t)) {
                    samples.add(s);
                    if (duplicate) {
                        nearDuplicatesAdmitted++;
                    }
                    if (nearDuplicates != null) {
                        nearDuplicates.accept(t.text());
                    }
                }
            }
            boolean nothingAdded = budget.tokens() == before && !budget.isFull();
            boolean onlyDuplicates = nothingAdded && nearDuplicatesDropped > droppedBefore;
            allDuplicates = onlyDuplicates ? allDuplicates + 1 : 0;
            if (allDuplicates >= NEAR_DUPLICATE_ROUNDS) {
                filtering = false;
            }
            barren = nothingAdded && !onlyDuplicates ? barren + 1 : 0;
            if (barren >= 3) {
                throw new IllegalStateException("the generator produced no usable text in three rounds of step '"
                        + step + "' (iteration " + iteration + ")");
            }
            p.progress(Math.min(budget.tokens(), tokens), tokens);
        }
        return new Synthesized(budget.texts(), samples);
    }

    /**
     * The text with its context cut from the left, a word at a time, until context, text and one end-of-text token
     * fit in {@code window} tokens, the tail a Student reads of a longer context; the context is dropped when the text
     * alone fills the window. A cut context gets the provenance attribute {@code context_truncated = "true"}.
     *
     * @param window the Student's {@link LanguageModel#contextLength()}; {@link Integer#MAX_VALUE} keeps the text
     */
    static TrainingText fitContext(TrainingText t, int window, java.util.function.ToIntFunction<String> counter) {
        if (!t.hasContext() || window == Integer.MAX_VALUE) {
            return t;
        }
        long room = (long) window - 1 - counter.applyAsInt(t.text());
        String c = t.context();
        if (counter.applyAsInt(c) <= room) {
            return t;
        }
        while (!c.isEmpty() && (room <= 0 || counter.applyAsInt(c) > room)) {
            int space = 0;
            while (space < c.length() && !Character.isWhitespace(c.charAt(space))) {
                space++;
            }
            while (space < c.length() && Character.isWhitespace(c.charAt(space))) {
                space++;
            }
            c = c.substring(space);
        }
        return new TrainingText(t.text(), t.weight(), t.provenance().with("context_truncated", "true"), c);
    }

    /** Topic prompts of the curriculum as a {@link PromptSource}. */
    public PromptSource topicPrompts(String step) {
        return (round, count) -> curriculum.topicPrompts(iteration, count, seed(step + "/prompts#" + round));
    }

    /**
     * The text a Student trains on from a sample, or {@code null} if nothing usable remains. Its provenance is the
     * sample's plus {@code prompt_kind}, {@link #ORIGIN} and, when the prompt has them, its {@code topic} and
     * {@code source_of_example} (for the composition figures of {@link IterationRecord.FeedbackAnalytics}).
     *
     * <p>A teaching prompt marked {@link ProvenanceKeys#REAL_CONTEXT} (masked-context teaching: real text cut before
     * its salient span) gives its completion as the trained text (trailing space stripped, leading space kept: it
     * continues the prompt) with the prompt as its {@link TrainingText#context() context}, {@link #CONTEXT_ORIGIN}
     * {@link #REAL}; a blank completion gives {@code null}.
     */
    public static TrainingText toTrainingText(Sample s, double weight) {
        java.util.Map<String, String> promptAttributes = s.prompt().provenance().attributes();
        boolean teaching = ProvenanceKeys.TEACHING.equals(promptAttributes.get(ProvenanceKeys.KIND));
        boolean realContext = teaching && "true".equals(promptAttributes.get(ProvenanceKeys.REAL_CONTEXT))
                && !s.prompt().text().isEmpty();
        String text = realContext ? (s.completion().isBlank() ? "" : s.completion().stripTrailing())
                : (teaching ? s.completion() : s.fullText()).strip();
        if (text.isEmpty()) {
            return null;
        }
        dev.symbiosis.core.text.Provenance p = s.provenance().with(ProvenanceKeys.PROMPT_KIND,
                teaching ? ProvenanceKeys.TEACHING : ProvenanceKeys.TOPIC_KIND)
                .with(ORIGIN, SYNTHETIC);
        for (String key : List.of(ProvenanceKeys.TOPIC, ProvenanceKeys.SOURCE_OF_EXAMPLE)) {
            String v = promptAttributes.get(key);
            if (v != null) {
                p = p.with(key, v);
            }
        }
        if (realContext) {
            return new TrainingText(text, weight, p.with(CONTEXT_ORIGIN, REAL), s.prompt().text());
        }
        return new TrainingText(text, weight, p);
    }

    /**
     * Lazily loaded generator of a strategy, with the content identity of its current state for the generation
     * cache. Strategies get a view of the model ({@link #get()}) through which every change of its state is noticed;
     * the loop restores and saves the model itself ({@link #model()}) and then names the state ({@link #setState}).
     */
    static final class ModelSlot implements AutoCloseable {
        private final java.util.function.Supplier<LanguageModel> loader;
        private final java.util.function.Function<LanguageModel, String> freshState;
        private LanguageModel model;
        private LanguageModel view;
        /** Loaded and unchanged since: the state is the loader's. */
        private boolean fresh;
        /** Content identity of the state when not fresh; null when unknown. */
        private String state;
        /** The current iteration's meter: the view counts the Generator's training, scoring and saliency in it. */
        private ComputeMeter meter;

        /**
         * @param loader loads the model
         * @param freshState the content identity of a freshly loaded model (may save it to find out)
         */
        ModelSlot(java.util.function.Supplier<LanguageModel> loader,
                java.util.function.Function<LanguageModel, String> freshState) {
            this.loader = Objects.requireNonNull(loader);
            this.freshState = Objects.requireNonNull(freshState);
        }

        private void load() {
            if (model == null) {
                model = loader.get();
                view = model instanceof PreferenceTraining ? new TrackedPreferenceModel(model, this)
                        : new TrackedModel(model, this);
                fresh = true;
                state = null;
            }
        }

        /** Counts the view's work of the current iteration in {@code m}. */
        void meter(ComputeMeter m) {
            this.meter = m;
        }

        /** The model as strategies see it. */
        LanguageModel get() {
            load();
            return view;
        }

        /** The model itself, for the loop's restore and save (which then call {@link #setState}). */
        LanguageModel model() {
            load();
            return model;
        }

        boolean isLoaded() {
            return model != null;
        }

        /** Whether the slot holds the loader's model unchanged (also when it is not loaded yet). */
        boolean holdsFresh() {
            return model == null || fresh;
        }

        /** Whether {@code g} is this slot's loaded view. */
        boolean isView(Object g) {
            return view != null && g == view;
        }

        /** The content identity of the current state, or null when unknown (changed since it was last named). */
        String state() {
            return model == null ? null : fresh ? freshState.apply(model) : state;
        }

        /** Names the current state (just restored from or saved to files with that content identity). */
        void setState(String contentId) {
            fresh = false;
            state = contentId;
        }

        /** Closes the model: the next {@link #get()} loads a fresh one (Generator 0). */
        void reset() {
            if (model != null) {
                model.close();
                model = null;
                view = null;
                fresh = true;
                state = null;
            }
        }

        /** The state changed in a way the loop cannot name. */
        void changed() {
            fresh = false;
            state = null;
        }

        @Override
        public void close() {
            if (model != null) {
                model.close();
                model = null;
                view = null;
            }
        }
    }

    /**
     * A view of a slot's model that tells the slot when the model's state changes, and counts its work in the
     * slot's current meter. Not thread-safe.
     */
    private static class TrackedModel extends MeteredModel {
        private final ModelSlot slot;

        TrackedModel(LanguageModel model, ModelSlot slot) {
            super(model, () -> slot.meter, ComputeMeter.GENERATOR);
            this.slot = slot;
        }

        @Override
        public dev.symbiosis.core.model.TrainingReport fineTune(
                List<dev.symbiosis.core.model.PromptCompletion> examples) {
            slot.changed();
            return super.fineTune(examples);
        }

        @Override
        public dev.symbiosis.core.model.TrainingReport fineTune(
                List<dev.symbiosis.core.model.PromptCompletion> examples, double learningRateScale) {
            slot.changed();
            return super.fineTune(examples, learningRateScale);
        }

        @Override
        public dev.symbiosis.core.model.TrainingReport train(List<TrainingText> texts) {
            slot.changed();
            return super.train(texts);
        }

        @Override
        public void restore(Path dir) throws IOException {
            slot.changed();
            super.restore(dir);
        }
    }

    /**
     * The tracked view of a model with {@link PreferenceTraining}: a preference fine-tuning changes the state, and
     * counts the reported tokens forward and backward plus the reference pass over the completions (forward).
     */
    private static final class TrackedPreferenceModel extends TrackedModel implements PreferenceTraining {
        private final ModelSlot slot;

        TrackedPreferenceModel(LanguageModel model, ModelSlot slot) {
            super(model, slot);
            this.slot = slot;
        }

        @Override
        public dev.symbiosis.core.model.TrainingReport fineTunePreferences(List<PreferencePair> pairs,
                double beta) {
            slot.changed();
            dev.symbiosis.core.model.TrainingReport r = ((PreferenceTraining) slot.model)
                    .fineTunePreferences(pairs, beta);
            if (slot.meter != null) {
                long reference = 0;
                for (PreferencePair p : pairs) {
                    reference += slot.model.countTokens(p.chosen()) + slot.model.countTokens(p.rejected());
                }
                slot.meter.forward(ComputeMeter.GENERATOR, reference);
            }
            return MeteredModel.trained(r, slot.meter, ComputeMeter.GENERATOR);
        }
    }

    /** Opens progress sinks for named steps. */
    @FunctionalInterface
    interface StepReporter {
        ProgressSink step(String name);
    }
}
