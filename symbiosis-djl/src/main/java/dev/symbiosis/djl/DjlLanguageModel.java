package dev.symbiosis.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.text.Span;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import dev.symbiosis.djl.model.AdamW;
import dev.symbiosis.djl.model.AttentionCache;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.DecoderLm;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.Gpt2Lm;
import dev.symbiosis.djl.model.Gpt2Model;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.WeightSource;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.GenerationConfig;
import dev.symbiosis.djl.model.PeftAdapterConfig;
import dev.symbiosis.djl.model.Sampler;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.model.Training.Sequence;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;

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
 * {@code text + eos} (positions as in {@link #score}; the model learns to stop); pairs as {@code prompt + completion + eos} with the loss on completion and
 * eos only (an empty prompt becomes {@code bos}; a prompt that does not fit is left-truncated). Sequences longer
 * than the context are cut into context-size windows overlapping by one token; batches are bucketed by length;
 * the loss is {@code sum(weight * token cross-entropy) / number of loss tokens}, so per-example weights act
 * relative to the other examples of a batch. A NaN or infinite loss throws
 * {@link IllegalStateException} and the weights are put back to their state before the call.
 *
 * <p>Scoring: texts longer than the context are scored with a sliding window of stride {@code n_positions / 2}.
 * Generation stops at end-of-text or after {@code maxNewTokens}; prompts longer than the context are
 * left-truncated, and when a sequence fills the context it continues from its last {@code n_positions / 2}
 * tokens.
 *
 * <p>Not thread-safe: use one model from one thread at a time (gradient recording is switched off on the calling
 * thread by every public method). {@link #close()} frees every native array.
 */
public final class DjlLanguageModel implements LanguageModel, GradientHints {

    /** The files a checkpoint of this class consists of. */
    private static final java.util.Set<String> CHECKPOINT_FILES = java.util.Set.of("config.json",
            "model.safetensors", "tokenizer.json", "adapter_model.safetensors", "adapter_config.json",
            ShardedSafeTensors.INDEX, "tokenizer_config.json", "generation_config.json", "special_tokens_map.json");

    private final String name;
    private final ModelConfig config;
    /** Tokens per window of scoring, training and generation: the config's context or the builder's cap. */
    private final int context;
    private final ChatFormat chat;
    /** Ids that end a generated answer: the config's end-of-text ids and the chat format's end of turn. */
    private final java.util.Set<Integer> stopIds;
    /** The id appended to fine-tuning completions: the chat format's end of turn, else end-of-text. */
    private final int answerEnd;
    private final byte[] tokenizerConfigJson;
    /** config.json as read, generation config, special tokens, where the base came from: see CheckpointMetadata. */
    private final CheckpointMetadata meta;
    private final DataType dtype;
    /**
     * The weight files the frozen base was loaded from while it is unchanged (LoRA, no merge), so a checkpoint
     * can link them instead of writing the base again; null otherwise.
     */
    private List<Path> baseFiles;
    private final BpeTokenizer tokenizer;
    private final byte[] tokenizerJson;
    private final NDManager root;
    private final LoraConfig loraConfig;
    private final TrainerConfig trainer;
    private final int maxBatchTokens;
    private final int generationRows;
    /** Rows times vocabulary from which a generation step samples its rows in parallel. */
    private static final long PARALLEL_SAMPLING_LOGITS = 1L << 20;
    /** Lazily decoded candidate texts of {@link #gradientHints}. */
    private String[] candidateTexts;
    private CausalLm model;
    private boolean closed;

    private DjlLanguageModel(Builder b, ModelConfig config, BpeTokenizer tokenizer, byte[] tokenizerJson,
            NDManager root, CausalLm model, LoraConfig lora, ChatFormat chat, byte[] tokenizerConfigJson,
            DataType dtype, List<Path> baseFiles, CheckpointMetadata meta) {
        this.tokenizerJson = tokenizerJson;
        this.meta = meta;
        this.name = b.name;
        this.config = config;
        this.context = b.contextLength > 0 ? Math.min(b.contextLength, config.contextLength())
                : config.contextLength();
        this.chat = chat;
        this.tokenizerConfigJson = tokenizerConfigJson;
        this.dtype = dtype;
        this.baseFiles = baseFiles;
        java.util.Set<Integer> stops = new java.util.LinkedHashSet<>(config.stopTokenIds());
        if (meta.generation() != null) {
            stops.addAll(meta.generation().eosTokenIds()); // transformers' generate stops at these
        }
        stops.add(tokenizer.eosId() >= 0 ? tokenizer.eosId() : config.eosTokenId()); // what eos() appends
        int end = -1;
        for (String token : chat.endOfTurn()) {
            int id = tokenizer.specialId(token);
            if (id >= 0) {
                stops.add(id);
                end = end < 0 ? id : end;
            }
        }
        this.stopIds = java.util.Set.copyOf(stops);
        this.answerEnd = end;
        this.tokenizer = tokenizer;
        this.root = root;
        this.model = model;
        this.loraConfig = lora;
        this.trainer = b.trainer;
        this.maxBatchTokens = b.maxBatchTokens;
        this.generationRows = b.generationRows;
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
        private final ModelSource source;
        private Path dir;
        private String baseModelName;
        private LoraConfig lora;
        private TrainerConfig trainer = TrainerConfig.defaults();
        private Device device;
        private int maxBatchTokens = DEFAULT_MAX_BATCH_TOKENS;
        private String name;
        private DataType dtype;
        private ChatFormat chatFormat;
        private int contextLength;
        private int generationRows;

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
            Engine engine = Engine.getEngine("PyTorch");
            Device dev = device != null ? device : engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            Training.noGrad();
            ModelSource.Resolved resolved = source.resolve();
            dir = resolved.dir();
            ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
            CheckpointMetadata meta = CheckpointMetadata.read(dir, baseModelName, resolved.hubBase());
            if (name == null) {
                Path fn = dir.toAbsolutePath().getFileName();
                name = "djl-" + cfg.modelType() + ":" + (source.isHub() ? source.repoId() : fn == null ? "model" : fn);
            }
            DataType weights = dtype != null ? dtype : CausalLms.defaultDtype(dev);
            ChatFormat format = chatFormat != null ? chatFormat : ChatFormat.detect(dir.resolve("tokenizer_config.json"));
            Path tokCfg = dir.resolve("tokenizer_config.json");
            byte[] tokCfgBytes = Files.exists(tokCfg) ? Files.readAllBytes(tokCfg) : null;
            BpeTokenizer tok = BpeTokenizer.load(dir.resolve("tokenizer.json"));
            byte[] tokBytes;
            try {
                tokBytes = Files.readAllBytes(dir.resolve("tokenizer.json"));
            } catch (IOException e) {
                tok.close();
                throw e;
            }
            NDManager root = engine.newBaseManager(dev);
            try {
                if (tok.vocabSize() > cfg.vocabSize()) {
                    throw new IOException(dir.resolve("tokenizer.json") + ": tokenizer has " + tok.vocabSize()
                            + " ids but config.json vocab_size is " + cfg.vocabSize());
                }
                LoraConfig effective = readAdapterConfig(dir, cfg);
                if (effective == null) {
                    effective = lora;
                }
                CausalLm m = loadModel(root, dev, cfg, dir, effective, trainer.seed(), weights);
                return new DjlLanguageModel(this, cfg, tok, tokBytes, root, m, m.lora(), format, tokCfgBytes,
                        weights, frozenBaseFiles(m, dir), meta);
            } catch (IOException | RuntimeException e) {
                root.close();
                tok.close();
                throw e;
            }
        }
    }

    /** The checkpoint's adapter (PEFT's adapter_config.json, read by {@link PeftAdapterConfig}), or null. */
    private static LoraConfig readAdapterConfig(Path dir, ModelConfig cfg) throws IOException {
        Path f = dir.resolve(PeftAdapterConfig.FILE);
        return Files.exists(f) ? PeftAdapterConfig.read(f, cfg) : null;
    }

    private static CausalLm loadModel(NDManager root, Device dev, ModelConfig cfg, Path dir, LoraConfig lora,
            long seed, DataType dtype) throws IOException {
        Map<String, Tensor> adapter = null;
        Path adapterFile = dir.resolve("adapter_model.safetensors");
        if (lora != null && Files.exists(dir.resolve("adapter_config.json"))) {
            adapter = SafeTensors.read(adapterFile).tensors();
        }
        if (cfg instanceof Gpt2Config g && !Files.exists(dir.resolve(ShardedSafeTensors.INDEX))) {
            Path weights = dir.resolve("model.safetensors");
            Map<String, Tensor> tensors = SafeTensors.read(weights).tensors();
            return Gpt2Lm.of(Gpt2Model.create(root, dev, g, tensors, weights.toString(), lora == null,
                    lora == null ? null : lora.forFamily("gpt2", LoraConfig.ALL_TARGETS), adapter,
                    adapterFile.toString(), seed));
        }
        return CausalLms.load(root, dev, cfg, dir, dtype, lora == null, lora, adapter, adapterFile.toString(), seed);
    }

    /** The weight files of {@code dir} when {@code m} keeps its base frozen and is not GPT-2, else null. */
    private static List<Path> frozenBaseFiles(CausalLm m, Path dir) throws IOException {
        if (m.lora() == null || !(m instanceof DecoderLm)) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        Path index = dir.resolve(ShardedSafeTensors.INDEX);
        if (Files.exists(index)) {
            files.add(index);
            try (ShardedSafeTensors s = ShardedSafeTensors.openIndex(index)) {
                files.addAll(s.files());
            }
        } else {
            files.add(dir.resolve(ShardedSafeTensors.SINGLE));
        }
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            out.add(f.toAbsolutePath());
        }
        return out;
    }

    /**
     * The checkpoint's generation_config.json (its end-of-text ids also stop {@link #generate}; its
     * {@link GenerationConfig#sampling default decoding} is for callers to apply), or null when it has none.
     */
    public GenerationConfig generationConfig() {
        return meta.generation();
    }

    /** The architecture. */
    public ModelConfig config() {
        return config;
    }

    /** How prompts reach the model in {@link #generate} and {@link #fineTune}. */
    public ChatFormat chatFormat() {
        return chat;
    }

    /** Tokens per window of scoring, training and generation. */
    public int contextLength() {
        return context;
    }

    /** The tokenizer (owned by this model; do not close). */
    public BpeTokenizer tokenizer() {
        return tokenizer;
    }

    /** The active LoRA configuration, or null for full fine-tuning. */
    public LoraConfig lora() {
        return loraConfig;
    }

    /** The training settings. */
    public TrainerConfig trainerConfig() {
        return trainer;
    }

    /** The underlying network (for tests and tools; its arrays belong to this model). */
    public CausalLm network() {
        checkOpen();
        return model;
    }

    @Override
    public int countTokens(String text) {
        return tokenizer.encode(text).size();
    }

    private int eos() {
        int e = tokenizer.eosId();
        return e >= 0 ? e : config.eosTokenId();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    // ------------------------------------------------------------------ scoring

    /** One forward window of a text: ids[start, end), predictions for targets [firstTarget, end). */
    private record Window(int text, int start, int end, int firstTarget) {
        int length() {
            return end - start;
        }
    }

    @Override
    public List<TokenScores> score(List<String> texts) {
        checkOpen();
        Training.noGrad();
        List<BpeTokenizer.Encoding> enc = encodeAll(texts);
        int n = context;
        int stride = Math.max(1, n / 2);
        List<Window> windows = new ArrayList<>();
        double[][] logp = new double[texts.size()][];
        double[][] ent = new double[texts.size()][];
        for (int i = 0; i < enc.size(); i++) {
            int len = enc.get(i).size();
            logp[i] = new double[len - 1];
            ent[i] = new double[len - 1];
            int scored = 1;
            for (int s = 0; len >= 2; s += stride) {
                int e = Math.min(s + n, len);
                windows.add(new Window(i, s, e, scored));
                scored = e;
                if (e == len) {
                    break;
                }
            }
        }
        for (List<Window> batch : batches(windows)) {
            scoreBatch(batch, enc, logp, ent);
        }
        List<TokenScores> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            BpeTokenizer.Encoding e = enc.get(i);
            out.add(new TokenScores(texts.get(i), ImmutableIntArray.copyOf(e.ids()),
                    ImmutableIntArray.copyOf(e.starts()), ImmutableIntArray.copyOf(e.ends()),
                    ImmutableDoubleArray.copyOf(logp[i]), ImmutableDoubleArray.copyOf(ent[i])));
        }
        return out;
    }

    private List<BpeTokenizer.Encoding> encodeAll(List<String> texts) {
        List<BpeTokenizer.Encoding> enc = new ArrayList<>(texts.size());
        for (String t : texts) {
            Objects.requireNonNull(t, "text");
            if (t.isEmpty()) {
                throw new IllegalArgumentException("cannot score an empty text");
            }
            BpeTokenizer.Encoding e = tokenizer.encode(t);
            if (e.size() == 0) {
                throw new IllegalArgumentException("text encodes to no tokens: " + t);
            }
            enc.add(e);
        }
        return enc;
    }

    /** Windows sorted by length, grouped so that rows times padded length stays within maxBatchTokens. */
    private List<List<Window>> batches(List<Window> windows) {
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingInt(Window::length).thenComparingInt(Window::text)
                .thenComparingInt(Window::start));
        List<List<Window>> out = new ArrayList<>();
        List<Window> cur = new ArrayList<>();
        for (Window w : sorted) {
            if (!cur.isEmpty() && (long) (cur.size() + 1) * w.length() > maxBatchTokens) {
                out.add(cur);
                cur = new ArrayList<>();
            }
            cur.add(w);
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    private void scoreBatch(List<Window> batch, List<BpeTokenizer.Encoding> enc, double[][] logp, double[][] ent) {
        int b = batch.size();
        int t = 0;
        for (Window w : batch) {
            t = Math.max(t, w.length());
        }
        long[] ids = new long[b * t];
        long[] next = new long[b * t];
        int pad = eos();
        for (int r = 0; r < b; r++) {
            Window w = batch.get(r);
            int[] all = enc.get(w.text()).ids();
            for (int j = 0; j < t; j++) {
                ids[r * t + j] = j < w.length() ? all[w.start() + j] : pad;
                next[r * t + j] = j + 1 < w.length() ? all[w.start() + j + 1] : pad;
            }
        }
        try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray in = Training.owned(scratch.create(ids, new Shape(b, t)));
            NDArray tg = Training.owned(scratch.create(next, new Shape(b, t, 1)));
            float[][] scores = Training.logProbsAndEntropies(model.forwardLogits(scratch, in, false, null), tg);
            float[] lp = scores[0];
            float[] h = scores[1];
            for (int r = 0; r < b; r++) {
                Window w = batch.get(r);
                for (int target = w.firstTarget(); target < w.end(); target++) {
                    int j = target - 1 - w.start();
                    logp[w.text()][target - 1] = Math.min(0.0, lp[r * t + j]);
                    ent[w.text()][target - 1] = Math.max(0.0, h[r * t + j]);
                }
            }
        }
    }

    /**
     * Next-token logits of one token sequence: row {@code i} holds the logits after {@code ids[0..i]}.
     *
     * @param ids 1 to {@code n_positions} token ids, each in {@code [0, vocab_size)}
     * @return {@code ids.length} rows of {@code vocab_size} logits
     */
    public float[][] logits(int[] ids) {
        checkOpen();
        Training.noGrad();
        int t = ids.length;
        if (t < 1 || t > context) {
            throw new IllegalArgumentException("need 1 to " + context + " ids, got " + t);
        }
        long[] in = new long[t];
        for (int i = 0; i < t; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("id " + ids[i] + " outside [0, " + config.vocabSize() + ")");
            }
            in[i] = ids[i];
        }
        try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray x = Training.owned(scratch.create(in, new Shape(1, t)));
            return Training.rows(model.forwardLogits(scratch, x, false, null).toFloatArray(), config.vocabSize());
        }
    }

    /**
     * Perplexity {@code exp(-sum log p / predicted tokens)} over the texts (each text's first token is not
     * predicted); NaN when no token is predicted.
     */
    public double perplexity(List<String> texts) {
        double sum = 0;
        long n = 0;
        for (TokenScores s : score(texts)) {
            sum += s.sumLogProb();
            n += s.predictedCount();
        }
        return n == 0 ? Double.NaN : Math.exp(-sum / n);
    }

    /**
     * Bits per UTF-8 byte: {@code -sum log2 p} over predicted tokens divided by the UTF-8 bytes those tokens
     * cover (the first token's bytes excluded). NaN when nothing is predicted.
     */
    public double bitsPerByte(List<String> texts) {
        double nats = 0;
        long bytes = 0;
        for (TokenScores s : score(texts)) {
            nats -= s.sumLogProb();
            if (s.size() > 1) {
                String covered = s.text().substring(s.ends().get(0));
                bytes += covered.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
        }
        return bytes == 0 ? Double.NaN : nats / Math.log(2) / bytes;
    }

    // ------------------------------------------------------------------ saliency

    @Override
    public List<SaliencyMap> saliency(List<String> texts) {
        checkOpen();
        Training.noGrad();
        List<BpeTokenizer.Encoding> enc = encodeAll(texts);
        int n = context;
        List<Window> windows = new ArrayList<>();
        double[][] norms = new double[texts.size()][];
        int[] predicted = new int[texts.size()];
        for (int i = 0; i < enc.size(); i++) {
            int len = enc.get(i).size();
            norms[i] = new double[len];
            for (int s = 0; s < len; s += n) {
                int e = Math.min(s + n, len);
                windows.add(new Window(i, s, e, s + 1));
                predicted[i] += e - s - 1;
            }
        }
        for (List<Window> batch : batches(windows)) {
            saliencyBatch(batch, enc, predicted, norms);
        }
        List<SaliencyMap> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            BpeTokenizer.Encoding e = enc.get(i);
            out.add(new SaliencyMap(texts.get(i), ImmutableIntArray.copyOf(e.ids()),
                    ImmutableIntArray.copyOf(e.starts()), ImmutableIntArray.copyOf(e.ends()),
                    ImmutableDoubleArray.copyOf(norms[i])));
        }
        return out;
    }

    private void saliencyBatch(List<Window> batch, List<BpeTokenizer.Encoding> enc, int[] predicted,
            double[][] norms) {
        GradientBatch in = gradientBatch(batch, enc, predicted);
        float[] g = model.inputSaliency(in.ids(), in.next(), in.coef(), in.b(), in.t());
        for (int r = 0; r < in.b(); r++) {
            Window w = batch.get(r);
            for (int j = 0; j < w.length(); j++) {
                float v = g[r * in.t() + j];
                norms[w.text()][w.start() + j] = Float.isFinite(v) ? v : 0.0;
            }
        }
    }

    /** Ids, next ids and loss coefficients of a saliency batch: each text's mean next-token loss. */
    private record GradientBatch(long[] ids, long[] next, float[] coef, int b, int t) {}

    private GradientBatch gradientBatch(List<Window> batch, List<BpeTokenizer.Encoding> enc, int[] predicted) {
        int b = batch.size();
        int t = 0;
        for (Window w : batch) {
            t = Math.max(t, w.length());
        }
        long[] ids = new long[b * t];
        long[] next = new long[b * t];
        float[] coef = new float[b * t];
        int pad = eos();
        for (int r = 0; r < b; r++) {
            Window w = batch.get(r);
            int[] all = enc.get(w.text()).ids();
            for (int j = 0; j < t; j++) {
                boolean target = j + 1 < w.length();
                ids[r * t + j] = j < w.length() ? all[w.start() + j] : pad;
                next[r * t + j] = target ? all[w.start() + j + 1] : pad;
                coef[r * t + j] = target && predicted[w.text()] > 0 ? 1f / predicted[w.text()] : 0f;
            }
        }
        return new GradientBatch(ids, next, coef, b, t);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The loss is the one of {@link #saliency(List)} (each text's mean next-token loss); a first pass ranks the
     * tokens by gradient norm, a second computes {@code (wte[v] - wte[x]) . g} for the chosen tokens. Candidates
     * are decoded single tokens, trimmed, deduplicated (best score kept), never an added token, blank text, a
     * partial UTF-8 sequence, control characters or the token's own trimmed text.
     */
    @Override
    public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
        checkOpen();
        if (positions < 1 || candidates < 1) {
            throw new IllegalArgumentException(
                    "positions and candidates must be >= 1, got " + positions + " and " + candidates);
        }
        List<SaliencyMap> maps = saliency(texts);
        List<BpeTokenizer.Encoding> enc = encodeAll(texts);
        int n = context;
        List<Window> windows = new ArrayList<>();
        int[] predicted = new int[texts.size()];
        List<int[]> chosen = new ArrayList<>();
        for (int i = 0; i < enc.size(); i++) {
            int len = enc.get(i).size();
            for (int s = 0; s < len; s += n) {
                int e = Math.min(s + n, len);
                windows.add(new Window(i, s, e, s + 1));
                predicted[i] += e - s - 1;
            }
            chosen.add(mostSalient(maps.get(i), positions));
        }
        String[] vocab = candidateTexts();
        List<List<TokenHint>> out = new ArrayList<>();
        Map<Long, TokenHint> byToken = new HashMap<>();
        for (List<Window> batch : batches(windows)) {
            GradientBatch in = gradientBatch(batch, enc, predicted);
            List<int[]> where = new ArrayList<>(); // {text, token index, flat batch position}
            for (int r = 0; r < batch.size(); r++) {
                Window w = batch.get(r);
                for (int token : chosen.get(w.text())) {
                    if (token >= w.start() && token < w.end()) {
                        where.add(new int[] {w.text(), token, r * in.t() + token - w.start()});
                    }
                }
            }
            if (where.isEmpty()) {
                continue;
            }
            int[] at = where.stream().mapToInt(x -> x[2]).toArray();
            float[][] align = model.gradientAlignment(in.ids(), in.next(), in.coef(), in.b(), in.t(), at);
            for (int i = 0; i < at.length; i++) {
                int text = where.get(i)[0];
                int token = where.get(i)[1];
                SaliencyMap map = maps.get(text);
                byToken.put(((long) text << 32) | token, hint(map, token, align[i], vocab, candidates));
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            List<TokenHint> hints = new ArrayList<>();
            for (int token : chosen.get(i)) {
                hints.add(byToken.get(((long) i << 32) | token));
            }
            out.add(List.copyOf(hints));
        }
        return out;
    }

    /** Token indices of the {@code k} largest norms, largest first, ties to the earlier token. */
    private static int[] mostSalient(SaliencyMap map, int k) {
        Integer[] order = new Integer[map.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, c) -> {
            int byNorm = Double.compare(map.norms().get(c), map.norms().get(a));
            return byNorm != 0 ? byNorm : Integer.compare(a, c);
        });
        int m = Math.min(k, order.length);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = order[i];
        }
        return out;
    }

    private TokenHint hint(SaliencyMap map, int token, float[] align, String[] vocab, int candidates) {
        int x = map.ids().get(token);
        Span span = new Span(map.starts().get(token), map.ends().get(token));
        String own = span.of(map.text()).strip();
        Integer[] order = new Integer[align.length];
        for (int v = 0; v < order.length; v++) {
            order[v] = v;
        }
        // score(v) = align[v] - align[x]; sorting by align[v] alone gives the same order
        Arrays.sort(order, (a, c) -> {
            int byScore = Float.compare(align[c], align[a]);
            return byScore != 0 ? byScore : Integer.compare(a, c);
        });
        List<String> words = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        seen.add(own);
        for (int v : order) {
            if (words.size() == candidates) {
                break;
            }
            String word = v < vocab.length ? vocab[v] : null;
            if (v == x || word == null || !seen.add(word)) {
                continue;
            }
            words.add(word);
            scores.add((double) align[v] - align[x]);
        }
        return TokenHint.of(token, span, map.norms().get(token), words,
                scores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Trimmed text of each vocabulary entry that can be a candidate, null for the others; computed once. */
    private String[] candidateTexts() {
        if (candidateTexts == null) {
            String[] texts = new String[tokenizer.vocabSize()];
            for (int v = 0; v < texts.length; v++) {
                if (tokenizer.isAddedToken(v)) {
                    continue;
                }
                String word;
                try {
                    word = tokenizer.decode(new int[] {v}).strip();
                } catch (IllegalArgumentException unused) {
                    continue; // an id without a token (gap in the vocabulary)
                }
                if (!word.isEmpty() && word.indexOf('\uFFFD') < 0
                        && word.codePoints().noneMatch(Character::isISOControl)) {
                    texts[v] = word;
                }
            }
            candidateTexts = texts;
        }
        return candidateTexts;
    }

    // ------------------------------------------------------------------ training

    @Override
    public TrainingReport train(List<TrainingText> texts) {
        checkOpen();
        if (texts.isEmpty()) {
            return TrainingReport.empty();
        }
        List<Sequence> seqs = new ArrayList<>();
        for (TrainingText t : texts) {
            int[] ids = withEos(tokenizer.encode(t.text()).ids());
            float[] w = new float[ids.length];
            Arrays.fill(w, (float) t.weight());
            seqs.addAll(windows(ids, w));
        }
        return fit(texts.size(), seqs);
    }

    @Override
    public TrainingReport fineTune(List<PromptCompletion> examples) {
        checkOpen();
        if (examples.isEmpty()) {
            return TrainingReport.empty();
        }
        int n = context;
        List<Sequence> seqs = new ArrayList<>();
        for (PromptCompletion ex : examples) {
            int[] p = tokenizer.encode(chat.wrap(ex.prompt())).ids();
            if (p.length == 0) {
                p = new int[] {config.bosTokenId()};
            }
            int[] c = tokenizer.encode(ex.completion()).ids();
            c = Arrays.copyOf(c, c.length + 1);
            c[c.length - 1] = answerEnd >= 0 ? answerEnd : eos();
            int keepPrompt = Math.min(p.length, Math.max(0, n - c.length));
            int[] ids = new int[keepPrompt + c.length];
            System.arraycopy(p, p.length - keepPrompt, ids, 0, keepPrompt);
            System.arraycopy(c, 0, ids, keepPrompt, c.length);
            float[] w = new float[ids.length];
            Arrays.fill(w, keepPrompt, ids.length, (float) ex.weight());
            if (keepPrompt == 0) {
                w[0] = 0f;
            }
            seqs.addAll(windows(ids, w));
        }
        return fit(examples.size(), seqs);
    }

    private int[] withEos(int[] ids) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = eos();
        return out;
    }

    /** Cuts a sequence into context-size windows overlapping by one token; drops windows without loss. */
    private List<Sequence> windows(int[] ids, float[] w) {
        int n = context;
        List<Sequence> out = new ArrayList<>();
        for (int s = 0; s < ids.length - 1; s += n - 1) {
            int e = Math.min(s + n, ids.length);
            int[] wi = Arrays.copyOfRange(ids, s, e);
            float[] ww = Arrays.copyOfRange(w, s, e);
            ww[0] = 0f;
            Sequence seq = new Sequence(wi, ww);
            if (seq.targets() > 0) {
                out.add(seq);
            }
            if (e == ids.length) {
                break;
            }
        }
        return out;
    }

    private TrainingReport fit(int examples, List<Sequence> seqs) {
        Training.noGrad();
        if (seqs.isEmpty()) {
            return new TrainingReport(examples, 0, 0, Double.NaN, Double.NaN);
        }
        TrainerConfig tc = trainer;
        List<List<List<Sequence>>> epochs = new ArrayList<>();
        int total = 0;
        for (int e = 0; e < tc.epochs(); e++) {
            List<List<Sequence>> bs = bucketed(seqs, tc.batchSize(), new Random(tc.seed() * 1_000_003L + e));
            epochs.add(bs);
            total += bs.size();
        }
        Map<String, Tensor> snapshotBase = model.lora() == null ? model.baseTensors() : null;
        Map<String, Tensor> snapshotAdapter = model.lora() != null ? model.adapterTensors() : null;
        Random dropout = new Random(tc.seed() ^ 0x5DEECE66DL);
        int step = 0;
        long tokens = 0;
        double sum = 0;
        double last = Double.NaN;
        try (AdamW opt = new AdamW(model.manager(), model.trainableNames(), model.trainable())) {
            for (List<List<Sequence>> epoch : epochs) {
                for (List<Sequence> batch : epoch) {
                    double lr = TrainerConfig.schedule(tc.learningRate(), tc.warmupSteps(), step, total);
                    Training.StepResult r = Training.step(model, opt, batch, eos(), lr, tc.weightDecay(), tc.clip(),
                            dropout);
                    step++;
                    tokens += r.tokens();
                    sum += r.loss();
                    last = r.loss();
                }
            }
        } catch (IllegalStateException e) {
            rollback(snapshotBase, snapshotAdapter);
            throw new IllegalStateException(e.getMessage() + " at step " + step + " of " + total
                    + "; the model was restored to its state before this call", e);
        }
        return new TrainingReport(examples, step, tokens, sum / step, last);
    }

    private void rollback(Map<String, Tensor> base, Map<String, Tensor> adapter) {
        try {
            if (adapter != null && model.restoreAdapterInPlace(adapter)) {
                return;
            }
            Map<String, Tensor> b = base != null ? base : model.baseTensors();
            CausalLm fresh = CausalLms.create(root, model.manager().getDevice(), config,
                    WeightSource.of(b, "snapshot"), dtype, loraConfig == null, loraConfig, adapter, "snapshot",
                    trainer.seed());
            model.close();
            model = fresh;
        } catch (IOException e) {
            throw new IllegalStateException("could not restore the snapshot", e);
        }
    }

    /** Seeded shuffle, then length buckets of batchSize sequences, then a seeded batch order. */
    private static List<List<Sequence>> bucketed(List<Sequence> seqs, int batchSize, Random rnd) {
        List<Sequence> order = new ArrayList<>(seqs);
        Collections.shuffle(order, rnd);
        order.sort(Comparator.comparingInt(s -> s.ids().length));
        List<List<Sequence>> batches = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            batches.add(order.subList(i, Math.min(i + batchSize, order.size())));
        }
        Collections.shuffle(batches, rnd);
        return batches;
    }

    // ------------------------------------------------------------------ generation

    @Override
    public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
        return generate(prompts, sampling, true);
    }

    /**
     * Samples one continuation per prompt.
     *
     * @param useCache true for incremental decoding with a key/value cache, false to recompute the whole window at
     *     every step (same tokens; for testing)
     */
    public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling, boolean useCache) {
        checkOpen();
        Training.noGrad();
        Objects.requireNonNull(sampling, "sampling");
        List<Sample> out = new ArrayList<>(prompts.size());
        int n = context;
        int rowsPerBatch = generationRows > 0 ? generationRows : Math.max(1, maxBatchTokens / n);
        Provenance prov = Provenance.of(name).with("temperature", Double.toString(sampling.temperature()))
                .with("top_k", Integer.toString(sampling.topK())).with("top_p", Double.toString(sampling.topP()))
                .with("repetition_penalty", Double.toString(sampling.repetitionPenalty()))
                .with("seed", Long.toString(sampling.seed()));
        for (int from = 0; from < prompts.size(); from += rowsPerBatch) {
            List<Prompt> chunk = prompts.subList(from, Math.min(prompts.size(), from + rowsPerBatch));
            out.addAll(generateBatch(chunk, from, sampling, useCache, prov));
        }
        return out;
    }

    private List<Sample> generateBatch(List<Prompt> prompts, int firstIndex, SamplingConfig cfg, boolean useCache,
            Provenance prov) {
        int b = prompts.size();
        int n = context;
        int eos = eos();
        int maxNew = cfg.maxNewTokens();
        int[][] rows = new int[b][];
        int[] len = new int[b];
        int[] promptLen = new int[b];
        int[] start = new int[b];
        int[] generated = new int[b];
        boolean[] done = new boolean[b];
        SplittableRandom[] rnd = new SplittableRandom[b];
        for (int i = 0; i < b; i++) {
            int[] p = tokenizer.encode(chat.wrap(prompts.get(i).text())).ids();
            if (p.length == 0) {
                p = new int[] {config.bosTokenId()};
            }
            promptLen[i] = p.length;
            rows[i] = Arrays.copyOf(p, p.length + maxNew);
            len[i] = p.length;
            start[i] = Math.max(0, p.length - n);
            rnd[i] = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + firstIndex + i);
        }
        try (AttentionCache cache = model.newCache()) {
            AttentionCache current = null;
            AttentionCache[] holder = {cache};
            float[][] logits = prefill(rows, len, start, useCache ? holder : null);
            current = holder[0];
            // rows sample independently (each its own generator): with a large vocabulary (Llama 3: 128,256
            // logits per row, a sort per row under top-p) they are sampled in parallel, with the same tokens
            boolean parallel = (long) b * config.vocabSize() >= PARALLEL_SAMPLING_LOGITS && b > 1;
            for (int step = 0; step < maxNew; step++) {
                float[][] stepLogits = logits;
                java.util.stream.IntStream rowIds = java.util.stream.IntStream.range(0, b);
                (parallel ? rowIds.parallel() : rowIds).forEach(i -> {
                    int tok;
                    if (done[i]) {
                        tok = eos;
                    } else {
                        // ids past the tokenizer's (a padded embedding, e.g. Pythia's 50304 rows for 50277
                        // tokens) are never sampled: they have no text
                        for (int k = tokenizer.vocabSize(); k < stepLogits[i].length; k++) {
                            stepLogits[i][k] = Float.NEGATIVE_INFINITY;
                        }
                        tok = Sampler.next(stepLogits[i], rows[i], len[i], cfg, rnd[i]);
                        if (stopIds.contains(tok)) {
                            done[i] = true;
                        } else {
                            generated[i]++;
                        }
                    }
                    rows[i][len[i]++] = tok;
                });
                boolean allDone = true;
                for (boolean d : done) {
                    allDone &= d;
                }
                if (allDone || step == maxNew - 1) {
                    break;
                }
                boolean slide = false;
                for (int i = 0; i < b; i++) {
                    if (len[i] - start[i] > n) {
                        // only this row's context is cut: other rows keep theirs (batch-independent results)
                        start[i] = len[i] - n / 2;
                        slide = true;
                    }
                }
                if (!useCache || slide) {
                    if (useCache) {
                        current.close();
                        holder[0] = model.newCache();
                    }
                    logits = prefill(rows, len, start, useCache ? holder : null);
                    current = holder[0];
                } else {
                    logits = decodeStep(rows, len, start, current);
                }
            }
            if (current != cache) {
                current.close();
            }
        }
        List<Sample> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int[] p = Arrays.copyOf(rows[i], promptLen[i]);
            int[] g = Arrays.copyOfRange(rows[i], promptLen[i], promptLen[i] + generated[i]);
            String completion = completionText(p, g);
            out.add(new Sample(prompts.get(i), completion, generated[i], prov));
        }
        return out;
    }

    private String completionText(int[] prompt, int[] gen) {
        if (gen.length == 0) {
            return "";
        }
        int ctx = Math.min(prompt.length, 8);
        int[] tail = Arrays.copyOfRange(prompt, prompt.length - ctx, prompt.length);
        int[] joined = Arrays.copyOf(tail, ctx + gen.length);
        System.arraycopy(gen, 0, joined, ctx, gen.length);
        String full = tokenizer.decode(joined);
        String head = tokenizer.decode(tail);
        return full.startsWith(head) ? full.substring(head.length()) : tokenizer.decode(gen);
    }

    /**
     * Runs the window {@code rows[i][start[i], len[i])} of every row, left-padded to a common length, and returns
     * the next-token logits of each row. With a cache holder, fills {@code holder[0]}.
     */
    private float[][] prefill(int[][] rows, int[] len, int[] start, AttentionCache[] holder) {
        int b = rows.length;
        int t = 0;
        for (int i = 0; i < b; i++) {
            t = Math.max(t, len[i] - start[i]);
        }
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        int[] pad = new int[b];
        for (int i = 0; i < b; i++) {
            pad[i] = t - (len[i] - start[i]);
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = j < pad[i] ? eos() : rows[i][start[i] + j - pad[i]];
                pos[i * t + j] = Math.max(0, j - pad[i]);
            }
        }
        return model.lastLogits(ids, pos, pad, b, t, holder == null ? null : holder[0]);
    }

    private float[][] decodeStep(int[][] rows, int[] len, int[] start, AttentionCache cache) {
        int b = rows.length;
        int tk = (int) cache.length() + 1;
        long[] ids = new long[b];
        long[] pos = new long[b];
        int[] pad = new int[b];
        for (int i = 0; i < b; i++) {
            int real = len[i] - start[i];
            pad[i] = tk - real;
            ids[i] = rows[i][len[i] - 1];
            pos[i] = real - 1;
        }
        return model.lastLogits(ids, pos, pad, b, 1, cache);
    }


    // ------------------------------------------------------------------ checkpoints

    @Override
    public void save(Path dir) throws IOException {
        checkOpen();
        Training.noGrad();
        Path staging = AtomicFiles.stagingDir(dir);
        try {
            writeCheckpoint(staging, dir, false, model.lora() != null);
            AtomicFiles.replaceDir(staging, dir, ownedFiles(dir));
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    /** The files of a checkpoint this class writes, plus weight shards found in {@code dir}: never carried over. */
    private static java.util.Set<String> ownedFiles(Path dir) throws IOException {
        java.util.Set<String> owned = new java.util.HashSet<>(CHECKPOINT_FILES);
        if (Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("model-\\d+-of-\\d+\\.safetensors"))
                        .forEach(owned::add);
            }
        }
        return owned;
    }

    /**
     * Writes config, tokenizer, weights (merged with the adapter when {@code merged}; else the frozen base's files
     * hard-linked when unchanged since loading, else streamed) and the adapter when {@code withAdapter} into
     * {@code dir} (must exist).
     */
    private void writeCheckpoint(Path dir, Path finalDir, boolean merged, boolean withAdapter) throws IOException {
        if (merged) {
            SafeTensors.write(dir.resolve("model.safetensors"), model.mergedTensors(), Map.of("format", "pt"));
        } else if (baseFiles == null || !linkBase(dir)) {
            model.writeBase(dir.resolve("model.safetensors"));
        }
        SafeTensors.writeBytes(dir.resolve("tokenizer.json"), tokenizerJson);
        meta.write(dir, config, tokenizer, context, tokenizerConfigJson);
        if (withAdapter) {
            SafeTensors.write(dir.resolve("adapter_model.safetensors"), model.adapterTensors(),
                    Map.of("format", "pt"));
            PeftAdapterConfig.Base base = meta.baseFor(finalDir);
            // GPT-2's Conv1D stores weights transposed
            PeftAdapterConfig.write(dir.resolve(PeftAdapterConfig.FILE), model.lora(), model instanceof Gpt2Lm,
                    base.nameOrPath(), base.revision());
        }
    }

    /**
     * Hard-links the unchanged frozen base's weight files into {@code dir} (a multi-GB base is not copied for every
     * checkpoint); false, with nothing left behind, when a file is gone or the file system cannot link.
     */
    private boolean linkBase(Path dir) {
        List<Path> made = new ArrayList<>();
        try {
            for (Path f : baseFiles) {
                Path target = dir.resolve(f.getFileName().toString());
                Files.createLink(target, f.toRealPath()); // hub snapshot files are symbolic links into blobs/
                made.add(target);
            }
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            for (Path m : made) {
                try {
                    Files.deleteIfExists(m);
                } catch (IOException ignored) {
                    // the staging directory is deleted anyway
                }
            }
            return false;
        }
    }

    /**
     * Writes the model with the adapter folded into the base weights (no adapter files): a plain checkpoint of the
     * model's family. The merge is computed in Java memory (small models).
     */
    public void saveMerged(Path dir) throws IOException {
        checkOpen();
        Training.noGrad();
        Path staging = AtomicFiles.stagingDir(dir);
        try {
            writeCheckpoint(staging, dir, true, false);
            AtomicFiles.replaceDir(staging, dir, ownedFiles(dir));
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    /**
     * Folds the LoRA adapter into the base weights ({@code W += (alpha/r) (B A)^T}) and starts a fresh adapter
     * (B = 0) of the same configuration, so the model's function is unchanged. Does nothing without LoRA.
     */
    public void mergeLora() {
        checkOpen();
        Training.noGrad();
        if (model.lora() == null) {
            return;
        }
        baseFiles = null; // the base changes
        meta.markBaseChanged();
        if (model.mergeAdapterInPlace(trainer.seed())) {
            return;
        }
        try {
            CausalLm merged = CausalLms.create(root, model.manager().getDevice(), config,
                    WeightSource.of(model.mergedTensors(), "merged"), dtype, false, loraConfig, null, "fresh adapter",
                    trainer.seed());
            model.close();
            model = merged;
        } catch (IOException e) {
            throw new IllegalStateException("merge failed", e);
        }
    }

    @Override
    public void restore(Path dir) throws IOException {
        checkOpen();
        Training.noGrad();
        ModelConfig saved = ModelConfig.read(dir.resolve("config.json"));
        if (!saved.equals(config)) {
            throw new IOException(dir.resolve("config.json") + ": architecture " + saved
                    + " differs from the loaded model's " + config);
        }
        LoraConfig adapterCfg = readAdapterConfig(dir, config);
        if (loraConfig != null && adapterCfg == null) {
            throw new IOException(dir.resolve("adapter_config.json") + ": missing; this model trains a LoRA adapter");
        }
        if (loraConfig == null && adapterCfg != null) {
            throw new IOException(dir.resolve("adapter_config.json") + ": present, but this model trains without"
                    + " LoRA");
        }
        if (adapterCfg != null && (adapterCfg.rank() != loraConfig.rank()
                || !adapterCfg.targets().equals(loraConfig.targets()) || adapterCfg.alpha() != loraConfig.alpha()
                || adapterCfg.rsLora() != loraConfig.rsLora())) {
            throw new IOException(dir.resolve("adapter_config.json") + ": adapter " + adapterCfg
                    + " differs from the model's " + loraConfig);
        }
        CausalLm fresh = loadModel(root, model.manager().getDevice(), config, dir, loraConfig, trainer.seed(), dtype);
        model.close();
        model = fresh;
        baseFiles = frozenBaseFiles(fresh, dir);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            root.close();
            tokenizer.close();
        }
    }

    /**
     * Writes a new checkpoint directory with freshly initialised weights (GPT-2 initialisation, seeded) and a
     * copy of {@code tokenizerJson}.
     */
    public static void initialize(Path dir, Gpt2Config config, Path tokenizerJson, long seed) throws IOException {
        Path staging = AtomicFiles.stagingDir(dir);
        try {
            config.write(staging.resolve("config.json"));
            SafeTensors.write(staging.resolve("model.safetensors"), Gpt2Model.initialTensors(config, seed),
                    Map.of("format", "pt"));
            Files.copy(tokenizerJson, staging.resolve("tokenizer.json"));
            CheckpointMetadata.writeTokenizerFiles(staging, config, tokenizerJson);
            AtomicFiles.replaceDir(staging, dir, CHECKPOINT_FILES);
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }
}
