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
import dev.symbiosis.core.model.ParameterGradients;
import dev.symbiosis.core.model.PreferencePair;
import dev.symbiosis.core.model.PreferenceTraining;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.ProvenanceKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p>Student-rewarded teaching (issue 17, point 2; opt-in, {@link #withStudentReward}, {@link #rest()},
 * {@link #dpo()}): Step D samples {@link StudentReward#candidates()} continuations per teaching prompt (candidate
 * {@code c} of prompt {@code i} with {@link IterationContext#candidateSeed candidateSeed("step-d teach", i, c)}, so
 * candidate 0 is the continuation the full method samples), scores each by the cosine between the Student's
 * parameter gradient on it and on the hard example the prompt was made from ({@link ParameterGradients}; the
 * Student must implement it), and keeps each prompt's best (ties to the lower candidate). The Generator is then
 * fine-tuned on the kept continuations (ReST) or on (best, worst) pairs with DPO ({@link PreferenceTraining}; the
 * Generator must implement it); with a frozen Generator only the choice is made. The kept continuations are the
 * Student's teaching material of the next iteration: Step A puts each of them once into the teaching share of the
 * budget (in a seeded order, the last one cut to fit), and fills what is left of the share from the teaching
 * prompts as the full method does, so that no continuation is repeated to fill the share; the rest of the budget
 * is topic data as usual. Each kept continuation's training text records its score and candidate index in its
 * provenance ({@value #REWARD_KEY}, {@value #CANDIDATE_KEY}).
 *
 * <p>Best-of-k by the Generator's likelihood ({@link #frozenGeneratorBestOfK}, the matched-compute control): the
 * frozen-generator ablation with every Step A row chosen among {@code k} samples by {@link BestOfK#byLikelihood}.
 *
 * <p>Cross-iteration state (last teaching prompts, or last hard texts) is saved with the checkpoint, so a resumed
 * run continues exactly. Not thread-safe.
 */
public final class SymbiosisStrategy implements Strategy {

    /** Hint positions per hard example of {@link #hotflipHints()}: as many as the miner's default salient spans. */
    public static final int DEFAULT_HINT_POSITIONS = 2;
    /** Contrast candidates per hint position of {@link #hotflipHints()}. */
    public static final int DEFAULT_HINT_CANDIDATES = 3;
    /** Provenance attribute of a kept continuation: the Student's score of it (a cosine). */
    public static final String REWARD_KEY = "student_reward";
    /** Provenance attribute of a kept continuation: its candidate index among the prompt's samples. */
    public static final String CANDIDATE_KEY = "candidate";
    /** Step D's generation step: the full method's samples and candidate 0 of Student-rewarded teaching. */
    private static final String STEP_D_TEACH = "step-d teach";

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
    /** Student-rewarded teaching, or null (the method as it was). */
    private final StudentReward reward;
    /** Best-of-k of every Step A row by the Generator's likelihood; 0 = one sample per row. */
    private final int bestOfK;
    private List<Prompt> lastTeachingPrompts = List.of();
    private List<TrainingText> lastHardTexts = List.of();
    /** The continuations Step D kept (Student-rewarded teaching), for the next Step A. */
    private List<Sample> lastChosen = List.of();

    private SymbiosisStrategy(Builder b) {
        this.name = b.name;
        this.variant = b.variant;
        this.hintPositions = b.hintPositions;
        this.hintCandidates = b.hintCandidates;
        this.reward = b.reward;
        this.bestOfK = b.bestOfK;
        this.teachableGap = b.teachableGap;
        this.maskedContext = b.maskedContext;
        this.generatorReset = b.generatorReset;
        this.generatorLearningRateScale = b.generatorLearningRateScale;
    }

    /**
     * The full method with issue 17's components chosen one by one (none chosen: the full method under another
     * name).
     *
     * @param name the arm's name (a run folder): lowercase letters, digits and dashes, parts joined by {@code +}
     */
    public static Builder builder(String name) {
        return new Builder(name, Variant.FULL);
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
        return builder("symbiosis").build();
    }

    /** Ablation: Steps A-C and teaching prompts, but the Generator is never fine-tuned (no Step D training). */
    public static SymbiosisStrategy frozenGenerator() {
        return variant("symbiosis-frozen-generator", Variant.FROZEN_GENERATOR);
    }

    /** Ablation: Step C by uncertainty only (no gradient saliency, hence no salient spans). */
    public static SymbiosisStrategy noSaliency() {
        return variant("symbiosis-no-saliency", Variant.NO_SALIENCY);
    }

    /** Ablation: random pool windows instead of the hardest ones, seeded per iteration. */
    public static SymbiosisStrategy randomPool() {
        return variant("symbiosis-random-pool", Variant.RANDOM_POOL);
    }

    /**
     * Ablation: the hard examples go to the Student directly. Each iteration after the first, the teaching share
     * of the token budget is filled with the last iteration's hard windows (real pool text, in seeded shuffled
     * passes, repeated only when one pass does not fill the share), the rest with Step A synthetic data; the
     * Generator is never fine-tuned.
     */
    public static SymbiosisStrategy hardToStudent() {
        return variant("symbiosis-hard-to-student", Variant.HARD_TO_STUDENT);
    }

    /**
     * Control: the full method with the salient spans replaced by seeded random spans of the same width and count
     * (saliency is still computed, so compute is equal).
     */
    public static SymbiosisStrategy randomSaliency() {
        return variant("symbiosis-random-saliency", Variant.RANDOM_SALIENCY);
    }

    /**
     * Control of {@link #hardToStudent()}: random real pool windows (a seeded choice of the same count from the same
     * pool sample) fill the same share of the Student's budget; the Generator is never fine-tuned.
     */
    public static SymbiosisStrategy randomRealToStudent() {
        return variant("random-real-to-student", Variant.RANDOM_REAL_TO_STUDENT);
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
        return new Builder("symbiosis-hotflip-hints", Variant.HOTFLIP_HINTS).hints(positions, candidates).build();
    }

    /**
     * The full method with Student-rewarded teaching by ReST ({@link StudentReward#rest()}), named
     * {@code symbiosis-rest}.
     */
    public static SymbiosisStrategy rest() {
        return builder("symbiosis-rest").optStudentReward(StudentReward.rest()).build();
    }

    /**
     * The full method with Student-rewarded teaching by DPO ({@link StudentReward#dpo()}), named
     * {@code symbiosis-dpo}.
     */
    public static SymbiosisStrategy dpo() {
        return builder("symbiosis-dpo").optStudentReward(StudentReward.dpo()).build();
    }

    /**
     * The matched-compute control of Student-rewarded teaching: {@link #frozenGenerator()} with every Step A row
     * chosen among {@code k} samples by the Generator's own likelihood ({@link BestOfK#byLikelihood}), named
     * {@code symbiosis-frozen-generator-best-of-k}.
     *
     * @param k samples per Step A row, {@code >= 2}
     */
    public static SymbiosisStrategy frozenGeneratorBestOfK(int k) {
        if (k < 2 || k > StudentReward.MAX_CANDIDATES) {
            throw new IllegalArgumentException("best-of-k needs k in [2, " + StudentReward.MAX_CANDIDATES
                    + "], got " + k);
        }
        return new Builder("symbiosis-frozen-generator-best-of-k", Variant.FROZEN_GENERATOR).bestOfK(k).build();
    }

    /**
     * This strategy (same variant, miner and hint sizes) with Student-rewarded teaching in Step D, under a new name.
     * With the frozen-generator ablation only the choice is made (the Student still receives the kept
     * continuations; the Generator is not trained).
     *
     * @param newName the strategy's name (e.g. {@code symbiosis+rest})
     * @param value the options
     * @throws IllegalArgumentException for the variants that send real text to the Student (no teaching prompts),
     *     or when this strategy already has Student-rewarded teaching or best-of-k rows
     */
    public SymbiosisStrategy withStudentReward(String newName, StudentReward value) {
        Objects.requireNonNull(value, "value");
        if (reward != null || bestOfK > 0) {
            throw new IllegalArgumentException(name + " already chooses among candidates");
        }
        return toBuilder(newName).optStudentReward(value).build();
    }

    /**
     * A builder holding this strategy's variant (full method or ablation), gradient-hint sizes, best-of-k rows and
     * components, under a new name: the one route by which a variant gets issue 17's components
     * ({@link SymbiosisComponents#combination} starts every combination here).
     *
     * @param newName the new strategy's name (a run folder)
     */
    public Builder toBuilder(String newName) {
        Builder b = new Builder(newName, variant).hints(hintPositions, hintCandidates);
        b.bestOfK = bestOfK;
        b.teachableGap = teachableGap;
        b.maskedContext = maskedContext;
        b.generatorReset = generatorReset;
        b.generatorLearningRateScale = generatorLearningRateScale;
        b.reward = reward;
        return b;
    }

    private static SymbiosisStrategy variant(String name, Variant variant) {
        return new Builder(name, variant).build();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The variant and, for gradient hints, their sizes; with Student-rewarded teaching also
     * {@link StudentReward#settings()}, with best-of-k rows {@code bestOfK} and {@code bestOfKChoice}; and each of
     * issue 17's other components that is on ({@code teachableGap}, {@code maskedContext}, {@code generatorReset}:
     * {@code true}; {@code generatorLearningRateScale} when not 1), so that the settings of the strategies without
     * them are what they were before the components existed.
     */
    @Override
    public SortedMap<String, Object> settings() {
        SortedMap<String, Object> base = Describable.settingsOf("variant", variant.name(), "hintPositions",
                hintPositions, "hintCandidates", hintCandidates);
        if (reward == null && bestOfK == 0 && !teachableGap && !maskedContext && !generatorReset
                && generatorLearningRateScale == 1.0) {
            return base; // the settings of the arms as they were before issue 17's components
        }
        java.util.TreeMap<String, Object> out = new java.util.TreeMap<>(base);
        if (reward != null) {
            out.putAll(reward.settings());
        }
        if (bestOfK > 0) {
            out.put("bestOfK", bestOfK);
            out.put("bestOfKChoice", BestOfK.GENERATOR_LIKELIHOOD);
        }
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
        if (reward != null) {
            return prepareWithChosen(ctx);
        }
        double share = lastTeachingPrompts.isEmpty() ? 0 : ctx.config().teachingShare();
        IterationContext.PromptSource source = stepASource(ctx, share);
        IterationContext.Synthesized s = bestOfK > 0
                ? ctx.synthesize(ctx.generator(), source, ctx.config().tokenBudget(), 1.0, "step-a generate", bestOfK,
                        BestOfK.byLikelihood(ctx.generator()))
                : ctx.synthesize(ctx.generator(), source, ctx.config().tokenBudget(), 1.0, "step-a generate");
        return new IterationData(s.texts(), s.samples(), false);
    }

    /**
     * Step A's prompts: of each round's {@code count}, {@code round(count * share)} drawn (seeded, with
     * replacement) from the last teaching prompts, the rest topic prompts.
     */
    private IterationContext.PromptSource stepASource(IterationContext ctx, double share) {
        IterationContext.PromptSource topics = ctx.topicPrompts("step-a");
        List<Prompt> teaching = lastTeachingPrompts;
        return (round, count) -> {
            int nTeach = (int) Math.round(count * share);
            List<Prompt> out = new ArrayList<>(count);
            SplittableRandom rnd = new SplittableRandom(ctx.seed("step-a/teaching#" + round));
            for (int i = 0; i < nTeach; i++) {
                out.add(teaching.get(rnd.nextInt(teaching.size())));
            }
            out.addAll(topics.prompts(round, count - nTeach));
            return out;
        };
    }

    /**
     * Step A of Student-rewarded teaching: the teaching share of the budget holds each continuation Step D kept
     * once (seeded order, the last one cut to fit), what is left of the share is sampled from the last teaching
     * prompts as usual, and the rest of the budget from topic prompts.
     */
    private IterationData prepareWithChosen(IterationContext ctx) {
        int budget = ctx.config().tokenBudget();
        int shareTokens = lastTeachingPrompts.isEmpty() ? 0 : (int) Math.round(budget * ctx.config().teachingShare());
        List<TrainingText> texts = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        long chosenTokens = 0;
        if (!lastChosen.isEmpty() && shareTokens >= 1) {
            List<Sample> order = new ArrayList<>(lastChosen);
            Collections.shuffle(order, new Random(ctx.seed("step-a/chosen-teaching")));
            TokenBudget b = new TokenBudget(shareTokens, ctx.student()::countTokens);
            for (Sample s : order) {
                TrainingText t = IterationContext.toTrainingText(s, 1.0);
                if (b.isFull()) {
                    break;
                }
                if (t != null && b.offer(t)) {
                    samples.add(s);
                }
            }
            texts.addAll(b.texts());
            chosenTokens = b.tokens();
        }
        long rest = Math.max(1, budget - chosenTokens);
        double share = Math.max(0, shareTokens - chosenTokens) / (double) rest;
        IterationContext.Synthesized s = ctx.synthesize(ctx.generator(), stepASource(ctx, Math.min(1.0, share)),
                (int) rest, 1.0, "step-a generate");
        texts.addAll(s.texts());
        samples.addAll(s.samples());
        return new IterationData(texts, samples, false);
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
        if (reward != null) {
            rewardedTeaching(ctx, data, feedback, teaching);
            return;
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

    /**
     * Step D of Student-rewarded teaching: candidates, the Student's scores, the kept continuations and the
     * Generator's update (see the class comment).
     */
    private void rewardedTeaching(IterationContext ctx, IterationData data, Feedback feedback, List<Prompt> teaching) {
        lastChosen = List.of();
        if (teaching.isEmpty()) {
            return;
        }
        if (!(ctx.student() instanceof ParameterGradients gradients)) {
            throw new IllegalStateException("strategy " + name + " scores candidates by the Student's parameter "
                    + "gradients: the Student must implement ParameterGradients; " + ctx.student().getClass()
                    .getName() + " does not");
        }
        LanguageModel g = ctx.generator();
        boolean dpo = evolvesGenerator() && reward.update() == StudentReward.GeneratorUpdate.DPO;
        if (dpo && !(g instanceof PreferenceTraining)) {
            throw new IllegalStateException("strategy " + name + " trains the Generator with DPO: the Generator must "
                    + "implement PreferenceTraining; " + g.getClass().getName() + " does not");
        }
        int k = reward.candidates();
        List<List<Sample>> candidates = ctx.generateCandidates(g, teaching, k, STEP_D_TEACH);
        double[][] scores = studentScores(ctx, gradients, feedback, teaching, candidates);
        List<Sample> chosen = new ArrayList<>();
        List<PromptCompletion> best = new ArrayList<>();
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < teaching.size(); i++) {
            int hi = -1;
            int lo = -1;
            for (int c = 0; c < k; c++) {
                double v = scores[i][c];
                if (Double.isNaN(v)) {
                    continue;
                }
                hi = hi < 0 || v > scores[i][hi] ? c : hi;
                lo = lo < 0 || v < scores[i][lo] ? c : lo;
            }
            if (hi < 0) {
                continue; // no usable candidate
            }
            Sample s = candidates.get(i).get(hi);
            chosen.add(new Sample(s.prompt(), s.completion(), s.newTokens(), s.provenance()
                    .with(REWARD_KEY, Double.toString(scores[i][hi]))
                    .with(CANDIDATE_KEY, Integer.toString(hi))));
            best.add(new PromptCompletion(s.prompt().text(), s.completion()));
            if (scores[i][hi] > scores[i][lo]) {
                pairs.add(new PreferencePair(s.prompt().text(), s.completion(),
                        candidates.get(i).get(lo).completion()));
            }
        }
        lastChosen = List.copyOf(chosen);
        if (!evolvesGenerator()) {
            return;
        }
        ctx.step("step-d fine-tune generator").progress(0, 1);
        TrainingReport report = dpo
                ? pairs.isEmpty() ? TrainingReport.empty()
                        : ((PreferenceTraining) g).fineTunePreferences(pairs, reward.beta())
                : generatorLearningRateScale == 1.0 ? g.fineTune(best)
                        : g.fineTune(best, generatorLearningRateScale);
        data.setGeneratorTraining(report);
        ctx.step("step-d fine-tune generator").progress(1, 1);
    }

    /**
     * The Student's score of every candidate ({@link ParameterGradients#gradientCosines} against the text of the
     * hard example the prompt teaches, one call per hard example), NaN for a candidate whose training text is empty
     * or shorter than two tokens.
     *
     * @throws IllegalStateException if a teaching prompt names no hard example of the feedback
     */
    private double[][] studentScores(IterationContext ctx, ParameterGradients gradients, Feedback feedback,
            List<Prompt> teaching, List<List<Sample>> candidates) {
        Map<String, String> targets = new LinkedHashMap<>();
        for (HardExample h : feedback.hardExamples()) {
            targets.putIfAbsent(h.document().id(), h.document().text());
        }
        Map<String, List<Integer>> promptsByExample = new LinkedHashMap<>();
        for (int i = 0; i < teaching.size(); i++) {
            String id = teaching.get(i).provenance().attributes().get(ProvenanceKeys.HARD_EXAMPLE);
            if (id == null || !targets.containsKey(id)) {
                throw new IllegalStateException("teaching prompt " + i + " of iteration " + ctx.iteration()
                        + " names hard example '" + id + "', which the feedback does not hold");
            }
            promptsByExample.computeIfAbsent(id, x -> new ArrayList<>()).add(i);
        }
        int k = reward.candidates();
        double[][] scores = new double[teaching.size()][k];
        for (double[] row : scores) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        var progress = ctx.step("step-d score candidates");
        int done = 0;
        for (Map.Entry<String, List<Integer>> e : promptsByExample.entrySet()) {
            List<String> texts = new ArrayList<>();
            List<int[]> where = new ArrayList<>();
            for (int i : e.getValue()) {
                for (int c = 0; c < k; c++) {
                    TrainingText t = IterationContext.toTrainingText(candidates.get(i).get(c), 1.0);
                    if (t != null && ctx.student().countTokens(t.text()) >= 2) {
                        texts.add(t.text());
                        where.add(new int[] {i, c});
                    }
                }
            }
            String target = targets.get(e.getKey());
            // a target without a prediction has no loss to lower: its candidates stay unscored
            double[] cos = texts.isEmpty() || ctx.student().countTokens(target) < 2 ? new double[0]
                    : gradients.gradientCosines(target, texts);
            for (int j = 0; j < cos.length; j++) {
                scores[where.get(j)[0]][where.get(j)[1]] = cos[j];
            }
            progress.progress(++done, promptsByExample.size());
        }
        return scores;
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
        if (reward != null) {
            TextsFile.writeSamples(dir.resolve(CHOSEN_FILE), lastChosen);
        }
    }

    /** The state file of the continuations Step D kept (Student-rewarded teaching). */
    private static final String CHOSEN_FILE = "chosen-teaching.jsonl";

    @Override
    public void resetState() {
        lastTeachingPrompts = List.of();
        lastHardTexts = List.of();
        lastChosen = List.of();
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
        if (reward != null) {
            Path f = dir.resolve(CHOSEN_FILE);
            lastChosen = Files.exists(f) ? TextsFile.readSamples(f) : List.of();
        }
    }

    /**
     * Options of a {@link SymbiosisStrategy} built from issue 17's components on top of the full method. Every
     * component is off by default; with none on, the strategy runs exactly as {@link #create()} (under its own
     * name). Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final Variant variant;
        private int hintPositions;
        private int hintCandidates;
        private int bestOfK;
        private boolean teachableGap;
        private boolean maskedContext;
        private boolean generatorReset;
        private double generatorLearningRateScale = 1.0;
        private StudentReward reward;

        private Builder(String name, Variant variant) {
            this.variant = variant;
            java.util.Objects.requireNonNull(name, "name");
            if (!name.matches("[a-z0-9][a-z0-9-]*(\\+[a-z0-9][a-z0-9-]*)*")) {
                throw new IllegalArgumentException("a strategy name is lowercase letters, digits and dashes, parts "
                        + "joined by '+' (it names a folder), got '" + name + "'");
            }
            this.name = name;
        }

        private Builder hints(int positions, int candidates) {
            this.hintPositions = positions;
            this.hintCandidates = candidates;
            return this;
        }

        private Builder bestOfK(int k) {
            this.bestOfK = k;
            return this;
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

        /**
         * Student-rewarded teaching in Step D ({@link StudentReward}: ReST or DPO, k candidates per teaching prompt),
         * or null for none. Default none.
         */
        public Builder optStudentReward(StudentReward value) {
            this.reward = value;
            return this;
        }

        /**
         * The strategy.
         *
         * @throws IllegalArgumentException naming the strategy, for a component its variant cannot have
         *     (Student-rewarded teaching or masked context without teaching prompts, teachable-gap mining without
         *     ranked pool windows, a Generator reset or learning-rate scale without Step D, a reward with best-of-k
         *     rows) and for combinations not composed yet: masked-context teaching with Student-rewarded teaching
         *     (the kept continuations would enter the budget without their context's tokens), and DPO with a
         *     Generator learning-rate scale (DPO trains at the configured rate)
         */
        public SymbiosisStrategy build() {
            boolean realToStudent = variant == Variant.HARD_TO_STUDENT || variant == Variant.RANDOM_REAL_TO_STUDENT;
            boolean stepD = variant != Variant.FROZEN_GENERATOR && !realToStudent;
            if (reward != null && realToStudent) {
                throw new IllegalArgumentException(name + ": the " + variantName() + " variant makes no teaching "
                        + "prompts: Student-rewarded teaching does not apply");
            }
            if (reward != null && bestOfK > 0) {
                throw new IllegalArgumentException(name + ": best-of-k rows already choose among candidates");
            }
            if (teachableGap && (variant == Variant.RANDOM_POOL || variant == Variant.RANDOM_REAL_TO_STUDENT)) {
                throw new IllegalArgumentException(name + ": the " + variantName() + " variant does not rank pool "
                        + "windows: teachable-gap mining does not apply");
            }
            if (maskedContext && (realToStudent || variant == Variant.NO_SALIENCY)) {
                throw new IllegalArgumentException(name + ": the " + variantName() + " variant makes no teaching "
                        + "prompts cut at a salient span: masked-context teaching does not apply");
            }
            if ((generatorReset || generatorLearningRateScale != 1.0) && !stepD) {
                throw new IllegalArgumentException(name + ": the " + variantName() + " variant never fine-tunes the "
                        + "Generator: a Generator reset or learning-rate scale does not apply");
            }
            if (reward != null && maskedContext) {
                throw new IllegalArgumentException(name + ": masked-context teaching and Student-rewarded teaching "
                        + "are not composed yet");
            }
            if (reward != null && reward.update() == StudentReward.GeneratorUpdate.DPO
                    && generatorLearningRateScale != 1.0) {
                throw new IllegalArgumentException(name + ": DPO trains the Generator at its configured learning "
                        + "rate; a learning-rate scale does not apply");
            }
            return new SymbiosisStrategy(this);
        }

        private String variantName() {
            return variant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
