package dev.symbiosis.core.loop;

import dev.symbiosis.core.curriculum.Curriculum;
import dev.symbiosis.core.dedup.NearDuplicateFilter;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.LanguageModel;
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
    private int nearDuplicatesDropped;
    private int nearDuplicatesAdmitted;

    /** Rounds of nothing but near duplicates after which {@link #synthesize} admits them. */
    public static final int NEAR_DUPLICATE_ROUNDS = 10;

    IterationContext(int iteration, LoopConfig config, LanguageModel student, ModelSlot generator,
            Path initialStudent, RealStream realStream, List<Document> pool, Curriculum curriculum,
            FeedbackMiner miner, StepReporter reporter, NearDuplicateFilter nearDuplicates) {
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
    }

    /** The iteration, {@code >= 1}. */
    public int iteration() {
        return iteration;
    }

    public LoopConfig config() {
        return config;
    }

    /** The strategy's Student (trained by the loop after {@link Strategy#prepare}). */
    public LanguageModel student() {
        return student;
    }

    /** The strategy's Generator: Generator 0, or the strategy's evolving copy of it. Loaded on first use. */
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
     * Samples one continuation per prompt in batches of {@link LoopConfig#generationBatch()}, each batch with its
     * own seed derived from {@code step}.
     */
    public List<Sample> generate(Generator g, List<Prompt> prompts, String step) {
        ProgressSink p = step(step);
        List<Sample> out = new ArrayList<>(prompts.size());
        int batch = config.generationBatch();
        for (int from = 0; from < prompts.size(); from += batch) {
            List<Prompt> part = prompts.subList(from, Math.min(prompts.size(), from + batch));
            out.addAll(g.generate(part, config.sampling().withSeed(seed(step + "#" + from))));
            p.progress(Math.min(prompts.size(), from + batch), prompts.size());
        }
        return out;
    }

    /** Synthetic texts generated to a token budget, with the samples they came from. */
    public record Synthesized(List<TrainingText> texts, List<Sample> samples) {}

    /**
     * Generates rounds of {@link LoopConfig#generationBatch()} prompts until {@code tokens} training tokens are
     * collected. A sample of a topic prompt trains on prompt and completion (the prompt is a template's sentence
     * opening); a sample of a teaching prompt trains on its completion only, so no pool text reaches the Student.
     *
     * <p>When the curriculum supplies a near-duplicate filter, a sample that is a near duplicate of one accepted
     * before (in this or an earlier iteration of the strategy) is dropped and counted
     * ({@link #nearDuplicatesDropped()}), and generation continues until the budget is full. A generator that has
     * collapsed may produce nothing else: after {@value #NEAR_DUPLICATE_ROUNDS} rounds in a row in which every
     * usable sample was dropped, the filter stands aside for the rest of this call and near duplicates are admitted
     * and counted ({@link #nearDuplicatesAdmitted()}), so that every strategy still trains on its full token budget.
     *
     * @throws IllegalStateException if three rounds in a row give no usable text (near duplicates aside)
     */
    public Synthesized synthesize(Generator g, PromptSource source, int tokens, double weight, String step) {
        TokenBudget budget = new TokenBudget(tokens, student::countTokens);
        List<Sample> samples = new ArrayList<>();
        ProgressSink p = step(step);
        int barren = 0;
        int allDuplicates = 0;
        boolean filtering = nearDuplicates != null;
        for (int round = 0; !budget.isFull(); round++) {
            List<Prompt> prompts = source.prompts(round, config.generationBatch());
            List<Sample> got = g.generate(prompts, config.sampling().withSeed(seed(step + "#" + round)));
            long before = budget.tokens();
            int droppedBefore = nearDuplicatesDropped;
            for (Sample s : got) {
                TrainingText t = toTrainingText(s, weight);
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

    /** Topic prompts of the curriculum as a {@link PromptSource}. */
    public PromptSource topicPrompts(String step) {
        return (round, count) -> curriculum.topicPrompts(iteration, count, seed(step + "/prompts#" + round));
    }

    /**
     * The text a Student trains on from a sample, or {@code null} if nothing usable remains. Its provenance is the
     * sample's plus {@code prompt_kind}, {@link #ORIGIN} and, when the prompt has them, its {@code topic} and
     * {@code source_of_example} (for the composition figures of {@link IterationRecord.FeedbackAnalytics}).
     */
    public static TrainingText toTrainingText(Sample s, double weight) {
        java.util.Map<String, String> promptAttributes = s.prompt().provenance().attributes();
        boolean teaching = ProvenanceKeys.TEACHING.equals(promptAttributes.get(ProvenanceKeys.KIND));
        String text = (teaching ? s.completion() : s.fullText()).strip();
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
        return new TrainingText(text, weight, p);
    }

    /** Lazily loaded generator of a strategy. */
    static final class ModelSlot implements AutoCloseable {
        private final java.util.function.Supplier<LanguageModel> loader;
        private LanguageModel model;

        ModelSlot(java.util.function.Supplier<LanguageModel> loader) {
            this.loader = Objects.requireNonNull(loader);
        }

        LanguageModel get() {
            if (model == null) {
                model = loader.get();
            }
            return model;
        }

        boolean isLoaded() {
            return model != null;
        }

        @Override
        public void close() {
            if (model != null) {
                model.close();
                model = null;
            }
        }
    }

    /** Opens progress sinks for named steps. */
    @FunctionalInterface
    interface StepReporter {
        ProgressSink step(String name);
    }
}
