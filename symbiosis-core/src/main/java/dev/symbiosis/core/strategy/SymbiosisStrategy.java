package dev.symbiosis.core.strategy;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.feedback.Feedback;
import dev.symbiosis.core.feedback.FeedbackMiner;
import dev.symbiosis.core.feedback.HardExample;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.TextsFile;
import dev.symbiosis.core.loop.TokenBudget;
import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TrainingText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Generative Data Symbiosis (proposal, Section 3.1): each iteration
 * <ol>
 *   <li>Step A: the Generator writes the Student's training data from topic prompts, and (share
 *       {@link dev.symbiosis.core.loop.LoopConfig#teachingShare()}) from the last iteration's teaching prompts, so
 *       that what the Student found hard is re-taught directly;</li>
 *   <li>Step B: the loop trains the Student on it;</li>
 *   <li>Step C: the miner finds the Student's hard examples in a sample of the unlabeled pool;</li>
 *   <li>Step D: the curriculum turns them into teaching prompts, the Generator answers them, and is fine-tuned on
 *       its answers (loss on the completion only).</li>
 * </ol>
 *
 * <p>Ablations change one component each and otherwise run exactly this (same token budget, same seeds, same pool
 * sample per iteration, so they pair with the full method):
 * <ul>
 *   <li>{@link #frozenGenerator()} {@code symbiosis-frozen-generator}: no Step D fine-tuning (the LLM2LLM-style
 *       teacher: teaching prompts still reach Step A, answered by Generator 0);</li>
 *   <li>{@link #noSaliency()} {@code symbiosis-no-saliency}: Step C by uncertainty only, no gradient saliency, so
 *       teaching prompts are built from the start of each hard window instead of its most salient span;</li>
 *   <li>{@link #randomPool()} {@code symbiosis-random-pool}: Step C keeps a seeded random choice of pool windows
 *       instead of the hardest (same count, saliency as usual);</li>
 *   <li>{@link #hardToStudent()} {@code symbiosis-hard-to-student}: the hard examples' own text goes into the
 *       Student's next training set (the teaching share of the budget) instead of to the Generator; no teaching
 *       prompts, no Step D;</li>
 *   <li>{@link #hotflipHints()} {@code symbiosis-hotflip-hints}: the full method with gradient-direction hints
 *       ({@link UncertaintyFeedbackMiner.Builder#optGradientHints}) rendered into the teaching prompts;</li>
 *   <li>{@link #randomSaliency()} {@code symbiosis-random-saliency} (control): saliency is computed as usual but
 *       the teaching prompts are built around seeded random spans of the hard windows
 *       ({@link UncertaintyFeedbackMiner.Builder#optRandomSpans}), so the value of the gradient's choice of span is
 *       measured at equal cost;</li>
 *   <li>{@link #randomRealToStudent()} {@code random-real-to-student} (control of {@code symbiosis-hard-to-student}):
 *       the same flow and the same real-token share, but the real windows are a seeded random choice of the pool
 *       sample instead of the hardest.</li>
 * </ul>
 * The miner variants derive from the loop's miner, which must then be an {@link UncertaintyFeedbackMiner}.
 *
 * <p>Issue 17's components are opt-in additions to the full method, composable into one arm with {@link #builder}
 * (and by name through {@link SymbiosisComponents}, e.g. {@code symbiosis+gap+masked+reset}); with none of them
 * the strategy is exactly the full method:
 * <ul>
 *   <li>{@link Builder#optTeachableGap} ({@code gap}, arm {@code symbiosis-teachable-gap}): Step C ranks pool
 *       windows by the Student's bits per byte minus the Generator's
 *       ({@link UncertaintyFeedbackMiner.Signal#TEACHABLE_GAP}), saliency on the kept windows as usual;</li>
 *   <li>{@link Builder#optMaskedContext} ({@code masked}, arm {@code symbiosis-masked-context}): teaching prompts
 *       are the real text cut right before the salient span
 *       ({@link dev.symbiosis.core.curriculum.Curriculum#maskedContextPrompts}); in Step A the Student trains on
 *       the Generator's completion with the real prompt as loss-masked context
 *       ({@link TrainingText#context()}), whose tokens count in the budget and in
 *       {@link dev.symbiosis.core.loop.IterationRecord#realContextTokens()};</li>
 *   <li>{@link Builder#optGeneratorReset} ({@code reset}, arm {@code symbiosis-generator-reset}): Step D starts
 *       from Generator 0 every iteration ({@link IterationContext#resetGenerator()}), so the teaching material is
 *       Generator 0's and the Generator of Step A is Generator 0 after one round of fine-tuning, never more;</li>
 *   <li>{@link Builder#optGeneratorLearningRateScale} ({@code low-lr} = 0.1, arm {@code symbiosis-generator-low-lr}):
 *       Step D fine-tunes the Generator at its configured learning rate times the scale
 *       ({@link dev.symbiosis.core.model.Generator#fineTune(List, double)}).</li>
 * </ul>
 *
 * <p>Cross-iteration state (last teaching prompts, or last hard texts) is saved with the checkpoint, so a resumed
 * run continues exactly. Not thread-safe.
 */
public final class SymbiosisStrategy implements Strategy {

    /** Hint positions per hard example of {@link #hotflipHints()}: as many as the miner's default salient spans. */
    public static final int DEFAULT_HINT_POSITIONS = 2;
    /** Contrast candidates per hint position of {@link #hotflipHints()}. */
    public static final int DEFAULT_HINT_CANDIDATES = 3;

    private enum Variant {
        FULL, FROZEN_GENERATOR, NO_SALIENCY, RANDOM_POOL, HARD_TO_STUDENT, HOTFLIP_HINTS, RANDOM_SALIENCY,
        RANDOM_REAL_TO_STUDENT
    }

    private final String name;
    private final Variant variant;
    private final int hintPositions;
    private final int hintCandidates;
    private final boolean teachableGap;
    private final boolean maskedContext;
    private final boolean generatorReset;
    private final double generatorLearningRateScale;
    private List<Prompt> lastTeachingPrompts = List.of();
    private List<TrainingText> lastHardTexts = List.of();

    private SymbiosisStrategy(String name, Variant variant, int hintPositions, int hintCandidates) {
        this.name = name;
        this.variant = variant;
        this.hintPositions = hintPositions;
        this.hintCandidates = hintCandidates;
        this.teachableGap = false;
        this.maskedContext = false;
        this.generatorReset = false;
        this.generatorLearningRateScale = 1.0;
    }

    private SymbiosisStrategy(Builder b) {
        this.name = b.name;
        this.variant = Variant.FULL;
        this.hintPositions = 0;
        this.hintCandidates = 0;
        this.teachableGap = b.teachableGap;
        this.maskedContext = b.maskedContext;
        this.generatorReset = b.generatorReset;
        this.generatorLearningRateScale = b.generatorLearningRateScale;
    }

    private SymbiosisStrategy(String name, Variant variant) {
        this(name, variant, 0, 0);
    }

    /**
     * The full method with issue 17's components chosen one by one (none chosen: the full method under another
     * name).
     *
     * @param name the arm's name (a run folder): lowercase letters, digits and dashes, parts joined by {@code +}
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The full method with teachable-gap mining in Step C ({@link Builder#optTeachableGap}). */
    public static SymbiosisStrategy teachableGap() {
        return builder("symbiosis-teachable-gap").optTeachableGap(true).build();
    }

    /** The full method with masked-context teaching ({@link Builder#optMaskedContext}). */
    public static SymbiosisStrategy maskedContext() {
        return builder("symbiosis-masked-context").optMaskedContext(true).build();
    }

    /** The full method with the Generator reset to Generator 0 before every Step D ({@link Builder#optGeneratorReset}). */
    public static SymbiosisStrategy generatorReset() {
        return builder("symbiosis-generator-reset").optGeneratorReset(true).build();
    }

    /**
     * The full method with Step D at a tenth of the Generator's configured learning rate
     * ({@link Builder#optGeneratorLearningRateScale}, {@link SymbiosisComponents#LOW_LEARNING_RATE_SCALE}).
     */
    public static SymbiosisStrategy generatorLowLearningRate() {
        return builder("symbiosis-generator-low-lr")
                .optGeneratorLearningRateScale(SymbiosisComponents.LOW_LEARNING_RATE_SCALE).build();
    }

    /** The full method: Steps A-D. */
    public static SymbiosisStrategy create() {
        return new SymbiosisStrategy("symbiosis", Variant.FULL);
    }

    /** Ablation: Steps A-C and teaching prompts, but the Generator is never fine-tuned (no Step D training). */
    public static SymbiosisStrategy frozenGenerator() {
        return new SymbiosisStrategy("symbiosis-frozen-generator", Variant.FROZEN_GENERATOR);
    }

    /** Ablation: Step C by uncertainty only (no gradient saliency, hence no salient spans). */
    public static SymbiosisStrategy noSaliency() {
        return new SymbiosisStrategy("symbiosis-no-saliency", Variant.NO_SALIENCY);
    }

    /** Ablation: random pool windows instead of the hardest ones, seeded per iteration. */
    public static SymbiosisStrategy randomPool() {
        return new SymbiosisStrategy("symbiosis-random-pool", Variant.RANDOM_POOL);
    }

    /**
     * Ablation: the hard examples go to the Student directly. Each iteration after the first, the teaching share
     * of the token budget is filled with the last iteration's hard windows (real pool text, in seeded shuffled
     * passes, repeated only when one pass does not fill the share), the rest with Step A synthetic data; the
     * Generator is never fine-tuned.
     */
    public static SymbiosisStrategy hardToStudent() {
        return new SymbiosisStrategy("symbiosis-hard-to-student", Variant.HARD_TO_STUDENT);
    }

    /**
     * Control: the full method with the salient spans replaced by seeded random spans of the same width and count
     * (saliency is still computed, so compute is equal).
     */
    public static SymbiosisStrategy randomSaliency() {
        return new SymbiosisStrategy("symbiosis-random-saliency", Variant.RANDOM_SALIENCY);
    }

    /**
     * Control of {@link #hardToStudent()}: random real pool windows (a seeded choice of the same count from the same
     * pool sample) fill the same share of the Student's budget; the Generator is never fine-tuned.
     */
    public static SymbiosisStrategy randomRealToStudent() {
        return new SymbiosisStrategy("random-real-to-student", Variant.RANDOM_REAL_TO_STUDENT);
    }

    /**
     * The full method with gradient-direction hints: {@link #DEFAULT_HINT_POSITIONS} salient tokens per hard
     * example with {@link #DEFAULT_HINT_CANDIDATES} substitutions each.
     */
    public static SymbiosisStrategy hotflipHints() {
        return hotflipHints(DEFAULT_HINT_POSITIONS, DEFAULT_HINT_CANDIDATES);
    }

    /**
     * The full method with gradient-direction hints. The Student must implement {@link GradientHints} (the run
     * fails with a clear error otherwise, rather than silently running plain symbiosis under this name).
     *
     * @param positions salient tokens per hard example, {@code >= 1}
     * @param candidates substitutions per token, {@code >= 1}
     */
    public static SymbiosisStrategy hotflipHints(int positions, int candidates) {
        if (positions < 1 || candidates < 1) {
            throw new IllegalArgumentException("positions and candidates must be >= 1, got " + positions + " and "
                    + candidates);
        }
        return new SymbiosisStrategy("symbiosis-hotflip-hints", Variant.HOTFLIP_HINTS, positions, candidates);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The variant and, for gradient hints, their sizes; and each of issue 17's components that is on
     * ({@code teachableGap}, {@code maskedContext}, {@code generatorReset}: {@code true};
     * {@code generatorLearningRateScale} when not 1), so that the settings of the strategies without them are what
     * they were before the components existed.
     */
    @Override
    public SortedMap<String, Object> settings() {
        SortedMap<String, Object> base = Describable.settingsOf("variant", variant.name(), "hintPositions",
                hintPositions, "hintCandidates", hintCandidates);
        if (!teachableGap && !maskedContext && !generatorReset && generatorLearningRateScale == 1.0) {
            return base;
        }
        java.util.TreeMap<String, Object> out = new java.util.TreeMap<>(base);
        if (teachableGap) {
            out.put("teachableGap", true);
        }
        if (maskedContext) {
            out.put("maskedContext", true);
        }
        if (generatorReset) {
            out.put("generatorReset", true);
        }
        if (generatorLearningRateScale != 1.0) {
            out.put("generatorLearningRateScale", generatorLearningRateScale);
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** Whether Step C ranks by the teachable gap. */
    public boolean usesTeachableGap() {
        return teachableGap;
    }

    /** Whether teaching is masked-context teaching. */
    public boolean usesMaskedContext() {
        return maskedContext;
    }

    /** Whether the Generator is reset to Generator 0 before every Step D. */
    public boolean resetsGenerator() {
        return generatorReset;
    }

    /** The factor on the Generator's configured learning rate in Step D (1: as configured). */
    public double generatorLearningRateScale() {
        return generatorLearningRateScale;
    }

    @Override
    public boolean evolvesGenerator() {
        return variant != Variant.FROZEN_GENERATOR && !realToStudent();
    }

    /** Whether real pool windows go to the Student (hard-to-student and its random control). */
    private boolean realToStudent() {
        return variant == Variant.HARD_TO_STUDENT || variant == Variant.RANDOM_REAL_TO_STUDENT;
    }

    @Override
    public IterationData prepare(IterationContext ctx) {
        if (realToStudent()) {
            return prepareWithHardTexts(ctx);
        }
        double share = lastTeachingPrompts.isEmpty() ? 0 : ctx.config().teachingShare();
        IterationContext.PromptSource topics = ctx.topicPrompts("step-a");
        List<Prompt> teaching = lastTeachingPrompts;
        IterationContext.PromptSource source = (round, count) -> {
            int nTeach = (int) Math.round(count * share);
            List<Prompt> out = new ArrayList<>(count);
            SplittableRandom rnd = new SplittableRandom(ctx.seed("step-a/teaching#" + round));
            for (int i = 0; i < nTeach; i++) {
                out.add(teaching.get(rnd.nextInt(teaching.size())));
            }
            out.addAll(topics.prompts(round, count - nTeach));
            return out;
        };
        IterationContext.Synthesized s = ctx.synthesize(ctx.generator(), source, ctx.config().tokenBudget(), 1.0,
                "step-a generate");
        return new IterationData(s.texts(), s.samples(), false);
    }

    /** Hard texts of the last iteration for the teaching share, Step A synthetic data for the rest. */
    private IterationData prepareWithHardTexts(IterationContext ctx) {
        int budget = ctx.config().tokenBudget();
        List<TrainingText> texts = new ArrayList<>();
        long hardTokens = 0;
        int hardShare = (int) Math.round(budget * ctx.config().teachingShare());
        if (!lastHardTexts.isEmpty() && hardShare >= 1) {
            TokenBudget b = fillInShuffledPasses(new TokenBudget(hardShare, ctx.student()::countTokens),
                    lastHardTexts, ctx.seed("step-a/hard-texts"));
            texts.addAll(b.texts());
            hardTokens = b.tokens();
        }
        IterationContext.Synthesized s = ctx.synthesize(ctx.generator(), ctx.topicPrompts("step-a"),
                (int) Math.max(1, budget - hardTokens), 1.0, "step-a generate");
        texts.addAll(s.texts());
        return new IterationData(texts, s.samples(), false);
    }

    /**
     * Fills {@code budget} from the texts in seeded shuffled passes, a new shuffle per pass, until it is full or a
     * whole pass adds nothing.
     */
    static TokenBudget fillInShuffledPasses(TokenBudget budget, List<TrainingText> texts, long seed) {
        Random rnd = new Random(seed);
        while (!budget.isFull()) {
            long before = budget.tokens();
            List<TrainingText> pass = new ArrayList<>(texts);
            Collections.shuffle(pass, rnd);
            budget.fillFrom(pass.iterator());
            if (budget.tokens() == before) {
                break;
            }
        }
        return budget;
    }

    @Override
    public void afterTraining(IterationContext ctx, IterationData data) {
        FeedbackMiner miner = miner(ctx);
        // only the teachable gap scores the Generator (and loads it): the other arms mine as they always did
        Feedback feedback = teachableGap ? miner.mine(ctx.student(), ctx.generator(), ctx.poolSample(),
                ctx.iteration()) : miner.mine(ctx.student(), ctx.poolSample(), ctx.iteration());
        data.setFeedback(feedback);
        if (realToStudent()) {
            List<TrainingText> hard = new ArrayList<>();
            for (HardExample h : feedback.hardExamples()) {
                hard.add(TrainingText.of(h.document().text(), h.document().provenance()
                        .with("doc", h.document().id())
                        .with("hard_example_of", Integer.toString(ctx.iteration()))
                        .with(IterationContext.ORIGIN, IterationContext.REAL)));
            }
            lastHardTexts = List.copyOf(hard);
            return;
        }
        List<Prompt> teaching = maskedContext ? maskedContextPrompts(ctx, feedback)
                : ctx.curriculum().teachingPrompts(ctx.iteration(), feedback);
        lastTeachingPrompts = List.copyOf(teaching);
        if (generatorReset && evolvesGenerator()) {
            ctx.resetGenerator(); // Step D starts from Generator 0: no drift accumulates over iterations
        }
        if (!evolvesGenerator() || teaching.isEmpty()) {
            return;
        }
        LanguageModel g = ctx.generator();
        List<Sample> material = ctx.generate(g, teaching, "step-d teach");
        List<PromptCompletion> pairs = new ArrayList<>();
        for (Sample s : material) {
            if (!s.completion().isBlank()) {
                pairs.add(new PromptCompletion(s.prompt().text(), s.completion()));
            }
        }
        ctx.step("step-d fine-tune generator").progress(0, 1);
        data.setGeneratorTraining(generatorLearningRateScale == 1.0 ? g.fineTune(pairs)
                : g.fineTune(pairs, generatorLearningRateScale));
        ctx.step("step-d fine-tune generator").progress(1, 1);
    }

    /** The curriculum's masked-context prompts, or a clear error when it builds none. */
    private List<Prompt> maskedContextPrompts(IterationContext ctx, Feedback feedback) {
        try {
            return ctx.curriculum().maskedContextPrompts(ctx.iteration(), feedback);
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("strategy " + name + " teaches with masked context, which needs a "
                    + "curriculum that builds such prompts (TemplateCurriculum in prefix style): " + e.getMessage(), e);
        }
    }

    /** The loop's miner, or the variant of it this ablation needs. */
    private FeedbackMiner miner(IterationContext ctx) {
        FeedbackMiner base = ctx.miner();
        if (teachableGap) {
            if (!(base instanceof UncertaintyFeedbackMiner u)) {
                throw new IllegalStateException("strategy " + name + " derives its teachable-gap miner from the "
                        + "loop's miner, which must be an UncertaintyFeedbackMiner; got " + base.getClass().getName());
            }
            return u.toBuilder().optSignal(UncertaintyFeedbackMiner.Signal.TEACHABLE_GAP).build();
        }
        if (variant != Variant.NO_SALIENCY && variant != Variant.RANDOM_POOL && variant != Variant.HOTFLIP_HINTS
                && variant != Variant.RANDOM_SALIENCY && variant != Variant.RANDOM_REAL_TO_STUDENT) {
            return base;
        }
        if (!(base instanceof UncertaintyFeedbackMiner u)) {
            throw new IllegalStateException("strategy " + name + " derives its miner from the loop's miner, which "
                    + "must be an UncertaintyFeedbackMiner; got " + base.getClass().getName());
        }
        return switch (variant) {
            case NO_SALIENCY -> u.toBuilder().optSaliency(false).build();
            case RANDOM_POOL, RANDOM_REAL_TO_STUDENT ->
                    u.toBuilder().optRandomSelection(ctx.seed("random-pool")).build();
            case RANDOM_SALIENCY -> u.toBuilder().optRandomSpans(ctx.seed("random-spans")).build();
            case HOTFLIP_HINTS -> {
                if (!(ctx.student() instanceof GradientHints)) {
                    throw new IllegalStateException("strategy " + name + " needs a Student that implements "
                            + "GradientHints; " + ctx.student().getClass().getName() + " does not");
                }
                yield u.toBuilder().optGradientHints(hintPositions, hintCandidates).build();
            }
            default -> base;
        };
    }

    @Override
    public void saveState(Path dir) throws IOException {
        if (realToStudent()) {
            TextsFile.writeTexts(dir.resolve("hard-texts.jsonl"), lastHardTexts);
        } else {
            TextsFile.writePrompts(dir.resolve("teaching-prompts.jsonl"), lastTeachingPrompts);
        }
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        if (realToStudent()) {
            Path f = dir.resolve("hard-texts.jsonl");
            lastHardTexts = Files.exists(f) ? TextsFile.readTexts(f) : List.of();
        } else {
            Path f = dir.resolve("teaching-prompts.jsonl");
            lastTeachingPrompts = Files.exists(f) ? TextsFile.readPrompts(f) : List.of();
        }
    }

    /**
     * Options of a {@link SymbiosisStrategy} built from issue 17's components on top of the full method. Every
     * component is off by default; with none on, the strategy runs exactly as {@link #create()} (under its own
     * name). Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private boolean teachableGap;
        private boolean maskedContext;
        private boolean generatorReset;
        private double generatorLearningRateScale = 1.0;

        private Builder(String name) {
            java.util.Objects.requireNonNull(name, "name");
            if (!name.matches("[a-z0-9][a-z0-9-]*(\\+[a-z0-9][a-z0-9-]*)*")) {
                throw new IllegalArgumentException("a strategy name is lowercase letters, digits and dashes, parts "
                        + "joined by '+' (it names a folder), got '" + name + "'");
            }
            this.name = name;
        }

        /**
         * Step C ranks pool windows by the teachable gap, the Student's bits per byte minus the Generator's
         * ({@link UncertaintyFeedbackMiner.Signal#TEACHABLE_GAP}), instead of the loop miner's signal; the other
         * miner options (windows, top-k, one window per stretch, saliency) stay the loop's. Default off.
         */
        public Builder optTeachableGap(boolean value) {
            this.teachableGap = value;
            return this;
        }

        /**
         * Masked-context teaching: the teaching prompts are the real text cut right before the salient span, and
         * the Student trains on the Generator's completion with that prompt as loss-masked context (its tokens count
         * in the token budget). Needs a curriculum that builds such prompts (the default
         * {@link dev.symbiosis.core.curriculum.TemplateCurriculum} in prefix style). Default off.
         */
        public Builder optMaskedContext(boolean value) {
            this.maskedContext = value;
            return this;
        }

        /**
         * Reset the Generator to Generator 0 before every Step D, so that it writes the teaching material and is
         * fine-tuned from Generator 0 each time (Step A then uses Generator 0 after one round of fine-tuning).
         * Default off.
         */
        public Builder optGeneratorReset(boolean value) {
            this.generatorReset = value;
            return this;
        }

        /**
         * Step D fine-tunes the Generator at its configured learning rate (the experiment's
         * {@code generator.learningRate}) times {@code value}, for this arm only; the Generator must support it
         * ({@link dev.symbiosis.core.model.Generator#fineTune(List, double)}: the DJL engine does). Default 1 (as
         * configured).
         *
         * @throws IllegalArgumentException if the value is not finite and positive
         */
        public Builder optGeneratorLearningRateScale(double value) {
            dev.symbiosis.core.model.Generator.checkLearningRateScale(value);
            this.generatorLearningRateScale = value;
            return this;
        }

        public SymbiosisStrategy build() {
            return new SymbiosisStrategy(this);
        }
    }
}
