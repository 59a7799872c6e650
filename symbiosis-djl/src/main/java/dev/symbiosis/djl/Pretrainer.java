package dev.symbiosis.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.corpus.Corpora;
import dev.symbiosis.core.corpus.CorpusReader;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.AdamW;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.Gpt2Model;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trains a GPT-2 model from scratch on a corpus, with a resumable checkpoint: the recipe behind the embedded
 * Generator, Student and fidelity reference models.
 *
 * <p>Data: every document of the corpus files (JSON Lines with a {@code "text"} field, plain text, or folders of
 * them; see {@link Corpora}) is encoded with the tokenizer and followed by the end-of-text token, and the documents
 * are concatenated into one token stream. With {@link #optDomains} only the documents whose provenance source (the
 * JSONL {@code "source"} field) is one of the named domains are used, so that a model can be pretrained on some of
 * the bundle's domains. Step {@code s} draws {@code batch} windows of {@code ctx + 1} tokens at
 * offsets chosen by a random generator seeded from {@code (seed, s)} alone, so a resumed run sees exactly the batches
 * an uninterrupted run would have seen.
 *
 * <p>Optimisation: AdamW ({@link AdamW}) with linear warm-up and cosine decay to 10% of the peak over all steps
 * ({@link TrainerConfig#schedule}), global-norm clipping, every parameter trained. A NaN or infinite loss stops the
 * run with an {@link IllegalStateException}; the last checkpoint is left as it was.
 *
 * <p>Checkpoint ({@code outDir}, replaced atomically every {@code checkpointEvery} steps and at the end):
 * {@code config.json}, {@code model.safetensors}, {@code tokenizer.json} (a loadable {@link DjlLanguageModel}
 * checkpoint), plus {@code optimizer.safetensors} (AdamW moments), {@code pretrain_state.json} (step and settings)
 * and {@code training-log.jsonl} (one {@code {"step", "loss", "lr"}} object per step). Running again with the same
 * settings resumes from the saved step; a directory holding another architecture or seed is refused.
 *
 * <p>Not thread-safe; runs of different pretrainers may go on several threads at once (gradients are recorded per
 * thread).
 */
public final class Pretrainer {

    /** Optimizer state file of a pretraining checkpoint. */
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    /** Progress file of a pretraining checkpoint. */
    public static final String STATE_FILE = "pretrain_state.json";
    /** Per-step log of a pretraining checkpoint. */
    public static final String LOG_FILE = "training-log.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Receives progress; called on the training thread. */
    public interface Listener {
        /**
         * After each step.
         *
         * @param step steps done (1-based)
         * @param total steps of the run
         * @param loss the step's loss (nats per token)
         * @param lr the step's learning rate
         * @param tokensPerSecond training tokens per second since this run (or resumption) started
         */
        void step(int step, int total, double loss, double lr, double tokensPerSecond);

        /** After a checkpoint was written at {@code step}. */
        default void checkpoint(int step, Path dir) {}

        /** Once, before the first step: where the run starts and how many tokens the corpus gave. */
        default void started(int fromStep, int total, long corpusTokens, long parameters) {}
    }

    /**
     * What a run did.
     *
     * @param steps steps done in total (the checkpoint's step)
     * @param resumedFrom step the run started from (0 for a fresh run)
     * @param finalLoss loss of the last step (from the log when nothing was left to do; NaN if unknown)
     * @param corpusTokens tokens in the corpus stream, end-of-text tokens included
     */
    public record Result(int steps, int resumedFrom, double finalLoss, long corpusTokens) {}

    private final List<Path> corpus;
    private final Path tokenizerFile;
    private final Path outDir;
    private int dModel = 128;
    private int nLayer = 4;
    private int nHead = 4;
    private int ctx = 128;
    private int steps = 1000;
    private int batch = 16;
    private double lr = 1e-3;
    private int warmup = -1;
    private double weightDecay = 0.01;
    private double clip = 1.0;
    private long seed = 0;
    private Set<String> domains = Set.of();
    private int checkpointEvery = 200;
    private Device device;
    private Listener listener = (s, t, l, r, tps) -> {};

    private Pretrainer(List<Path> corpus, Path tokenizerFile, Path outDir) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("at least one corpus file is needed");
        }
        this.corpus = List.copyOf(corpus);
        this.tokenizerFile = Objects.requireNonNull(tokenizerFile, "tokenizerFile");
        this.outDir = Objects.requireNonNull(outDir, "outDir");
    }

    /**
     * A pretraining run.
     *
     * @param corpus corpus files or folders (see {@link Corpora#open})
     * @param tokenizerFile the {@code tokenizer.json} to train with (copied into the checkpoint)
     * @param outDir the checkpoint directory (created; resumed when it holds a checkpoint of this run)
     */
    public static Pretrainer builder(List<Path> corpus, Path tokenizerFile, Path outDir) {
        return new Pretrainer(corpus, tokenizerFile, outDir);
    }

    /** Model width {@code n_embd}. Default 128. */
    public Pretrainer optDModel(int v) {
        this.dModel = positive("d-model", v);
        return this;
    }

    /** Transformer blocks {@code n_layer}. Default 4. */
    public Pretrainer optLayers(int v) {
        this.nLayer = positive("n-layer", v);
        return this;
    }

    /** Attention heads {@code n_head} (must divide the width). Default 4. */
    public Pretrainer optHeads(int v) {
        this.nHead = positive("n-head", v);
        return this;
    }

    /** Context length {@code n_positions} in tokens, {@code >= 2}. Default 128. */
    public Pretrainer optContext(int v) {
        if (v < 2) {
            throw new IllegalArgumentException("ctx must be >= 2, got " + v);
        }
        this.ctx = v;
        return this;
    }

    /** Optimizer steps of the whole run. Default 1000. */
    public Pretrainer optSteps(int v) {
        this.steps = positive("steps", v);
        return this;
    }

    /** Windows per step. Default 16. */
    public Pretrainer optBatch(int v) {
        this.batch = positive("batch", v);
        return this;
    }

    /** Peak learning rate. Default 1e-3. */
    public Pretrainer optLearningRate(double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("lr must be finite and > 0, got " + v);
        }
        this.lr = v;
        return this;
    }

    /** Warm-up steps. Default: 5% of the steps (at most 200). */
    public Pretrainer optWarmup(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + v);
        }
        this.warmup = v;
        return this;
    }

    /** Decoupled weight decay of matrices. Default 0.01. */
    public Pretrainer optWeightDecay(double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + v);
        }
        this.weightDecay = v;
        return this;
    }

    /** Global gradient-norm clip. Default 1.0. */
    public Pretrainer optClip(double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException("clip must be > 0, got " + v);
        }
        this.clip = v;
        return this;
    }

    /** Seed of the initialisation and the batches. Default 0. */
    public Pretrainer optSeed(long v) {
        this.seed = v;
        return this;
    }

    /**
     * Pretrains on the documents of these domains only (provenance source, i.e. the JSONL {@code "source"} field;
     * the file name for plain text). Default: empty, every document. The run fails with an {@link IOException}
     * if a named domain has no document in the corpus; the domains are part of the checkpoint's settings, so a
     * checkpoint of other domains is not resumed.
     */
    public Pretrainer optDomains(Set<String> v) {
        for (String d : v) {
            if (d == null || d.isBlank()) {
                throw new IllegalArgumentException("domain names must not be blank, got " + v);
            }
        }
        this.domains = Set.copyOf(v);
        return this;
    }

    /** Steps between checkpoints. Default 200. */
    public Pretrainer optCheckpointEvery(int v) {
        this.checkpointEvery = positive("checkpoint-every", v);
        return this;
    }

    /** Device. Default: the GPU when DJL reports one, else the CPU. */
    public Pretrainer optDevice(Device v) {
        this.device = v;
        return this;
    }

    /** Progress receiver. Default: none. */
    public Pretrainer optListener(Listener v) {
        this.listener = Objects.requireNonNull(v);
        return this;
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
        return v;
    }

    /**
     * Runs (or resumes) the training.
     *
     * @throws IOException if the corpus, tokenizer or an existing checkpoint cannot be read, or the checkpoint
     *     cannot be written
     * @throws IllegalStateException if the loss becomes NaN or infinite (the last checkpoint is kept)
     */
    public Result run() throws IOException {
        Engine engine = TorchEngine.get();
        Training.noGrad();
        try (BpeTokenizer tok = BpeTokenizer.load(tokenizerFile)) {
            Gpt2Config cfg = Gpt2Config.of(tok.vocabSize(), ctx, dModel, nLayer, nHead, tok.eosId());
            int[] stream = encodeCorpus(tok);
            if (stream.length < 2) {
                throw new IOException(corpus.get(0) + ": corpus gives fewer than 2 tokens");
            }
            int warm = warmup >= 0 ? warmup : Math.min(200, steps / 20);
            int start = 0;
            List<String> log = new ArrayList<>();
            Map<String, Tensor> weights = Gpt2Model.initialTensors(cfg, seed);
            Map<String, Tensor> moments = null;
            if (Files.exists(outDir.resolve(STATE_FILE))) {
                start = readState(cfg);
                weights = SafeTensors.read(outDir.resolve("model.safetensors")).tensors();
                Path opt = outDir.resolve(OPTIMIZER_FILE);
                moments = Files.exists(opt) ? SafeTensors.read(opt).tensors() : null;
                log = readLog(start);
            }
            Device dev = device != null ? device : engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            try (NDManager root = engine.newBaseManager(dev);
                    Gpt2Model model = Gpt2Model.create(root, dev, cfg, weights, outDir.resolve("model.safetensors")
                            .toString(), true, null, null, null, 0L);
                    AdamW opt = new AdamW(model.manager(), model.trainableNames(), model.trainable())) {
                if (moments != null) {
                    opt.load(moments, start, outDir.resolve(OPTIMIZER_FILE).toString());
                }
                listener.started(start, steps, stream.length, cfg.parameterCount());
                long t0 = System.nanoTime();
                long tokens = 0;
                double loss = lastLoggedLoss(log);
                int done = start;
                for (int s = start; s < steps; s++) {
                    double rate = TrainerConfig.schedule(lr, warm, s, steps);
                    Training.StepResult r = Training.step(model, opt, batchAt(stream, s), tok.padId(), rate,
                            weightDecay, clip, null);
                    loss = r.loss();
                    tokens += r.tokens();
                    done = s + 1;
                    log.add(JSON.writeValueAsString(JSON.createObjectNode().put("step", done).put("loss", loss)
                            .put("lr", rate)));
                    double secs = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
                    listener.step(done, steps, loss, rate, tokens / secs);
                    if (done % checkpointEvery == 0 || done == steps) {
                        writeCheckpoint(cfg, model, opt, done, log);
                        listener.checkpoint(done, outDir);
                    }
                }
                if (start >= steps && !Files.exists(outDir.resolve("model.safetensors"))) {
                    writeCheckpoint(cfg, model, opt, done, log);
                }
                return new Result(done, start, loss, stream.length);
            }
        }
    }

    /** The windows of step {@code s}: {@code batch} random slices of {@code ctx + 1} tokens, seeded by (seed, s). */
    List<Training.Sequence> batchAt(int[] stream, int s) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + s);
        int len = Math.min(ctx + 1, stream.length);
        List<Training.Sequence> out = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            int offset = stream.length == len ? 0 : rng.nextInt(stream.length - len + 1);
            float[] w = new float[len];
            Arrays.fill(w, 1, len, 1f);
            out.add(new Training.Sequence(Arrays.copyOfRange(stream, offset, offset + len), w));
        }
        return out;
    }

    private int[] encodeCorpus(BpeTokenizer tok) throws IOException {
        int[] buf = new int[1 << 16];
        int n = 0;
        Map<String, Integer> seen = new TreeMap<>();
        for (Path p : corpus) {
            try (CorpusReader reader = Corpora.open(p)) {
                for (Document d : reader) {
                    String source = d.provenance().source();
                    seen.merge(source, 1, Integer::sum);
                    if (d.text().isEmpty() || !domains.isEmpty() && !domains.contains(source)) {
                        continue;
                    }
                    int[] ids = tok.encodeIds(d.text());
                    while (n + ids.length + 1 > buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    System.arraycopy(ids, 0, buf, n, ids.length);
                    n += ids.length;
                    buf[n++] = tok.eosId();
                }
            }
        }
        Set<String> missing = new TreeSet<>(domains);
        missing.removeAll(seen.keySet());
        if (!missing.isEmpty()) {
            throw new IOException(corpus + ": no document of domain(s) " + missing + "; the corpus has "
                    + seen.keySet());
        }
        return Arrays.copyOf(buf, n);
    }

    private ObjectNode settings(Gpt2Config cfg) {
        ObjectNode o = JSON.createObjectNode();
        o.put("vocab_size", cfg.vocabSize());
        o.put("n_positions", cfg.nPositions());
        o.put("n_embd", cfg.nEmbd());
        o.put("n_layer", cfg.nLayer());
        o.put("n_head", cfg.nHead());
        o.put("seed", seed);
        o.put("batch", batch);
        if (!domains.isEmpty()) { // absent for an unfiltered run, so that older checkpoints still resume
            o.put("domains", String.join(",", new TreeSet<>(domains)));
        }
        return o;
    }

    private int readState(Gpt2Config cfg) throws IOException {
        Path f = outDir.resolve(STATE_FILE);
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new IOException(f + ": not valid JSON: " + e.getMessage(), e);
        }
        ObjectNode expected = settings(cfg);
        for (var it = expected.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode have = n.get(e.getKey());
            if (have == null || !have.asText().equals(e.getValue().asText())) {
                throw new IOException(f + ": field " + e.getKey() + " is " + have + " but this run has "
                        + e.getValue() + "; use another --out directory or the original settings");
            }
        }
        if (n.has("domains") && !expected.has("domains")) {
            throw new IOException(f + ": the checkpoint was pretrained on domains " + n.get("domains")
                    + " but this run uses every document; use another --out directory or the original settings");
        }
        JsonNode step = n.get("step");
        if (step == null || !step.canConvertToInt() || step.asInt() < 0) {
            throw new IOException(f + ": field step must be a non-negative integer, got " + step);
        }
        return step.asInt();
    }

    private List<String> readLog(int upTo) throws IOException {
        Path f = outDir.resolve(LOG_FILE);
        List<String> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new IOException(f + ": line " + (out.size() + 1) + " is not valid JSON", e);
            }
            if (n.path("step").asInt(Integer.MAX_VALUE) <= upTo) {
                out.add(line);
            }
        }
        return out;
    }

    private static double lastLoggedLoss(List<String> log) throws IOException {
        return log.isEmpty() ? Double.NaN : JSON.readTree(log.get(log.size() - 1)).path("loss").asDouble(Double.NaN);
    }

    private void writeCheckpoint(Gpt2Config cfg, Gpt2Model model, AdamW opt, int step, List<String> log)
            throws IOException {
        Path staging = AtomicFiles.stagingDir(outDir);
        try {
            cfg.write(staging.resolve("config.json"));
            SafeTensors.write(staging.resolve("model.safetensors"), model.baseTensors(), Map.of("format", "pt"));
            Files.copy(tokenizerFile, staging.resolve("tokenizer.json"));
            CheckpointMetadata.writeTokenizerFiles(staging, cfg, tokenizerFile); // for transformers' AutoTokenizer
            SafeTensors.write(staging.resolve(OPTIMIZER_FILE), opt.toTensors(),
                    Map.of("step", Integer.toString(step)));
            ObjectNode state = settings(cfg);
            state.put("step", step);
            state.put("steps", steps);
            state.put("lr", lr);
            Files.write(staging.resolve(STATE_FILE), JSON.writeValueAsBytes(state));
            StringBuilder sb = new StringBuilder();
            for (String l : log) {
                sb.append(l).append('\n');
            }
            Files.writeString(staging.resolve(LOG_FILE), sb.toString(), StandardCharsets.UTF_8);
            AtomicFiles.replaceDir(staging, outDir);
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    /** {@code mm:ss} or {@code h:mm:ss} of a duration in seconds. */
    public static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
