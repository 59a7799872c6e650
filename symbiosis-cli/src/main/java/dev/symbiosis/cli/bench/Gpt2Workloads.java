package dev.symbiosis.cli.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.djl.DjlLanguageModel;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.AdamW;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.Gpt2Model;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.Sampler;
import dev.symbiosis.djl.model.Training;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The peer's workloads on the project's engine ({@link Gpt2Model}, {@link Training#step}, {@link AdamW},
 * {@link Sampler}), on random token ids as the peer uses them.
 *
 * <p>Training steps call {@link Training#step} itself (forward, cross-entropy, backward, global gradient norm,
 * AdamW). Scoring, saliency and generation repeat, at the {@link Gpt2Model.Pass} level, the batch code of
 * {@code DjlLanguageModel} (its {@code scoreBatch}, {@code saliencyBatch}, {@code prefill}/{@code decodeStep} and
 * Java-side sampling), without the tokenizer, which the peer does not run either. The model is
 * {@code Gpt2Config.of(vocab, max_pos, d, layers, heads, vocab - 1)} with GPT-2 initialisation: the architecture
 * of the peer (pre-LayerNorm, learned positions, tied head, 4x GELU MLP) except fused q/k/v and tanh GELU.
 */
public final class Gpt2Workloads implements EngineWorkloads {

    private final BenchConfig cfg;
    private final Gpt2Config gpt;
    private final NDManager manager;
    private final Map<String, Tensor> init;
    private final Random random;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Gpt2Model frozen;
    private long loraTrainable = -1;
    private int[] saliencyShape = new int[0];

    private Gpt2Workloads(BenchConfig cfg) {
        this.cfg = cfg;
        this.gpt = Gpt2Config.of(cfg.vocab(), cfg.maxPos(), cfg.dModel(), cfg.nLayer(), cfg.nHead(), cfg.vocab() - 1);
        this.manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
        Engine.getEngine("PyTorch").setRandomSeed(cfg.seed());
        this.init = Gpt2Model.initialTensors(gpt, cfg.seed());
        this.random = new Random(cfg.seed());
        Training.noGrad();
    }

    /** Workloads for {@code cfg} on the PyTorch engine, CPU. */
    public static Gpt2Workloads open(BenchConfig cfg) {
        return new Gpt2Workloads(cfg);
    }

    @Override
    public String description() {
        return "dev.symbiosis.djl.model.Gpt2Model (fused qkv, tanh GELU, tied head), fp32, CPU";
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (String name : Gpt2Model.parameterNames(gpt)) {
            n += size(Gpt2Model.expectedShape(gpt, name));
        }
        return n;
    }

    @Override
    public long nonEmbeddingParameterCount() {
        return parameterCount() - size(Gpt2Model.expectedShape(gpt, "transformer.wte.weight"))
                - size(Gpt2Model.expectedShape(gpt, "transformer.wpe.weight"));
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private int[] randomIds(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = random.nextInt(cfg.vocab());
        }
        return ids;
    }

    /** batch sequences of ctx + 1 random ids (ctx inputs, ctx targets), every target weighted 1. */
    private List<Training.Sequence> randomBatch() {
        List<Training.Sequence> batch = new ArrayList<>(cfg.batch());
        for (int i = 0; i < cfg.batch(); i++) {
            float[] w = new float[cfg.ctx() + 1];
            Arrays.fill(w, 1f);
            batch.add(new Training.Sequence(randomIds(cfg.ctx() + 1), w));
        }
        return batch;
    }

    private Gpt2Model create(boolean baseTrainable, LoraConfig lora) throws IOException {
        Gpt2Model m = Gpt2Model.create(manager, Device.cpu(), gpt, init, "bench-init", baseTrainable, lora, null, null,
                cfg.seed());
        open.add(m);
        return m;
    }

    private BenchStats.Action trainStep(Gpt2Model model) {
        AdamW opt = new AdamW(model.manager(), model.trainableNames(), model.trainable());
        List<Training.Sequence> batch = randomBatch();
        // the peer neither clips nor checks the norm; the engine always computes the norm, clipping is disabled
        return () -> Training.step(model, opt, batch, -1, 1e-3, 0.01, Double.MAX_VALUE, null);
    }

    @Override
    public BenchStats.Action prepareFullTrainStep() throws IOException {
        return trainStep(create(true, null));
    }

    @Override
    public BenchStats.Action prepareLoraTrainStep() throws IOException {
        closeModels();
        Gpt2Model model = create(false,
                new LoraConfig(cfg.loraRank(), cfg.loraAlpha(), 0.0, LoraConfig.ALL_TARGETS));
        loraTrainable = model.trainableCount();
        return trainStep(model);
    }

    @Override
    public long loraTrainableParameters() {
        return loraTrainable;
    }

    private Gpt2Model frozen() throws IOException {
        if (frozen == null) {
            closeModels();
            frozen = create(false, null);
        }
        return frozen;
    }

    @Override
    public BenchStats.Action prepareSaliency() throws IOException {
        Gpt2Model model = frozen();
        int b = cfg.salBatch();
        int t = cfg.ctx();
        long[] ids = toLongs(randomIds(b * t));
        long[] next = toLongs(randomIds(b * t));
        float[] coef = new float[b * t];
        Arrays.fill(coef, 1f / (b * t)); // mean cross-entropy, as the peer's F.cross_entropy
        return () -> {
            float[] g = model.inputSaliency(ids, next, coef, b, t);
            saliencyShape = new int[] {b, t};
            if (g.length != b * t) {
                throw new IllegalStateException("saliency has " + g.length + " values, expected " + b * t);
            }
        };
    }

    @Override
    public int[] saliencyShape() {
        return saliencyShape.clone();
    }

    @Override
    public BenchStats.Action prepareScore() throws IOException {
        Gpt2Model model = frozen();
        int b = cfg.scoreBatch();
        int t = cfg.scoreLen();
        int[] seq = randomIds(b * t);
        long[] ids = toLongs(seq);
        long[] next = new long[b * t];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < t; j++) {
                next[r * t + j] = j + 1 < t ? seq[r * t + j + 1] : gpt.eosTokenId();
            }
        }
        // Scored in batches of at most DEFAULT_MAX_BATCH_TOKENS rows x length, as DjlLanguageModel batches them.
        int rowsPerBatch = Math.max(1, Math.min(b, DjlLanguageModel.DEFAULT_MAX_BATCH_TOKENS / t));
        return () -> {
            double[] ll = new double[b];
            double[] ent = new double[b];
            for (int r0 = 0; r0 < b; r0 += rowsPerBatch) {
                int rows = Math.min(rowsPerBatch, b - r0);
                try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
                    scope.suppressNotUsedWarning();
                    Gpt2Model.Pass pass = model.new Pass(scratch, false, null);
                    NDArray in = Training.owned(scratch.create(
                            Arrays.copyOfRange(ids, r0 * t, (r0 + rows) * t), new Shape(rows, t)));
                    NDArray tg = Training.owned(scratch.create(
                            Arrays.copyOfRange(next, r0 * t, (r0 + rows) * t), new Shape(rows, t, 1)));
                    NDArray pos = scratch.arange(0L, (long) t, 1L, DataType.INT64).reshape(1, t);
                    float[][] scores = Training.logProbsAndEntropies(
                            pass.logits(pass.hidden(pass.embed(in), pos, pass.causalMask(t), null)), tg);
                    float[] lp = scores[0];
                    float[] h = scores[1];
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j + 1 < t; j++) {
                            ll[r0 + r] += lp[r * t + j];
                            ent[r0 + r] += h[r * t + j];
                        }
                        ll[r0 + r] /= t - 1;
                        ent[r0 + r] /= t - 1;
                    }
                }
            }
            if (!Double.isFinite(ll[0]) || !Double.isFinite(ent[0])) {
                throw new IllegalStateException("score is not finite");
            }
        };
    }

    private static long[] toLongs(int[] ints) {
        long[] out = new long[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = ints[i];
        }
        return out;
    }

    // ------------------------------------------------------------------ generation

    private int[][] prompts;

    private int[][] prompts() {
        if (prompts == null) {
            prompts = new int[cfg.genBatch()][];
            for (int i = 0; i < prompts.length; i++) {
                prompts[i] = randomIds(cfg.prompt());
            }
        }
        return prompts;
    }

    @Override
    public BenchStats.Action prepareGenerateRecompute() throws IOException {
        Gpt2Model model = frozen();
        int[][] p = prompts();
        long[] seed = {100};
        return () -> generate(model, p, false, seed[0]++);
    }

    @Override
    public BenchStats.Action prepareGenerateKvCache() throws IOException {
        Gpt2Model model = frozen();
        int[][] p = prompts();
        long[] seed = {100};
        return () -> generate(model, p, true, seed[0]++);
    }

    @Override
    public boolean kvCacheMatchesRecompute() throws IOException {
        Gpt2Model model = frozen();
        int[][] a = generate(model, prompts(), false, 7);
        int[][] b = generate(model, prompts(), true, 7);
        return Arrays.deepEquals(a, b);
    }

    /**
     * Samples new_tokens tokens per prompt at temperature 1 (no top-k, top-p or repetition penalty), as
     * DjlLanguageModel's generateBatch does: prefill, then one decode step per token with the cache, or the whole
     * prefix again without it; logits go to Java and {@link Sampler#next} draws each row's token.
     */
    private int[][] generate(Gpt2Model model, int[][] promptIds, boolean useCache, long seed) {
        int b = promptIds.length;
        int newTokens = cfg.newTokens();
        SamplingConfig sampling = new SamplingConfig(1.0, 0, 1.0, 1.0, newTokens, seed);
        int[][] rows = new int[b][];
        int[] len = new int[b];
        SplittableRandom[] rnd = new SplittableRandom[b];
        for (int i = 0; i < b; i++) {
            rows[i] = Arrays.copyOf(promptIds[i], promptIds[i].length + newTokens);
            len[i] = promptIds[i].length;
            rnd[i] = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        }
        try (Gpt2Model.KvCache cache = new Gpt2Model.KvCache(model.manager(), gpt.nLayer())) {
            float[][] logits = prefill(model, rows, len, useCache ? cache : null);
            for (int step = 0; step < newTokens; step++) {
                for (int i = 0; i < b; i++) {
                    rows[i][len[i]] = Sampler.next(logits[i], rows[i], len[i], sampling, rnd[i]);
                    len[i]++;
                }
                if (step == newTokens - 1) {
                    break;
                }
                logits = useCache ? decodeStep(model, rows, len, cache) : prefill(model, rows, len, null);
            }
        }
        return rows;
    }

    private float[][] prefill(Gpt2Model model, int[][] rows, int[] len, Gpt2Model.KvCache cache) {
        int b = rows.length;
        int t = 0;
        for (int i = 0; i < b; i++) {
            t = Math.max(t, len[i]);
        }
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        int[] pad = new int[b];
        for (int i = 0; i < b; i++) {
            pad[i] = t - len[i];
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = j < pad[i] ? gpt.eosTokenId() : rows[i][j - pad[i]];
                pos[i * t + j] = Math.max(0, j - pad[i]);
            }
        }
        return model.lastLogits(ids, pos, pad, b, t, cache);
    }

    private float[][] decodeStep(Gpt2Model model, int[][] rows, int[] len, Gpt2Model.KvCache cache) {
        int b = rows.length;
        int tk = (int) cache.length() + 1;
        long[] ids = new long[b];
        long[] pos = new long[b];
        int[] pad = new int[b];
        for (int i = 0; i < b; i++) {
            pad[i] = tk - len[i];
            ids[i] = rows[i][len[i] - 1];
            pos[i] = len[i] - 1;
        }
        return model.lastLogits(ids, pos, pad, b, 1, cache);
    }


    // ------------------------------------------------------------------ lifecycle

    private void closeModels() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot free a benchmark model", e);
            }
        }
        open.clear();
        frozen = null;
    }

    @Override
    public void close() {
        try {
            closeModels();
        } finally {
            manager.close();
        }
    }
}
