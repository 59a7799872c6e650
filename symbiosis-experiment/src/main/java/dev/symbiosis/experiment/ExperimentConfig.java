package dev.symbiosis.experiment;

import dev.symbiosis.core.curriculum.TemplateCurriculum;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.symbiosis.core.loop.LoopConfig;
import dev.symbiosis.core.model.SamplingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything an experiment run is made of, as one JSON document: the loop's sizes, the strategies, the models and
 * the data (null paths mean the embedded default), the evaluation and measurement sizes, and the trainers.
 *
 * <p>Unknown keys and impossible sizes are refused with an error naming the file and the field. A preset
 * ({@link #preset(String)}) gives complete configurations; a user's file starts from the preset it names (default
 * {@code "default"}) only in the sense that the file must spell out what it changes: every field is required to
 * keep runs self-describing (the run folder stores the resolved configuration).
 *
 * @param preset name of the preset this configuration came from (informational)
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
 * @param hardExamples hard examples kept per iteration
 * @param teachingShare share of Step A prompts re-using last iteration's teaching prompts
 * @param patience early-stopping patience (0: off)
 * @param minDelta early-stopping minimum improvement
 * @param strategies strategy names, run in this order
 * @param models checkpoint folders
 * @param data corpora and tasks
 * @param evalItemsPerTask multiple-choice items per task (seeded sample; 0 = all)
 * @param heldOutDocsPerDomain held-out documents per domain for bits per byte
 * @param measureSample texts measured per iteration (seeded sample, equal for every strategy)
 * @param semanticMetrics whether to compute the sentence-embedding metrics (MiniLM)
 * @param student the Student's trainer
 * @param generator the Generator's trainer (Step D)
 * @param prompting how the Generator is prompted (curriculum style) and whether near-duplicate synthetic samples
 *     are dropped
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
        Prompting prompting) {

    /** Strategy names the experiment knows. */
    public static final Set<String> STRATEGIES = Set.of("symbiosis", "symbiosis-frozen-generator",
            "symbiosis-no-saliency", "symbiosis-random-pool", "symbiosis-hard-to-student", "symbiosis-hotflip-hints",
            "recursive-replace", "recursive-replace-from-initial", "recursive-accumulate", "static-synthetic",
            "real-mixing", "real-upper-bound");

    /** Sampler settings. */
    public record Sampling(double temperature, int topK, double topP, double repetitionPenalty, int maxNewTokens) {
        SamplingConfig toConfig() {
            return new SamplingConfig(temperature, topK, topP, repetitionPenalty, maxNewTokens, 0L);
        }
    }

    /** Checkpoint folders; {@code null} means the embedded model. */
    public record Models(String generator, String student, String reference) {}

    /**
     * Data files (JSONL with a "text" field, or .txt); {@code null} means the embedded split. {@code tasks} is a
     * folder of task JSONL files.
     */
    public record Data(String seed, String pool, String stream, String fidelity, String evalText, String tasks) {}

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
     */
    public record Trainer(double learningRate, int batchSize, int epochs, int loraRank, double loraAlpha,
            int contextLength, int generationRows, int maxBatchTokens) {

        /** Settings with the engine's defaults for context, generation rows and batch tokens. */
        public Trainer(double learningRate, int batchSize, int epochs, int loraRank, double loraAlpha) {
            this(learningRate, batchSize, epochs, loraRank, loraAlpha, 0, 0, 0);
        }
    }

    /**
     * How the Generator is prompted.
     *
     * @param style {@code "prefix"}: sentence openings, for base models such as the embedded ones; {@code
     *     "instruction"}: the proposal's instruction templates, for instruction-tuned Generators (the engine wraps
     *     them in the model's chat format)
     * @param nearDuplicateThreshold MinHash Jaccard similarity at or above which a synthetic sample is dropped as a
     *     near duplicate of one accepted before; null = no near-duplicate control
     */
    public record Prompting(String style, Double nearDuplicateThreshold) {

        /** The embedded default: sentence openings, no near-duplicate control. */
        public static final Prompting PREFIX = new Prompting("prefix", null);
    }

    /** The Curriculum of {@link #prompting()}. */
    public TemplateCurriculum curriculum() {
        TemplateCurriculum.Builder b = TemplateCurriculum.builder().optStyle(
                prompting.style().equals("instruction") ? TemplateCurriculum.Style.INSTRUCTION
                        : TemplateCurriculum.Style.PREFIX);
        if (prompting.nearDuplicateThreshold() != null) {
            b.optNearDuplicateThreshold(prompting.nearDuplicateThreshold());
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
        List<Long> out = new java.util.ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            out.add(seed + i);
        }
        return List.copyOf(out);
    }

    /** A copy with {@code n} run seeds (the {@code --seeds} flag). */
    public ExperimentConfig withSeeds(int n) {
        return new ExperimentConfig(preset, iterations, seed, n, tokenBudget, generationBatch, sampling, poolSample,
                hardExamples, teachingShare, patience, minDelta, strategies, models, data, evalItemsPerTask,
                heldOutDocsPerDomain, measureSample, semanticMetrics, student, generator, prompting).validate();
    }

    /** Reads and validates a configuration file. */
    public static ExperimentConfig read(Path file) throws IOException {
        ExperimentConfig c;
        try {
            byte[] bytes = Files.readAllBytes(file);
            checkKeys(file, STRICT.readTree(bytes), ExperimentConfig.class, "");
            c = STRICT.readValue(bytes, ExperimentConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IOException(file + ": unknown key '" + e.getPropertyName() + "' at " + path(e)
                    + "; known keys: " + e.getKnownPropertyIds(), e);
        } catch (JsonMappingException e) {
            throw new IOException(file + ": invalid value at " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": malformed JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        try {
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return c;
    }

    /**
     * Refuses keys that are not components of the record (recursively into nested records), before binding, so
     * that a misspelt key is reported as such rather than as the missing key it was meant to be.
     */
    private static void checkKeys(Path file, com.fasterxml.jackson.databind.JsonNode node, Class<?> type,
            String path) throws IOException {
        if (node == null || !node.isObject() || !type.isRecord()) {
            return;
        }
        java.util.Map<String, Class<?>> components = new java.util.LinkedHashMap<>();
        for (java.lang.reflect.RecordComponent rc : type.getRecordComponents()) {
            components.put(rc.getName(), rc.getType());
        }
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!components.containsKey(key)) {
                throw new IOException(file + ": unknown key '" + (path.isEmpty() ? "" : path + ".") + key
                        + "'; known keys" + (path.isEmpty() ? "" : " of '" + path + "'") + ": "
                        + components.keySet());
            }
            checkKeys(file, node.get(key), components.get(key), path.isEmpty() ? key : path + "." + key);
        }
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "the top level" : "'" + p + "'";
    }

    /** The configuration as JSON (stable key order): what the run folder stores and compares on resume. */
    public String toJson() {
        try {
            return STRICT.writeValueAsString(this) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks every field; the message names the field. */
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
            require(s != null && STRATEGIES.contains(s), "unknown strategy '" + s + "' in strategies; known: "
                    + STRATEGIES.stream().sorted().toList());
        }
        require(strategies.stream().distinct().count() == strategies.size(), "strategies lists a name twice");
        require(models != null, "models must be given (null paths select the embedded models)");
        require(data != null, "data must be given (null paths select the embedded data)");
        require(evalItemsPerTask >= 0, "evalItemsPerTask must be >= 0, got " + evalItemsPerTask);
        require(heldOutDocsPerDomain >= 1, "heldOutDocsPerDomain must be >= 1, got " + heldOutDocsPerDomain);
        require(measureSample >= 2, "measureSample must be >= 2, got " + measureSample);
        checkTrainer("student", student);
        checkTrainer("generator", generator);
        require(prompting != null,
                "prompting must be given (e.g. {\"style\": \"prefix\", \"nearDuplicateThreshold\": null})");
        require("prefix".equals(prompting.style()) || "instruction".equals(prompting.style()),
                "prompting.style must be \"prefix\" or \"instruction\", got " + prompting.style());
        Double nd = prompting.nearDuplicateThreshold();
        require(nd == null || (nd > 0 && nd <= 1),
                "prompting.nearDuplicateThreshold must be in (0, 1] or null, got " + nd);
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
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The five strategies of the proposal's comparison. */
    public static final List<String> MAIN_STRATEGIES = List.of("symbiosis", "recursive-replace", "static-synthetic",
            "real-mixing", "real-upper-bound");

    /**
     * A named preset: {@code smoke} (about a minute, for CI; one seed), {@code default} (the README's main job, at
     * most 20 minutes on 2 CPU cores; one seed) or {@code full} (more iterations and data, three seeds).
     */
    public static ExperimentConfig preset(String name) {
        Models embeddedModels = new Models(null, null, null);
        Data embeddedData = new Data(null, null, null, null, null, null);
        // LoRA (rank 8) learns at 1e-3; every iteration makes a few passes over its budget so that one iteration
        // moves the Student measurably (smoke: one pass, it only has to run).
        Trainer student = new Trainer(1e-3, 8, 3, 8, 16);
        Trainer generator = new Trainer(1e-3, 8, 2, 8, 16);
        return switch (name) {
            case "smoke" -> new ExperimentConfig("smoke", 2, 42, 1, 1024, 8, new Sampling(1.0, 0, 1.0, 1.0, 48), 16, 4,
                    0.5, 0, 0.0, MAIN_STRATEGIES, embeddedModels, embeddedData, 16, 4, 16, false,
                    new Trainer(1e-3, 8, 1, 8, 16), new Trainer(1e-3, 8, 1, 8, 16), Prompting.PREFIX);
            case "default" -> new ExperimentConfig("default", 5, 42, 1, 8192, 16, new Sampling(1.0, 0, 1.0, 1.0, 96), 96,
                    16, 0.5, 0, 0.0, MAIN_STRATEGIES, embeddedModels, embeddedData, 60, 8, 64, true, student,
                    generator, Prompting.PREFIX);
            case "full" -> new ExperimentConfig("full", 10, 42, 3, 16384, 16, new Sampling(1.0, 0, 1.0, 1.0, 96), 192,
                    32, 0.5, 0, 0.0, List.of("symbiosis", "symbiosis-frozen-generator", "symbiosis-no-saliency",
                            "symbiosis-random-pool", "symbiosis-hard-to-student", "symbiosis-hotflip-hints",
                            "recursive-replace", "recursive-accumulate", "static-synthetic", "real-mixing",
                            "real-upper-bound"),
                    embeddedModels, embeddedData, 0, 16, 128, true, student, generator, Prompting.PREFIX);
            default -> throw new IllegalArgumentException("unknown preset '" + name
                    + "'; known: smoke, default, full");
        };
    }
}
