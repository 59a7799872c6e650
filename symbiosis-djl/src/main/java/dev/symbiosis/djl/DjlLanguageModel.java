package dev.symbiosis.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.ParameterGradients;
import dev.symbiosis.core.model.PreferencePair;
import dev.symbiosis.core.model.PreferenceTraining;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.SaliencyWithHints;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.GenerationConfig;
import dev.symbiosis.djl.model.Gpt2Model;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A causal language model on DJL's PyTorch engine that plays both loop roles: Generator (KV-cache sampling,
 * fine-tuning on prompt/completion pairs with the prompt loss-masked) and Student (training on weighted texts,
 * per-token scores, input-embedding saliency), with full fine-tuning or LoRA. The family is chosen by
 * config.json's {@code model_type}: {@code gpt2} ({@link Gpt2Model}), {@code gpt_neox} (Pythia,
 * {@link dev.symbiosis.djl.model.GptNeoxModel}) or {@code llama} ({@link dev.symbiosis.djl.model.LlamaModel}).
 *
 * <p>Checkpoint directory (Hugging Face layout): {@code config.json}, {@code model.safetensors} or the shards of
 * {@code model.safetensors.index.json} (Hugging Face names; F32, F16 or BF16, read tensor by tensor),
 * {@code tokenizer.json}, optionally {@code tokenizer_config.json} (its {@code chat_template} selects the
 * {@link ChatFormat} of an instruction-tuned Generator), and with LoRA {@code adapter_model.safetensors} +
 * {@code adapter_config.json} (PEFT names). Load with {@link #load(Path)} or {@link #builder(Path)}.
 *
 * <p>Prompts: {@link #generate} and {@link #fineTune} pass each prompt through the model's {@link ChatFormat}
 * (plain prefixes for base models; one user turn of the family's chat format for instruction-tuned ones, whose
 * answers then end with the format's end-of-turn token). Scoring and {@link #train} see texts as they are.
 *
 * <p>Training: each call of {@link #train} / {@link #fineTune} makes {@link TrainerConfig#epochs()} passes over its
 * data with a <b>fresh</b> AdamW state and its own warm-up + cosine schedule. Training texts are framed as
 * {@code text + eos} (positions as in {@link #score}; the model learns to stop), a text with a
 * {@link TrainingText#context() context} as {@code context + text + eos} with the loss on text and eos only (the
 * context's tail that fits in one context window with the text; none when the text alone fills it); pairs as
 * {@code prompt + completion + eos} with the loss on completion and eos only (an empty prompt becomes
 * {@code bos}; a prompt that does not fit is left-truncated). Sequences longer than the context are cut into
 * context-size windows overlapping by one token; batches are bucketed by length; the loss is
 * {@code sum(weight * token cross-entropy) / number of loss tokens}, so per-example weights act relative to the
 * other examples of a batch. A NaN or infinite loss throws {@link IllegalStateException} and the weights are put
 * back to their state before the call.
 *
 * <p>Scoring: texts longer than the context are scored with a sliding window of stride {@code n_positions / 2}.
 * Generation stops at end-of-text or after {@code maxNewTokens}; prompts longer than the context are
 * left-truncated, and when a sequence fills the context it continues from its last {@code n_positions / 2}
 * tokens.
 *
 * <p>This class is a front: {@link Scoring}, {@link Saliency} (saliency and hints from one gradient pass),
 * {@link ParameterGradient} (gradients with respect to the trainable parameters), {@link Trainer} (also DPO),
 * {@link Decoding} and {@link CheckpointIo} do the work on a shared {@link ModelState}.
 *
 * <p>Not thread-safe: use one model from one thread at a time (gradient recording is switched off on the calling
 * thread by every public method). Different models may work on different threads at once, with the results they
 * give one after the other: gradients are recorded per thread ({@link dev.symbiosis.djl.model.ThreadGradients}) and
 * LoRA dropout masks are drawn from their own seeds under a process-wide lock. {@link #close()} frees every native
 * array.
 */
public final class DjlLanguageModel implements LanguageModel, GradientHints, ParameterGradients, PreferenceTraining {

    private final ModelState state;
    private final Scoring scoring;
    private final Saliency saliency;
    private final ParameterGradient parameterGradient;
    private final Trainer trainer;
    private final Decoding decoding;
    private final CheckpointIo checkpoints;

    private DjlLanguageModel(ModelState state) {
        this.state = state;
        this.scoring = new Scoring(state);
        this.saliency = new Saliency(state);
        this.parameterGradient = new ParameterGradient(state);
        this.trainer = new Trainer(state);
        this.decoding = new Decoding(state);
        this.checkpoints = new CheckpointIo(state);
    }

    /** Loads a checkpoint directory with every default of {@link Builder}. */
    public static DjlLanguageModel load(Path checkpointDir) throws IOException {
        return builder(checkpointDir).build();
    }

    /** A builder for the checkpoint in {@code checkpointDir}. */
    public static Builder builder(Path checkpointDir) {
        return new Builder(ModelSource.of(Objects.requireNonNull(checkpointDir, "checkpointDir")));
    }

    /**
     * A builder for a checkpoint folder or a Hugging Face model id resolved in the local hub cache (see
     * {@link ModelSource}; downloading only when the source allows it).
     */
    public static Builder builder(ModelSource source) {
        return new Builder(Objects.requireNonNull(source, "source"));
    }

    /** Loads a checkpoint folder or hub model id with every default of {@link Builder}. */
    public static DjlLanguageModel load(ModelSource source) throws IOException {
        return builder(source).build();
    }

    /**
     * Loads the checkpoint of {@code source} (with its LoRA adapter) on the CPU and writes it to {@code out} with
     * the adapter folded into the base weights: a plain checkpoint of the family that transformers loads without
     * PEFT. A checkpoint without an adapter is written as it is.
     */
    public static void merge(ModelSource source, Path out) throws IOException {
        try (DjlLanguageModel m = builder(source).optDevice(Device.cpu()).optDtype(DataType.FLOAT32).build()) {
            m.saveMerged(out);
        }
    }

    /** Default of {@link Builder#optMaxBatchTokens}: rows times padded length of one scoring or saliency batch. */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 4096;

    /** Options of a {@link DjlLanguageModel}. Not thread-safe. */
    public static final class Builder {
        final ModelSource source;
        String baseModelName;
        LoraConfig lora;
        TrainerConfig trainer = TrainerConfig.defaults();
        Device device;
        int maxBatchTokens = DEFAULT_MAX_BATCH_TOKENS;
        String name;
        DataType dtype;
        ChatFormat chatFormat;
        int contextLength;
        int generationRows;

        private Builder(ModelSource source) {
            this.source = source;
        }

        /**
         * The base model's hub id or folder written as {@code base_model_name_or_path} into the
         * adapter_config.json of saved LoRA checkpoints; default: the base's own record (the loaded checkpoint's
         * adapter_config.json), else the hub id it was opened by, else its folder.
         */
        public Builder optBaseModelName(String value) {
            this.baseModelName = value;
            return this;
        }

        /**
         * LoRA adapter for training, or null (default) for full fine-tuning. A checkpoint that holds an adapter
         * ({@code adapter_config.json}) loads it with its own rank, alpha and targets whatever is given here.
         */
        public Builder optLora(LoraConfig value) {
            this.lora = value;
            return this;
        }

        /** Optimisation settings of train and fineTune; default {@link TrainerConfig#defaults()} (lr 2e-4). */
        public Builder optTrainer(TrainerConfig value) {
            this.trainer = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Device; default the first GPU when DJL's PyTorch engine reports one ({@code getGpuCount() > 0}, which
         * needs the CUDA natives on the class path: see docs/full-scale.md), else CPU.
         */
        public Builder optDevice(Device value) {
            this.device = value;
            return this;
        }

        /**
         * Storage precision of the base weights of GPT-NeoX and Llama models, {@link DataType#FLOAT32} or
         * {@link DataType#FLOAT16}; default {@link CausalLms#defaultDtype} (FLOAT16 on a GPU, FLOAT32 on the CPU).
         * Computation, LoRA adapters and GPT-2 models are always FLOAT32.
         */
        public Builder optDtype(DataType value) {
            if (value != null && value != DataType.FLOAT32 && value != DataType.FLOAT16) {
                throw new IllegalArgumentException("weights must be FLOAT32 or FLOAT16 (BF16 aborts DJL 0.36's"
                        + " PyTorch engine), got " + value);
            }
            this.dtype = value;
            return this;
        }

        /**
         * How prompts reach the model in {@code generate} and {@code fineTune}; default detected from the
         * checkpoint's {@code tokenizer_config.json} ({@link ChatFormat#detect}: plain without a chat template).
         */
        public Builder optChatFormat(ChatFormat value) {
            this.chatFormat = value;
            return this;
        }

        /**
         * Prompts decoded together by {@code generate}; default {@code max(1, maxBatchTokens / context)}. On a GPU
         * decoding is bound by reading the weights once per step, so more rows cost little: e.g. 64.
         */
        public Builder optGenerationRows(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("generation rows must be >= 1, got " + value);
            }
            this.generationRows = value;
            return this;
        }

        /**
         * Longest window in tokens for scoring, training and generation, at most the config's context; default the
         * config's ({@code n_positions} / {@code max_position_embeddings}). Llama 3.1's 131,072 positions would make
         * attention over one window alone need tens of GB: cap it (e.g. 2048).
         */
        public Builder optContextLength(int value) {
            if (value < 2) {
                throw new IllegalArgumentException("context length must be >= 2, got " + value);
            }
            this.contextLength = value;
            return this;
        }

        /**
         * Upper bound on batch rows times padded length for scoring, saliency and generation (training batches
         * are {@code batchSize} sequences); default 4096, at least one sequence per batch.
         */
        public Builder optMaxBatchTokens(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxBatchTokens must be >= 1");
            }
            this.maxBatchTokens = value;
            return this;
        }

        /** Name in the provenance of samples; default the directory's file name. */
        public Builder optName(String value) {
            this.name = value;
            return this;
        }

        /**
         * Loads the model.
         *
         * @throws IOException naming the file and field or tensor at fault
         */
        public DjlLanguageModel build() throws IOException {
            return new DjlLanguageModel(CheckpointIo.open(this));
        }
    }

    /**
     * The checkpoint's generation_config.json (its end-of-text ids also stop {@link #generate}; its
     * {@link GenerationConfig#sampling default decoding} is for callers to apply), or null when it has none.
     */
    public GenerationConfig generationConfig() {
        return state.meta.generation();
    }

    /** The architecture. */
    public ModelConfig config() {
        return state.config;
    }

    /** How prompts reach the model in {@link #generate} and {@link #fineTune}. */
    public ChatFormat chatFormat() {
        return state.chat;
    }

    /** Tokens per window of scoring, training and generation (the config's context or the builder's cap). */
    @Override
    public int contextLength() {
        return state.context;
    }

    /** The tokenizer (owned by this model; do not close). */
    public BpeTokenizer tokenizer() {
        return state.tokenizer;
    }

    /** The active LoRA configuration, or null for full fine-tuning. */
    public LoraConfig lora() {
        return state.loraConfig;
    }

    /** The training settings. */
    public TrainerConfig trainerConfig() {
        return state.trainer;
    }

    /** The underlying network (for tests and tools; its arrays belong to this model). */
    public CausalLm network() {
        return state.model();
    }

    @Override
    public int countTokens(String text) {
        return state.tokenizer.encode(text).size();
    }

    /** The tokenizer's ids, without a forward pass. */
    @Override
    public int[] tokenIds(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("cannot encode an empty text");
        }
        return state.tokenizer.encode(text).ids();
    }

    // ------------------------------------------------------------------ scoring

    @Override
    public List<TokenScores> score(List<String> texts) {
        return scoring.score(texts);
    }

    /**
     * Next-token logits of one token sequence: row {@code i} holds the logits after {@code ids[0..i]}.
     *
     * @param ids 1 to {@code n_positions} token ids, each in {@code [0, vocab_size)}
     * @return {@code ids.length} rows of {@code vocab_size} logits
     */
    public float[][] logits(int[] ids) {
        return scoring.logits(ids);
    }

    /**
     * Perplexity {@code exp(-sum log p / predicted tokens)} over the texts (each text's first token is not
     * predicted); NaN when no token is predicted.
     */
    public double perplexity(List<String> texts) {
        return scoring.perplexity(texts);
    }

    /**
     * Bits per UTF-8 byte: {@code -sum log2 p} over predicted tokens divided by the UTF-8 bytes those tokens
     * cover (the first token's bytes excluded). NaN when nothing is predicted.
     */
    public double bitsPerByte(List<String> texts) {
        return scoring.bitsPerByte(texts);
    }

    // ------------------------------------------------------------------ saliency

    @Override
    public List<SaliencyMap> saliency(List<String> texts) {
        return saliency.saliency(texts);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The loss is the one of {@link #saliency(List)} (each text's mean next-token loss); its gradient is computed
     * once: its norms rank the tokens, and {@code (wte[v] - wte[x]) . g} is computed for the chosen ones. Candidates
     * are decoded single tokens, trimmed, deduplicated (best score kept), never an added token, blank text, a
     * partial UTF-8 sequence, control characters or the token's own trimmed text.
     */
    @Override
    public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
        return saliency.gradientHints(texts, positions, candidates);
    }

    /** {@inheritDoc} Both come from one forward and backward pass per batch. */
    @Override
    public SaliencyWithHints saliencyWithHints(List<String> texts, int positions, int candidates) {
        return saliency.both(texts, positions, candidates);
    }

    // ------------------------------------------------------------------ parameter gradients

    /**
     * {@inheritDoc}
     *
     * <p>The parameters are the trainable ones ({@link #network()}{@code .trainable()}: the LoRA matrices with an
     * adapter, else every weight); each text's loss is its mean next-token loss over context-size windows without
     * overlap (as {@link #saliency}; for a text within the context exactly {@code -mean} of {@link #score}'s
     * log-probabilities), from one forward and backward pass per text without dropout. The gradients stay on the
     * device; only dot products and norms are read.
     */
    @Override
    public double[] gradientCosines(String target, List<String> candidates) {
        return parameterGradient.cosines(target, candidates);
    }

    /**
     * The gradient of {@code text}'s loss (as {@link #gradientCosines} defines it) with respect to the trainable
     * parameters, flattened in {@link #network()}{@code .trainable()} order (for tests and tools: a full model's
     * gradient is as large as the model). The parameters are unchanged and hold no gradient after the call.
     *
     * @throws IllegalArgumentException if the text is empty or has fewer than two tokens
     */
    public float[] parameterGradient(String text) {
        return parameterGradient.flat(text);
    }

    // ------------------------------------------------------------------ training

    @Override
    public TrainingReport train(List<TrainingText> texts) {
        return trainer.train(texts);
    }

    @Override
    public TrainingReport fineTune(List<PromptCompletion> examples) {
        return trainer.fineTune(examples, 1.0);
    }

    /** {@inheritDoc} The peak of the warm-up + cosine schedule is {@link TrainerConfig#learningRate()} times the scale. */
    @Override
    public TrainingReport fineTune(List<PromptCompletion> examples, double learningRateScale) {
        dev.symbiosis.core.model.Generator.checkLearningRateScale(learningRateScale);
        return trainer.fineTune(examples, learningRateScale);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each completion is framed as {@link #fineTune} frames it ({@code prompt + completion + end of answer}, the
     * loss on completion and end), and cut to the context's first tokens when longer. The reference log-probabilities
     * are computed once, before the first step, with the weights as they are; then {@link TrainerConfig#epochs()}
     * seeded passes over the pairs in batches of {@link TrainerConfig#batchSize()} pairs (each batch one forward
     * pass over its chosen and rejected sequences), with a fresh AdamW and schedule as {@link #fineTune}, and
     * without dropout (as TRL's DPO trainer by default), so that the first step's loss is {@code log 2}. Reported
     * tokens are the completion and end positions of both sequences of every pair, per epoch.
     */
    @Override
    public TrainingReport fineTunePreferences(List<PreferencePair> pairs, double beta) {
        return trainer.fineTunePreferences(pairs, beta);
    }

    /**
     * Folds the LoRA adapter into the base weights ({@code W += (alpha/r) (B A)^T}) and starts a fresh adapter
     * (B = 0) of the same configuration, so the model's function is unchanged. Does nothing without LoRA.
     */
    public void mergeLora() {
        trainer.mergeLora();
    }

    // ------------------------------------------------------------------ generation

    @Override
    public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
        return generate(prompts, sampling, true);
    }

    /**
     * Samples one continuation per prompt, each row with its own seed and random source
     * ({@link dev.symbiosis.djl.model.Sampler#rowRandom rowRandom(rowSeed, 0)}, the source it would have alone in a
     * call). On the CPU a row's tokens do not depend on the rows decoded with it, to the bit
     * ({@link dev.symbiosis.djl.model.BatchInvariance}).
     */
    @Override
    public List<Sample> generateSeeded(List<Prompt> prompts, SamplingConfig sampling, long[] rowSeeds) {
        return decoding.generateSeeded(prompts, sampling, rowSeeds);
    }

    /**
     * Samples one continuation per prompt; row {@code i} draws from
     * {@link dev.symbiosis.djl.model.Sampler#rowRandom rowRandom(sampling.seed(), i)}.
     *
     * @param useCache true for incremental decoding with a key/value cache, false to recompute the whole window at
     *     every step (same tokens; for testing)
     */
    public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling, boolean useCache) {
        return decoding.generate(prompts, sampling, useCache);
    }

    // ------------------------------------------------------------------ checkpoints

    @Override
    public void save(Path dir) throws IOException {
        checkpoints.save(dir);
    }

    /**
     * Writes the model with the adapter folded into the base weights (no adapter files): a plain checkpoint of the
     * model's family. The merge is computed in Java memory (small models).
     */
    public void saveMerged(Path dir) throws IOException {
        checkpoints.saveMerged(dir);
    }

    @Override
    public void restore(Path dir) throws IOException {
        checkpoints.restore(dir);
    }

    @Override
    public void close() {
        state.close();
    }

    /**
     * Writes a new checkpoint directory with freshly initialised weights (GPT-2 initialisation, seeded) and a
     * copy of {@code tokenizerJson}.
     */
    public static void initialize(Path dir, Gpt2Config config, Path tokenizerJson, long seed) throws IOException {
        CheckpointIo.initialize(dir, config, tokenizerJson, seed);
    }
}
