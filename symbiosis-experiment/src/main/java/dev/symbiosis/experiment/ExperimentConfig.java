package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.curriculum.TemplateCurriculum;
import dev.symbiosis.core.dedup.MinHash;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.loop.LoopConfig;
import dev.symbiosis.core.model.SamplingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Everything an experiment run is made of, as one JSON document: the loop's sizes, the strategies, the models and
 * the data (null paths mean the embedded default), the evaluation and measurement sizes, the trainers, the
 * feedback miner and the curriculum. Every setting that can change a record is a field, so the run folder's
 * {@code run-config.json} describes the run completely and a resumed run notices any change.
 *
 * <p>A configuration file ({@link #read(Path)}) may leave out any key: a key left out takes the value of the
 * {@code default} preset ({@link #preset(String)}), inside objects too (an object given in part keeps the defaults
 * of the keys it leaves out), and {@code preset} defaults to the file's name without its extension. Relative model
 * and data paths are resolved against the folder of the configuration file, not the working directory. Unknown
 * keys and impossible values are refused with a one-line error naming the file, the key and what to give instead.
 * docs/configuration.md lists every key with its default.
 * One field, {@code parallelism}, only says how many units run at once: it never changes a record and is not
 * part of the run folder's fingerprint.
 *
 * @param preset name of the preset this configuration came from (informational; names the default output folder)
 * @param iterations T
 * @param seed master seed: the first run seed, and the seed of the evaluation sample (held-out documents and
 *     multiple-choice items), which every run seed shares so that seeds are paired on the same items
 * @param seeds number of run seeds {@code seed, seed + 1, ..., seed + seeds - 1}; every strategy runs once per run
 *     seed, and within a seed every strategy starts from the same Generator 0 / Student 0 checkpoints with the same
 *     seeded data order, sampling and LoRA initialisation, so strategies are compared in pairs. With more than one
 *     seed each run seed has its own run folder ({@code seed-<s>/}) and the statistics aggregate over them
 * @param tokenBudget Student training tokens per iteration for every strategy
 * @param generationBatch prompts per generation call
 * @param sampling sampler of Steps A and D (seed derived per step)
 * @param poolSample pool windows mined per iteration
 * @param hardExamples hard examples kept per iteration (the miner's top-k)
 * @param teachingShare share of Step A prompts re-using last iteration's teaching prompts
 * @param patience early-stopping patience (0: off)
 * @param minDelta early-stopping minimum improvement
 * @param strategies strategy names, run in this order; each must be known to the runner's
 *     {@link StrategyRegistry} (the standard one knows the method, its ablations and the baselines)
 * @param models checkpoint folders
 * @param data corpora and tasks
 * @param evalItemsPerTask multiple-choice items per task (seeded sample; 0 = all)
 * @param heldOutDocsPerDomain held-out documents per domain for bits per byte
 * @param measureSample texts measured per iteration (seeded sample, equal for every strategy)
 * @param semanticMetrics whether to compute the sentence-embedding metrics (MiniLM)
 * @param student the Student's trainer
 * @param generator the Generator's trainer (Step D)
 * @param prompting the curriculum: how the Generator is prompted and whether near-duplicate synthetic samples are
 *     dropped
 * @param accumulateSample real seed documents drawn (seeded by the master seed) for {@code recursive-accumulate}
 * @param measureReferenceTexts held-out fidelity texts the syntactic and semantic figures compare against
 * @param evaluator the held-out evaluator's sizes
 * @param miner Step C's options (the top-k is {@code hardExamples})
 * @param parallelism (strategy, run seed) units run at once, each on its own thread with one PyTorch intra-op
 *     thread; 0 = one per available processor (default). The only field that never changes a record: it is left
 *     out of the run folder's fingerprint, so a run may resume with another
 */
public record ExperimentConfig(
        String preset,
        int iterations,
        long seed,
        int seeds,
        int tokenBudget,
        int generationBatch,
        Sampling sampling,
        int poolSample,
        int hardExamples,
        double teachingShare,
        int patience,
        double minDelta,
        List<String> strategies,
        Models models,
        Data data,
        int evalItemsPerTask,
        int heldOutDocsPerDomain,
        int measureSample,
        boolean semanticMetrics,
        Trainer student,
        Trainer generator,
        Prompting prompting,
        int accumulateSample,
        int measureReferenceTexts,
        Evaluator evaluator,
        Miner miner,
        int parallelism) {

    /** Copies the strategy list. */
    public ExperimentConfig {
        if (strategies != null && strategies.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("strategies: a name is null (strategies " + strategies + ")");
        }
        strategies = strategies == null ? null : List.copyOf(strategies);
    }

    /** Sampler settings. */
    public record Sampling(double temperature, int topK, double topP, double repetitionPenalty, int maxNewTokens) {
        SamplingConfig toConfig() {
            return new SamplingConfig(temperature, topK, topP, repetitionPenalty, maxNewTokens, 0L);
        }
    }

    /** Checkpoint folders; {@code null} means the embedded model. */
    public record Models(@Nullable String generator, @Nullable String student, @Nullable String reference) {

        /** The embedded models. */
        public static final Models EMBEDDED = new Models(null, null, null);
    }

    /**
     * Data files (JSONL with a "text" field, or .txt); {@code null} means the embedded split. {@code tasks} is a
     * folder of task JSONL files.
     */
    public record Data(@Nullable String seed, @Nullable String pool, @Nullable String stream,
            @Nullable String fidelity, @Nullable String evalText, @Nullable String tasks) {

        /** The embedded data. */
        public static final Data EMBEDDED = new Data(null, null, null, null, null, null);
    }

    /**
     * A model's fine-tuning settings.
     *
     * @param learningRate peak learning rate
     * @param batchSize sequences per step
     * @param epochs passes over each iteration's data
     * @param loraRank LoRA rank; 0 = full fine-tuning
     * @param loraAlpha LoRA alpha
     * @param contextLength longest window in tokens for training, scoring and generation; 0 = the checkpoint's
     *     context (cap it for long-context checkpoints, e.g. 2048 for Llama 3)
     * @param generationRows prompts decoded together; 0 = the engine's default ({@code maxBatchTokens / context})
     * @param maxBatchTokens rows times padded length per forward pass; 0 = the engine's default (4096)
     * @param warmupSteps linear learning-rate warm-up steps (default 2)
     * @param weightDecay AdamW weight decay (default 0.01)
     * @param gradientClip global gradient-norm clip; 0 = none (default 1.0)
     * @param loraDropout dropout on the LoRA path (default 0.0)
     */
    public record Trainer(double learningRate, int batchSize, int epochs, int loraRank, double loraAlpha,
            int contextLength, int generationRows, int maxBatchTokens, int warmupSteps, double weightDecay,
            double gradientClip, double loraDropout) {

        /** Default warm-up steps. */
        public static final int DEFAULT_WARMUP_STEPS = 2;
        /** Default weight decay. */
        public static final double DEFAULT_WEIGHT_DECAY = 0.01;
        /** Default gradient clip. */
        public static final double DEFAULT_GRADIENT_CLIP = 1.0;

        /** Settings with the engine's defaults for context, rows and batch tokens and the default optimiser. */
        public Trainer(double learningRate, int batchSize, int epochs, int loraRank, double loraAlpha) {
            this(learningRate, batchSize, epochs, loraRank, loraAlpha, 0, 0, 0);
        }

        /** Settings with the default optimiser (warm-up, weight decay, clip) and no LoRA dropout. */
        public Trainer(double learningRate, int batchSize, int epochs, int loraRank, double loraAlpha,
                int contextLength, int generationRows, int maxBatchTokens) {
            this(learningRate, batchSize, epochs, loraRank, loraAlpha, contextLength, generationRows, maxBatchTokens,
                    DEFAULT_WARMUP_STEPS, DEFAULT_WEIGHT_DECAY, DEFAULT_GRADIENT_CLIP, 0.0);
        }
    }

    /**
     * How the Generator is prompted: the {@link TemplateCurriculum}'s options.
     *
     * @param style {@code "prefix"}: sentence openings, for base models such as the embedded ones; {@code
     *     "instruction"}: the proposal's instruction templates, for instruction-tuned Generators (the engine wraps
     *     them in the model's chat format)
     * @param nearDuplicateThreshold MinHash Jaccard similarity at or above which a synthetic sample is dropped as a
     *     near duplicate of one accepted before; null = no near-duplicate control
     * @param topics Step A topics; null = {@link TemplateCurriculum#DEFAULT_TOPICS}, unless {@code topicsFromSeed}
     *     is given (then null: the topics are derived when the run starts)
     * @param topicTemplates Step A templates with {@code {topic}}; null = the style's default
     * @param teachingTemplate Step D template of instruction style with {@code {text}}; null = the proposal's
     * @param contextChars characters of context before the salient span in a teaching prompt (default 160)
     * @param promptsPerExample teaching prompts per hard example (default 1)
     * @param shingleWords words per shingle of the near-duplicate control (default 3)
     * @param minHashes MinHash functions of the near-duplicate control (default 128)
     * @param topicsFromSeed derive the Step A topics from the seed split ({@link SeedTopics}) instead of listing
     *     them; null (default) = the {@code topics} list. Exclusive with {@code topics}
     */
    public record Prompting(String style, @Nullable Double nearDuplicateThreshold, @Nullable List<String> topics,
            @Nullable List<String> topicTemplates, @Nullable String teachingTemplate, int contextChars,
            int promptsPerExample, int shingleWords, int minHashes, @Nullable TopicsFromSeed topicsFromSeed) {

        /**
         * Fills the defaults of null lists and templates (so the stored configuration names them).
         *
         * @throws IllegalArgumentException if both {@code topics} and {@code topicsFromSeed} are given
         */
        public Prompting {
            if (topics != null && topicsFromSeed != null) {
                throw new IllegalArgumentException("prompting: give either 'topics' (a list) or 'topicsFromSeed'"
                        + " (derived from the seed split), not both");
            }
            topics = topics == null ? topicsFromSeed == null ? TemplateCurriculum.DEFAULT_TOPICS : null
                    : List.copyOf(topics);
            topicTemplates = topicTemplates == null
                    ? "instruction".equals(style) ? List.of(TemplateCurriculum.PROPOSAL_TOPIC_TEMPLATE)
                            : TemplateCurriculum.DEFAULT_PREFIX_TEMPLATES
                    : List.copyOf(topicTemplates);
            teachingTemplate = teachingTemplate == null ? TemplateCurriculum.PROPOSAL_TEACHING_TEMPLATE
                    : teachingTemplate;
        }

        /** Curriculum options with listed topics (null: the default ones). */
        public Prompting(String style, @Nullable Double nearDuplicateThreshold, @Nullable List<String> topics,
                @Nullable List<String> topicTemplates, @Nullable String teachingTemplate, int contextChars,
                int promptsPerExample, int shingleWords, int minHashes) {
            this(style, nearDuplicateThreshold, topics, topicTemplates, teachingTemplate, contextChars,
                    promptsPerExample, shingleWords, minHashes, null);
        }

        /** A style with the default curriculum options. */
        public Prompting(String style, @Nullable Double nearDuplicateThreshold) {
            this(style, nearDuplicateThreshold, null, null, null, 160, 1, MinHash.DEFAULT_SHINGLE_WORDS,
                    MinHash.DEFAULT_HASHES);
        }

        /** A copy whose Step A topics are derived from the seed split. */
        public Prompting withTopicsFromSeed(TopicsFromSeed value) {
            return new Prompting(style, nearDuplicateThreshold, null, topicTemplates, teachingTemplate, contextChars,
                    promptsPerExample, shingleWords, minHashes, Objects.requireNonNull(value, "topicsFromSeed"));
        }

        /** The embedded default: sentence openings, no near-duplicate control. */
        public static final Prompting PREFIX = new Prompting("prefix", null);
    }

    /**
     * How Step A topics are derived from the seed split ({@link SeedTopics}: the common nouns found in the most
     * documents of each domain).
     *
     * @param perDomain topics each domain contributes (default {@value SeedTopics#DEFAULT_PER_DOMAIN})
     * @param maxCharsPerDomain characters of each domain's seed documents read, in file order (default
     *     {@value SeedTopics#DEFAULT_MAX_CHARS_PER_DOMAIN})
     * @param minLetters shortest topic in letters (default {@value SeedTopics#DEFAULT_MIN_LETTERS})
     * @param exclude words never taken (default none)
     */
    public record TopicsFromSeed(int perDomain, int maxCharsPerDomain, int minLetters, List<String> exclude) {

        /** The defaults. */
        public static final TopicsFromSeed DEFAULTS = new TopicsFromSeed(SeedTopics.DEFAULT_PER_DOMAIN,
                SeedTopics.DEFAULT_MAX_CHARS_PER_DOMAIN, SeedTopics.DEFAULT_MIN_LETTERS, List.of());

        /** Copies the exclusions (null = none). */
        public TopicsFromSeed {
            if (exclude != null && exclude.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("prompting.topicsFromSeed.exclude: a word is null");
            }
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
        }

        /** The deriver with these options. */
        public SeedTopics deriver() {
            return SeedTopics.builder().optPerDomain(perDomain).optMaxCharsPerDomain(maxCharsPerDomain)
                    .optMinLetters(minLetters).optExclude(exclude).build();
        }
    }

    /**
     * The held-out evaluator's sizes.
     *
     * @param batchSize texts per scoring or generation call (default 16)
     * @param generativeItemsPerTask items of every embedded generative task (default 24; 0 = all)
     * @param generativeMaxNewTokens new tokens per generative completion (default 8)
     * @param multipleChoice whether the multiple-choice tasks of {@code data.tasks} are evaluated (default true;
     *     false: no {@code mc.*} figures and no headline tasks)
     * @param generative whether the embedded generative tasks are evaluated (default true; false: no
     *     {@code gen.*} figures)
     * @param skipTasks tasks left out of either family: a task name, or a prefix ending in {@code *} (e.g.
     *     {@code "minimal-pairs-*"}); each must match a task; default none
     * @param minimalPairsPerKind items of every {@code minimal-pairs-<kind>} task (a seeded sample, as
     *     {@code evalItemsPerTask} is for the other tasks); 0 = every pair
     * @param tasksEvery the task families (multiple-choice and generative) are evaluated at the iterations that are
     *     multiples of this, and at the last; held-out bits per byte at every iteration (default 1: every iteration;
     *     the default preset: 5, i.e. Student 0 and the last iteration, where the tests are: the tasks are most of
     *     the evaluation's cost)
     */
    public record Evaluator(int batchSize, int generativeItemsPerTask, int generativeMaxNewTokens,
            boolean multipleChoice, boolean generative, List<String> skipTasks, int minimalPairsPerKind,
            int tasksEvery) {

        /** The defaults. */
        public static final Evaluator DEFAULTS = new Evaluator(16, HeldOutEvaluator.GENERATIVE_ITEMS_PER_TASK,
                HeldOutEvaluator.GENERATIVE_MAX_NEW_TOKENS);

        /** Prefix of the tasks {@link #minimalPairsPerKind()} sizes. */
        public static final String MINIMAL_PAIRS_PREFIX = "minimal-pairs-";

        /** Copies the skipped tasks (null = none). */
        public Evaluator {
            if (skipTasks != null && skipTasks.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("evaluator.skipTasks: a task name is null");
            }
            skipTasks = skipTasks == null ? List.of() : List.copyOf(skipTasks);
        }

        /** Sizes with both task families on, no task skipped and every minimal pair. */
        public Evaluator(int batchSize, int generativeItemsPerTask, int generativeMaxNewTokens) {
            this(batchSize, generativeItemsPerTask, generativeMaxNewTokens, true, true, List.of(), 0, 1);
        }

        /** Every minimal pair (the form before {@code minimalPairsPerKind} existed). */
        public Evaluator(int batchSize, int generativeItemsPerTask, int generativeMaxNewTokens,
                boolean multipleChoice, boolean generative, List<String> skipTasks) {
            this(batchSize, generativeItemsPerTask, generativeMaxNewTokens, multipleChoice, generative, skipTasks, 0,
                    1);
        }

        /** The tasks at every iteration (the form before {@code tasksEvery} existed). */
        public Evaluator(int batchSize, int generativeItemsPerTask, int generativeMaxNewTokens,
                boolean multipleChoice, boolean generative, List<String> skipTasks, int minimalPairsPerKind) {
            this(batchSize, generativeItemsPerTask, generativeMaxNewTokens, multipleChoice, generative, skipTasks,
                    minimalPairsPerKind, 1);
        }

        /** The same sizes with {@code n} minimal pairs per kind. */
        public Evaluator withMinimalPairsPerKind(int n) {
            return new Evaluator(batchSize, generativeItemsPerTask, generativeMaxNewTokens, multipleChoice,
                    generative, skipTasks, n, tasksEvery);
        }

        /** The same sizes with the tasks evaluated every {@code k} iterations and at the last. */
        public Evaluator withTasksEvery(int k) {
            return new Evaluator(batchSize, generativeItemsPerTask, generativeMaxNewTokens, multipleChoice,
                    generative, skipTasks, minimalPairsPerKind, k);
        }

        /** Whether {@code task} is left out by {@link #skipTasks()}. */
        public boolean skips(String task) {
            return skipTasks.stream().anyMatch(p -> matches(p, task));
        }

        /** Whether a {@link #skipTasks()} entry matches a task name (exactly, or as a prefix ending in '*'). */
        public static boolean matches(String pattern, String task) {
            return pattern.endsWith("*") ? task.startsWith(pattern.substring(0, pattern.length() - 1))
                    : pattern.equals(task);
        }
    }

    /**
     * Step C's options ({@link UncertaintyFeedbackMiner}); the number of hard examples is {@code hardExamples}.
     *
     * @param signal {@code "ENTROPY"} (default) or {@code "LOW_LOG_LIKELIHOOD"}
     * @param fraction keep this share of the windows instead of {@code hardExamples}; 0 = top-k (default)
     * @param saliency gradient saliency and salient spans (default true)
     * @param spanTokens width of a salient span in tokens (default 8)
     * @param spansPerExample salient spans per hard example (default 2)
     * @param windowChars window length for long pool documents; 0 = whole documents (default 480)
     * @param batchSize texts per scoring or saliency call (default 16)
     * @param gradientHintPositions HotFlip hint tokens per hard example; 0 = none (default; the
     *     {@code symbiosis-hotflip-hints} ablation sets its own)
     * @param gradientHintCandidates substitutions per hint token (default 0, with no hints)
     */
    public record Miner(String signal, double fraction, boolean saliency, int spanTokens, int spansPerExample,
            int windowChars, int batchSize, int gradientHintPositions, int gradientHintCandidates) {

        /** The defaults. */
        public static final Miner DEFAULTS = new Miner("ENTROPY", 0, true, 8, 2, 480, 16, 0, 0);
    }

    /**
     * The Curriculum of {@link #prompting()}.
     *
     * @throws IllegalStateException if the topics are derived from the seed split ({@code
     *     prompting.topicsFromSeed}): use {@link #curriculum(List)} with the derived topics
     */
    public TemplateCurriculum curriculum() {
        if (prompting.topics() == null) {
            throw new IllegalStateException("prompting.topicsFromSeed: the Step A topics are derived from the seed"
                    + " split when the run starts; build the curriculum with curriculum(topics)");
        }
        return curriculum(prompting.topics());
    }

    /** The Curriculum of {@link #prompting()} with these Step A topics (e.g. derived from the seed split). */
    public TemplateCurriculum curriculum(List<String> topics) {
        return curriculumBuilder().optTopics(topics).build();
    }

    private TemplateCurriculum.Builder curriculumBuilder() {
        TemplateCurriculum.Builder b = TemplateCurriculum.builder()
                .optStyle(prompting.style().equals("instruction") ? TemplateCurriculum.Style.INSTRUCTION
                        : TemplateCurriculum.Style.PREFIX)
                .optTopicTemplates(prompting.topicTemplates())
                .optTeachingTemplate(prompting.teachingTemplate())
                .optContextChars(prompting.contextChars())
                .optPromptsPerExample(prompting.promptsPerExample())
                .optShingleWords(prompting.shingleWords())
                .optMinHashes(prompting.minHashes());
        if (prompting.nearDuplicateThreshold() != null) {
            b.optNearDuplicateThreshold(prompting.nearDuplicateThreshold());
        }
        return b;
    }

    /** The feedback miner of {@link #miner()} and {@link #hardExamples()}. */
    public UncertaintyFeedbackMiner feedbackMiner() {
        UncertaintyFeedbackMiner.Builder b = UncertaintyFeedbackMiner.builder()
                .optSignal(UncertaintyFeedbackMiner.Signal.valueOf(miner.signal()))
                .optTopK(hardExamples)
                .optSaliency(miner.saliency())
                .optSpanTokens(miner.spanTokens())
                .optSpansPerExample(miner.spansPerExample())
                .optWindowChars(miner.windowChars())
                .optBatchSize(miner.batchSize());
        if (miner.fraction() > 0) {
            b.optFraction(miner.fraction());
        }
        if (miner.gradientHintPositions() > 0) {
            b.optGradientHints(miner.gradientHintPositions(), miner.gradientHintCandidates());
        }
        return b.build();
    }

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** The loop's part of the configuration, for the first run seed. */
    public LoopConfig loopConfig() {
        return loopConfig(seed);
    }

    /** The loop's part of the configuration for one run seed. */
    public LoopConfig loopConfig(long runSeed) {
        return new LoopConfig(iterations, tokenBudget, generationBatch, sampling.toConfig(), poolSample,
                teachingShare, patience, minDelta, runSeed);
    }

    /** The run seeds: {@code seed, seed + 1, ..., seed + seeds - 1}. */
    public List<Long> runSeeds() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            out.add(seed + i);
        }
        return List.copyOf(out);
    }

    /** A copy with {@code n} run seeds (the {@code --seeds} flag). */
    public ExperimentConfig withSeeds(int n) {
        return toBuilder().optSeeds(n).build();
    }

    /** A copy that runs these strategies, in this order. */
    public ExperimentConfig withStrategies(List<String> names) {
        return toBuilder().optStrategies(names).build();
    }

    /** A builder holding this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from a preset ({@link #preset(String)}). */
    public static Builder builder(String preset) {
        return new Builder(preset(preset));
    }

    /**
     * Reads and validates a configuration file (see the class comment: keys left out take the {@code default}
     * preset's values, relative paths resolve against the file's folder).
     *
     * @throws IOException with a one-line message naming the file, the key and the fix: unreadable or malformed
     *     JSON, an unknown key, a value of the wrong type, an impossible value
     */
    public static ExperimentConfig read(Path file) throws IOException {
        ExperimentConfig c;
        try {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException(file + ": no such configuration file (experiment --print-config prints one to"
                        + " start from)", e);
            }
            JsonNode tree = STRICT.readTree(bytes);
            if (!(tree instanceof ObjectNode o)) {
                throw new IOException(file + ": a configuration is one JSON object ({\"iterations\": 3, ...}), got "
                        + (tree == null || tree.isMissingNode() ? "an empty file" : "a " + tree.getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT)));
            }
            checkKeys(file, o, ExperimentConfig.class, "");
            ObjectNode defaults = (ObjectNode) STRICT.readTree(preset("default").toJson());
            refuseNullObjects(file, o, defaults, "");
            if (!o.has("preset")) {
                o.put("preset", presetName(file));
            }
            fillDefaults(o, defaults, "");
            c = STRICT.treeToValue(o, ExperimentConfig.class);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            // a record's constructor refused the value: its message names the field
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(file + ": " + oneLine(cause.getMessage()), e);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new IOException(file + ": " + path(e) + " must be " + expected(e.getTargetType()) + oneLine(
                    e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f
                            ? ", got " + STRICT.valueToTree(f.getValue()) : " (" + e.getOriginalMessage() + ")"), e);
        } catch (JsonMappingException e) {
            throw new IOException(file + ": invalid value at " + path(e) + ": " + oneLine(e.getOriginalMessage()), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + oneLine(e.getOriginalMessage()), e);
        } catch (java.io.CharConversionException e) {
            // Jackson guesses the encoding from the first bytes; binary input can look like UTF-32 it cannot read
            throw new IOException(file + ": not a JSON text in UTF-8 (" + oneLine(e.getMessage()) + ")", e);
        }
        try {
            c = c.resolvePaths(file.toAbsolutePath().getParent());
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + oneLine(e.getMessage()), e);
        }
        return c;
    }

    /**
     * The configuration a run folder was run with: the {@code experiment} object of its {@code run-config.json}
     * (one run seed's folder: with several seeds, {@code OUT/seed-<s>/}).
     *
     * @throws IOException naming the file if the folder has no run-config.json or it holds no valid configuration
     */
    public static ExperimentConfig ofRun(Path runFolder) throws IOException {
        Path file = runFolder.resolve(RunFingerprint.FILE);
        if (!Files.exists(file)) {
            throw new IOException(file + ": no such file (a run folder holds run-config.json; with several seeds"
                    + " give OUT/seed-<s>)");
        }
        try {
            JsonNode experiment = STRICT.readTree(Files.readAllBytes(file)).get("experiment");
            if (experiment == null || !experiment.isObject()) {
                throw new IOException(file + ": no 'experiment' object");
            }
            if (!experiment.has("parallelism")) {
                // the run folder records the settings that change records (recordSettings), never parallelism
                ((com.fasterxml.jackson.databind.node.ObjectNode) experiment).put("parallelism", 0);
            }
            return STRICT.treeToValue(experiment, ExperimentConfig.class).validate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(file + ": not a run configuration of this version: " + oneLine(e.getMessage()), e);
        }
    }

    /** What a value of {@code type} is called in an error message. */
    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return type.isRecord() ? "an object" : "a " + type.getSimpleName();
    }

    private static String oneLine(@Nullable String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The default preset name of a configuration file: its name without extensions, as a simple name. */
    static String presetName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.indexOf('.');
        name = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]", "-")
                .replaceAll("^[^A-Za-z0-9]+", "");
        return name.isEmpty() ? "config" : name;
    }

    /**
     * A copy whose relative model and data paths are resolved against {@code base} (absolute and normalised);
     * null paths (the embedded default) stay null.
     *
     * @throws IllegalArgumentException naming the field of a string that is not a path
     */
    public ExperimentConfig resolvePaths(Path base) {
        Models m = new Models(resolve(base, "models.generator", models.generator()),
                resolve(base, "models.student", models.student()),
                resolve(base, "models.reference", models.reference()));
        Data d = new Data(resolve(base, "data.seed", data.seed()), resolve(base, "data.pool", data.pool()),
                resolve(base, "data.stream", data.stream()), resolve(base, "data.fidelity", data.fidelity()),
                resolve(base, "data.evalText", data.evalText()), resolve(base, "data.tasks", data.tasks()));
        return toBuilder().optModels(m).optData(d).build();
    }

    private static @Nullable String resolve(Path base, String field, @Nullable String path) {
        if (path == null) {
            return null;
        }
        require(!path.isBlank(), field + " is blank: give a path, or null for the embedded default");
        try {
            return base.resolve(path).toAbsolutePath().normalize().toString();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(field + " is not a path (" + oneLine(e.getMessage()) + ")", e);
        }
    }

    /**
     * The configured model and data paths that do not exist, as {@code "field: path"} (empty when all exist or
     * every path is null).
     */
    public List<String> missingPaths() {
        List<String> out = new ArrayList<>();
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("models.generator", models.generator());
        paths.put("models.student", models.student());
        paths.put("models.reference", models.reference());
        paths.put("data.seed", data.seed());
        paths.put("data.pool", data.pool());
        paths.put("data.stream", data.stream());
        paths.put("data.fidelity", data.fidelity());
        paths.put("data.evalText", data.evalText());
        paths.put("data.tasks", data.tasks());
        paths.forEach((field, path) -> {
            if (path != null && !Files.exists(Path.of(path))) {
                out.add(field + ": " + path);
            }
        });
        return out;
    }

    /**
     * Refuses an explicit null where the configuration holds an object (e.g. {@code "sampling": null}): leaving the
     * key out takes its default, a null would otherwise reach the record half-built.
     */
    private static void refuseNullObjects(Path file, ObjectNode node, ObjectNode defaults, String path)
            throws IOException {
        for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode given = node.get(e.getKey());
            if (given != null && given.isNull() && e.getValue().isObject()) {
                throw new IOException(file + ": '" + p + "' is null; give an object, or leave the key out to take"
                        + " its default");
            }
            if (given instanceof ObjectNode g && e.getValue() instanceof ObjectNode d) {
                refuseNullObjects(file, g, d, p);
            }
        }
    }

    /** Objects that are null by default, and the values their fields take when the object is given in part. */
    private static final Map<String, Object> NULL_OBJECT_DEFAULTS = Map.of("prompting.topicsFromSeed",
            TopicsFromSeed.DEFAULTS);

    /** Copies the default of every key the file leaves out, into objects given in part too. */
    private static void fillDefaults(ObjectNode node, ObjectNode defaults, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode given = node.get(e.getKey());
            if (given == null) {
                // a template list left out follows the style given in the file, not the default preset's; topics
                // left out are the default ones unless they are derived from the seed split
                node.set(e.getKey(), p.equals("prompting.topicTemplates") || p.equals("prompting.topics")
                        ? node.nullNode() : e.getValue().deepCopy());
            } else if (given instanceof ObjectNode g && e.getValue() instanceof ObjectNode d) {
                fillDefaults(g, d, p);
            } else if (given instanceof ObjectNode g && e.getValue().isNull() && NULL_OBJECT_DEFAULTS.containsKey(p)) {
                fillDefaults(g, (ObjectNode) STRICT.valueToTree(NULL_OBJECT_DEFAULTS.get(p)), p);
            }
        }
    }

    /**
     * Refuses keys that are not components of the record (recursively into nested records), before binding, so
     * that a misspelt key is reported as such rather than as the missing key it was meant to be.
     */
    private static void checkKeys(Path file, JsonNode node, Class<?> type, String path) throws IOException {
        if (node == null || !node.isObject() || !type.isRecord()) {
            return;
        }
        Map<String, Class<?>> components = new LinkedHashMap<>();
        for (java.lang.reflect.RecordComponent rc : type.getRecordComponents()) {
            components.put(rc.getName(), rc.getType());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!components.containsKey(key)) {
                String near = closest(key, components.keySet());
                throw new IOException(file + ": unknown key '" + (path.isEmpty() ? "" : path + ".") + key
                        + "'" + (near == null ? "" : " (did you mean '" + near + "'?)") + "; known keys"
                        + (path.isEmpty() ? "" : " of '" + path + "'") + ": " + String.join(", ",
                        components.keySet()));
            }
            checkKeys(file, node.get(key), components.get(key), path.isEmpty() ? key : path + "." + key);
        }
    }

    /** The known key nearest to a misspelt one (at most a third of its letters edited), or null. */
    private static @Nullable String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Math.max(1, key.length() / 3) + 1;
        for (String k : known) {
            int d = editDistance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "the top level" : "'" + p + "'";
    }

    /** The configuration as JSON (stable key order, every field): what {@link #read} reads back. */
    public String toJson() {
        try {
            return STRICT.writeValueAsString(this) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configuration as a JSON tree (a fresh copy). */
    JsonNode toTree() {
        return STRICT.valueToTree(this);
    }

    /**
     * The settings that can change a record, as a JSON tree: {@link #toTree()} without {@code parallelism} (what a
     * run folder's fingerprint holds).
     */
    JsonNode recordSettings() {
        ObjectNode o = (ObjectNode) toTree();
        o.remove("parallelism");
        return o;
    }

    /** {@link #parallelism()} with 0 resolved: {@code Runtime.availableProcessors()}. */
    public int unitsAtOnce() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Checks every field; the message names the field. Strategy names are checked for their form only: whether
     * a name is known is the {@link StrategyRegistry}'s question.
     *
     * @return this configuration
     * @throws IllegalArgumentException naming the first invalid field
     */
    public ExperimentConfig validate() {
        // the preset names the default output folder runs/<preset>: it must not leave runs/
        require(preset != null && preset.matches("[A-Za-z0-9][A-Za-z0-9._-]*"), "preset must be a simple name "
                + "(letters, digits, '.', '_', '-'; it names the default output folder runs/<preset>), got "
                + (preset == null ? "null" : "'" + preset + "'"));
        require(sampling != null, "sampling must be given");
        loopConfig(); // the loop's own checks
        require(seeds >= 1 && seeds <= 1000, "seeds must be in [1, 1000], got " + seeds);
        require(hardExamples >= 1, "hardExamples must be >= 1, got " + hardExamples);
        require(hardExamples <= poolSample, "hardExamples (" + hardExamples + ") must be <= poolSample ("
                + poolSample + ")");
        require(strategies != null && !strategies.isEmpty(), "strategies must name at least one strategy");
        for (String s : strategies) {
            require(s != null && StrategyRegistry.isValidName(s), "strategies: '" + s + "' is not a strategy name"
                    + " (lowercase letters, digits and dashes; '+' joins a combination such as symbiosis+rest)");
        }
        require(strategies.stream().distinct().count() == strategies.size(), "strategies lists a name twice");
        require(models != null, "models must be given (null paths select the embedded models)");
        require(data != null, "data must be given (null paths select the embedded data)");
        require(evalItemsPerTask >= 0, "evalItemsPerTask must be >= 0, got " + evalItemsPerTask);
        require(heldOutDocsPerDomain >= 1, "heldOutDocsPerDomain must be >= 1, got " + heldOutDocsPerDomain);
        require(measureSample >= 2, "measureSample must be >= 2, got " + measureSample);
        require(accumulateSample >= 1, "accumulateSample must be >= 1, got " + accumulateSample);
        require(measureReferenceTexts >= 1, "measureReferenceTexts must be >= 1, got " + measureReferenceTexts);
        checkTrainer("student", student);
        checkTrainer("generator", generator);
        require(prompting != null,
                "prompting must be given (e.g. {\"style\": \"prefix\", \"nearDuplicateThreshold\": null})");
        require("prefix".equals(prompting.style()) || "instruction".equals(prompting.style()),
                "prompting.style must be \"prefix\" or \"instruction\", got " + prompting.style());
        Double nd = prompting.nearDuplicateThreshold();
        require(nd == null || (nd > 0 && nd <= 1),
                "prompting.nearDuplicateThreshold must be in (0, 1] or null, got " + nd);
        try {
            // derived topics are checked when derived; the builder's own default topics stand in meanwhile
            TemplateCurriculum.Builder b = curriculumBuilder();
            if (prompting.topics() != null) {
                b.optTopics(prompting.topics());
            }
            b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prompting: " + e.getMessage(), e);
        }
        TopicsFromSeed ts = prompting.topicsFromSeed();
        if (ts != null) {
            require(ts.perDomain() >= 1, "prompting.topicsFromSeed.perDomain must be >= 1, got " + ts.perDomain());
            require(ts.maxCharsPerDomain() >= 1, "prompting.topicsFromSeed.maxCharsPerDomain must be >= 1, got "
                    + ts.maxCharsPerDomain());
            require(ts.minLetters() >= 1, "prompting.topicsFromSeed.minLetters must be >= 1, got "
                    + ts.minLetters());
        }
        require(evaluator != null, "evaluator must be given");
        require(evaluator.batchSize() >= 1, "evaluator.batchSize must be >= 1, got " + evaluator.batchSize());
        require(evaluator.generativeItemsPerTask() >= 0, "evaluator.generativeItemsPerTask must be >= 0, got "
                + evaluator.generativeItemsPerTask());
        require(evaluator.minimalPairsPerKind() >= 0, "evaluator.minimalPairsPerKind must be >= 0 (0: every pair),"
                + " got " + evaluator.minimalPairsPerKind());
        require(evaluator.tasksEvery() >= 1, "evaluator.tasksEvery must be >= 1 (1: every iteration), got "
                + evaluator.tasksEvery());
        require(evaluator.generativeMaxNewTokens() >= 1, "evaluator.generativeMaxNewTokens must be >= 1, got "
                + evaluator.generativeMaxNewTokens());
        require(parallelism >= 0, "parallelism must be >= 0 (0: one unit per available processor), got "
                + parallelism);
        for (String p : evaluator.skipTasks()) {
            int star = p.indexOf('*');
            require(!p.isBlank() && (star < 0 || star == p.length() - 1) && !p.equals("*"), "evaluator.skipTasks: '"
                    + p + "' is not a task name or a prefix ending in '*' (to switch a whole family off, set"
                    + " evaluator.multipleChoice or evaluator.generative to false)");
        }
        require(miner != null, "miner must be given");
        require(miner.signal() != null && Set.of("ENTROPY", "LOW_LOG_LIKELIHOOD").contains(miner.signal()),
                "miner.signal must be \"ENTROPY\" or \"LOW_LOG_LIKELIHOOD\", got " + miner.signal());
        require(miner.fraction() >= 0 && miner.fraction() <= 1, "miner.fraction must be in [0, 1] (0: top-k), got "
                + miner.fraction());
        require((miner.gradientHintPositions() == 0) == (miner.gradientHintCandidates() == 0),
                "miner.gradientHintPositions and miner.gradientHintCandidates must both be 0 (no hints) or both >= 1");
        try {
            feedbackMiner();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("miner: " + e.getMessage(), e);
        }
        return this;
    }

    private static void checkTrainer(String name, Trainer t) {
        require(t != null, name + " trainer must be given");
        require(t.learningRate > 0 && t.learningRate < 1, name + ".learningRate must be in (0, 1), got "
                + t.learningRate);
        require(t.batchSize >= 1, name + ".batchSize must be >= 1, got " + t.batchSize);
        require(t.epochs >= 1, name + ".epochs must be >= 1, got " + t.epochs);
        require(t.loraRank >= 0, name + ".loraRank must be >= 0, got " + t.loraRank);
        require(t.loraAlpha > 0, name + ".loraAlpha must be > 0, got " + t.loraAlpha);
        require(t.contextLength == 0 || t.contextLength >= 2, name + ".contextLength must be 0 (the checkpoint's) or"
                + " >= 2, got " + t.contextLength);
        require(t.generationRows >= 0, name + ".generationRows must be >= 0, got " + t.generationRows);
        require(t.maxBatchTokens >= 0, name + ".maxBatchTokens must be >= 0, got " + t.maxBatchTokens);
        require(t.warmupSteps >= 0, name + ".warmupSteps must be >= 0, got " + t.warmupSteps);
        require(t.weightDecay >= 0 && t.weightDecay < 1, name + ".weightDecay must be in [0, 1), got "
                + t.weightDecay);
        require(t.gradientClip >= 0, name + ".gradientClip must be >= 0 (0: none), got " + t.gradientClip);
        require(t.loraDropout >= 0 && t.loraDropout < 1, name + ".loraDropout must be in [0, 1), got "
                + t.loraDropout);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The five strategies of the proposal's comparison. */
    public static final List<String> MAIN_STRATEGIES = List.of("symbiosis", "recursive-replace", "static-synthetic",
            "real-mixing", "real-upper-bound");

    /** Real seed documents of {@code recursive-accumulate} in every preset. */
    public static final int DEFAULT_ACCUMULATE_SAMPLE = 400;

    /** Pairs of every {@code minimal-pairs-<kind>} task the default preset evaluates (a seeded sample). */
    public static final int DEFAULT_MINIMAL_PAIRS_PER_KIND = 300;

    /** Held-out fidelity texts the measurement compares against in every preset. */
    public static final int DEFAULT_MEASURE_REFERENCE_TEXTS = 128;

    /**
     * A named preset: {@code smoke} (about a minute, for CI; one seed), {@code default} (the README's main job, at
     * most 20 minutes on 2 CPU cores; one seed) or {@code full} (more iterations and data, three seeds).
     *
     * @throws IllegalArgumentException for another name, naming the known ones
     */
    public static ExperimentConfig preset(String name) {
        // The headroom regime (docs/calibration.md): Student 0 knows 3 of the 7 domains, Generator 0 all 7; the
        // Student is fully fine-tuned (loraRank 0) at 3e-4, one pass over 32,768 tokens a round, the rate chosen on
        // the bundle's validation split. The Generator's Step D keeps LoRA rank 8 at 1e-3, two passes.
        Trainer student = new Trainer(3e-4, 8, 1, 0, 16);
        Trainer generator = new Trainer(1e-3, 8, 2, 8, 16);
        return switch (name) {
            // smoke: every code path at the smallest sizes that still run it (the evaluation is most of the cost)
            case "smoke" -> new ExperimentConfig("smoke", 2, 42, 1, 1024, 8, new Sampling(1.0, 0, 1.0, 1.0, 48), 16, 4,
                    0.5, 0, 0.0, MAIN_STRATEGIES, Models.EMBEDDED, Data.EMBEDDED, 8, 2, 16, false,
                    student, new Trainer(1e-3, 8, 1, 8, 16), Prompting.PREFIX,
                    DEFAULT_ACCUMULATE_SAMPLE, DEFAULT_MEASURE_REFERENCE_TEXTS, new Evaluator(
                            HeldOutEvaluator.DEFAULT_BATCH_SIZE, 8, HeldOutEvaluator.GENERATIVE_MAX_NEW_TOKENS)
                            .withMinimalPairsPerKind(8).withTasksEvery(2), Miner.DEFAULTS, 0);
            // 300 pairs of each of the five kinds (1,500 in all): the evaluation is most of a run's CPU time
            case "default" -> new ExperimentConfig("default", 5, 42, 1, 32768, 16, new Sampling(1.0, 0, 1.0, 1.0, 96),
                    96, 16, 0.5, 0, 0.0, MAIN_STRATEGIES, Models.EMBEDDED, Data.EMBEDDED, 60, 8, 64, true, student,
                    generator, Prompting.PREFIX, DEFAULT_ACCUMULATE_SAMPLE, DEFAULT_MEASURE_REFERENCE_TEXTS,
                    Evaluator.DEFAULTS.withMinimalPairsPerKind(DEFAULT_MINIMAL_PAIRS_PER_KIND).withTasksEvery(5),
                    Miner.DEFAULTS, 0);
            case "full" -> new ExperimentConfig("full", 10, 42, 3, 32768, 16, new Sampling(1.0, 0, 1.0, 1.0, 96), 192,
                    32, 0.5, 0, 0.0, List.of("symbiosis", "symbiosis-frozen-generator", "symbiosis-no-saliency",
                            "symbiosis-random-pool", "symbiosis-hard-to-student", "symbiosis-hotflip-hints",
                            "recursive-replace", "recursive-accumulate", "static-synthetic", "real-mixing",
                            "real-upper-bound"),
                    Models.EMBEDDED, Data.EMBEDDED, 0, 16, 128, true, student, generator, Prompting.PREFIX,
                    DEFAULT_ACCUMULATE_SAMPLE, DEFAULT_MEASURE_REFERENCE_TEXTS, Evaluator.DEFAULTS, Miner.DEFAULTS, 0);
            default -> throw new IllegalArgumentException("unknown preset '" + name
                    + "'; known: smoke, default, full");
        };
    }

    /**
     * Options of a configuration, starting from a preset or an existing configuration; {@link #build()} validates.
     * Every option's default is the starting configuration's value. Not thread-safe.
     */
    public static final class Builder {
        private String preset;
        private int iterations;
        private long seed;
        private int seeds;
        private int tokenBudget;
        private int generationBatch;
        private Sampling sampling;
        private int poolSample;
        private int hardExamples;
        private double teachingShare;
        private int patience;
        private double minDelta;
        private List<String> strategies;
        private Models models;
        private Data data;
        private int evalItemsPerTask;
        private int heldOutDocsPerDomain;
        private int measureSample;
        private boolean semanticMetrics;
        private Trainer student;
        private Trainer generator;
        private Prompting prompting;
        private int accumulateSample;
        private int measureReferenceTexts;
        private Evaluator evaluator;
        private Miner miner;
        private int parallelism;

        private Builder(ExperimentConfig c) {
            preset = c.preset;
            iterations = c.iterations;
            seed = c.seed;
            seeds = c.seeds;
            tokenBudget = c.tokenBudget;
            generationBatch = c.generationBatch;
            sampling = c.sampling;
            poolSample = c.poolSample;
            hardExamples = c.hardExamples;
            teachingShare = c.teachingShare;
            patience = c.patience;
            minDelta = c.minDelta;
            strategies = c.strategies;
            models = c.models;
            data = c.data;
            evalItemsPerTask = c.evalItemsPerTask;
            heldOutDocsPerDomain = c.heldOutDocsPerDomain;
            measureSample = c.measureSample;
            semanticMetrics = c.semanticMetrics;
            student = c.student;
            generator = c.generator;
            prompting = c.prompting;
            accumulateSample = c.accumulateSample;
            measureReferenceTexts = c.measureReferenceTexts;
            evaluator = c.evaluator;
            miner = c.miner;
            parallelism = c.parallelism;
        }

        /** The name recorded as the preset (and of the default output folder). */
        public Builder optPreset(String v) {
            preset = v;
            return this;
        }

        /** Iterations T. */
        public Builder optIterations(int v) {
            iterations = v;
            return this;
        }

        /** Master seed. */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** Number of run seeds. */
        public Builder optSeeds(int v) {
            seeds = v;
            return this;
        }

        /** Student training tokens per iteration. */
        public Builder optTokenBudget(int v) {
            tokenBudget = v;
            return this;
        }

        /** Prompts per generation call. */
        public Builder optGenerationBatch(int v) {
            generationBatch = v;
            return this;
        }

        /** Sampler of Steps A and D. */
        public Builder optSampling(Sampling v) {
            sampling = v;
            return this;
        }

        /** Pool windows mined per iteration. */
        public Builder optPoolSample(int v) {
            poolSample = v;
            return this;
        }

        /** Hard examples kept per iteration. */
        public Builder optHardExamples(int v) {
            hardExamples = v;
            return this;
        }

        /** Share of Step A prompts re-using the last teaching prompts. */
        public Builder optTeachingShare(double v) {
            teachingShare = v;
            return this;
        }

        /** Early stopping: patience (0 = off) and minimum improvement. */
        public Builder optEarlyStopping(int patience, double minDelta) {
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /** Strategy names, in run order. */
        public Builder optStrategies(List<String> v) {
            strategies = List.copyOf(v);
            return this;
        }

        /** Checkpoint folders. */
        public Builder optModels(Models v) {
            models = v;
            return this;
        }

        /** Data files. */
        public Builder optData(Data v) {
            data = v;
            return this;
        }

        /** Multiple-choice items per task (0 = all). */
        public Builder optEvalItemsPerTask(int v) {
            evalItemsPerTask = v;
            return this;
        }

        /** Held-out documents per domain. */
        public Builder optHeldOutDocsPerDomain(int v) {
            heldOutDocsPerDomain = v;
            return this;
        }

        /** Texts measured per iteration and whether the semantic metrics run. */
        public Builder optMeasure(int sample, boolean semantic) {
            measureSample = sample;
            semanticMetrics = semantic;
            return this;
        }

        /** The Student's trainer. */
        public Builder optStudent(Trainer v) {
            student = v;
            return this;
        }

        /** The Generator's trainer. */
        public Builder optGenerator(Trainer v) {
            generator = v;
            return this;
        }

        /** The curriculum's options. */
        public Builder optPrompting(Prompting v) {
            prompting = v;
            return this;
        }

        /** Real seed documents of {@code recursive-accumulate}. */
        public Builder optAccumulateSample(int v) {
            accumulateSample = v;
            return this;
        }

        /** Held-out fidelity texts of the measurement. */
        public Builder optMeasureReferenceTexts(int v) {
            measureReferenceTexts = v;
            return this;
        }

        /** The held-out evaluator's sizes. */
        public Builder optEvaluator(Evaluator v) {
            evaluator = v;
            return this;
        }

        /** Step C's options. */
        public Builder optMiner(Miner v) {
            miner = v;
            return this;
        }

        /** Units run at once; 0 = one per available processor. Never changes a record. */
        public Builder optParallelism(int v) {
            parallelism = v;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first invalid field
         */
        public ExperimentConfig build() {
            return new ExperimentConfig(preset, iterations, seed, seeds, tokenBudget, generationBatch, sampling,
                    poolSample, hardExamples, teachingShare, patience, minDelta, strategies, models, data,
                    evalItemsPerTask, heldOutDocsPerDomain, measureSample, semanticMetrics, student, generator,
                    prompting, accumulateSample, measureReferenceTexts, evaluator, miner, parallelism).validate();
        }
    }
}
