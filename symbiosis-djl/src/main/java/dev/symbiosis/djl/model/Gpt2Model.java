package dev.symbiosis.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The parameters and forward pass of a GPT-2 language model (Hugging Face {@code GPT2LMHeadModel} semantics:
 * learned positions, pre-LayerNorm blocks, fused qkv, tanh-approximated GELU, final LayerNorm, LM head tied to the
 * token embedding), written with plain NDArray operations on parameters this class owns, with an optional LoRA
 * adapter. Dropout of the base model is not applied (all GPT-2 dropout rates are treated as 0).
 *
 * <p>Parameters are kept under their GPT-2 names with the {@code transformer.} prefix, e.g.
 * {@code transformer.h.0.attn.c_attn.weight} of shape {@code [d, 3d]} (Conv1D layout: {@code y = x W + b}).
 *
 * <p>Not thread-safe. Every forward pass must run inside an {@link ai.djl.ndarray.NDScope}: intermediate arrays
 * are closed by the scope. Closing the model releases all its native memory.
 */
public final class Gpt2Model implements AutoCloseable {

    /** Per-layer parameter suffixes with their shapes as multiples of d (rows, cols; 0 = vector of cols). */
    private static final String[] LAYER_PARAMS = {
        "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight",
        "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight",
        "mlp.c_proj.bias"
    };

    private final Gpt2Config config;
    private final NDManager manager;
    private final boolean baseTrainable;
    private final LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, NDArray> detached = new HashMap<>();
    private final LoraConfig lora;
    private final LinkedHashMap<String, NDArray> loraParams = new LinkedHashMap<>();
    private final Map<String, NDArray> loraDetached = new HashMap<>();

    private Gpt2Model(Gpt2Config config, NDManager manager, boolean baseTrainable, LoraConfig lora) {
        this.config = config;
        this.manager = manager;
        this.baseTrainable = baseTrainable;
        this.lora = lora;
    }

    /** Canonical parameter names in a fixed order. */
    public static List<String> parameterNames(Gpt2Config cfg) {
        List<String> names = new ArrayList<>();
        names.add("transformer.wte.weight");
        names.add("transformer.wpe.weight");
        for (int i = 0; i < cfg.nLayer(); i++) {
            for (String s : LAYER_PARAMS) {
                names.add("transformer.h." + i + "." + s);
            }
        }
        names.add("transformer.ln_f.weight");
        names.add("transformer.ln_f.bias");
        return names;
    }

    /** The expected shape of a canonical parameter. */
    public static long[] expectedShape(Gpt2Config cfg, String name) {
        long d = cfg.nEmbd();
        if (name.equals("transformer.wte.weight")) {
            return new long[] {cfg.vocabSize(), d};
        }
        if (name.equals("transformer.wpe.weight")) {
            return new long[] {cfg.nPositions(), d};
        }
        String s = name.startsWith("transformer.h.") ? name.substring(name.indexOf('.', 14) + 1) : name;
        return switch (s) {
            case "attn.c_attn.weight" -> new long[] {d, 3 * d};
            case "attn.c_attn.bias" -> new long[] {3 * d};
            case "attn.c_proj.weight" -> new long[] {d, d};
            case "mlp.c_fc.weight" -> new long[] {d, 4 * d};
            case "mlp.c_fc.bias" -> new long[] {4 * d};
            case "mlp.c_proj.weight" -> new long[] {4 * d, d};
            default -> new long[] {d};
        };
    }

    /** Input and output width of a LoRA target module. */
    static long[] inOut(Gpt2Config cfg, String target) {
        long d = cfg.nEmbd();
        return switch (target) {
            case "attn.c_attn" -> new long[] {d, 3 * d};
            case "attn.c_proj" -> new long[] {d, d};
            case "mlp.c_fc" -> new long[] {d, 4 * d};
            case "mlp.c_proj" -> new long[] {4 * d, d};
            default -> throw new IllegalArgumentException(target);
        };
    }

    /**
     * GPT-2 initialisation: normal(0, 0.02) for embeddings and weights, residual projections scaled by
     * {@code 1/sqrt(2 n_layer)}, zero biases, unit LayerNorm gains. Deterministic for a seed.
     */
    public static Map<String, Tensor> initialTensors(Gpt2Config cfg, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        double projStd = 0.02 / Math.sqrt(2.0 * cfg.nLayer());
        for (String name : parameterNames(cfg)) {
            long[] shape = expectedShape(cfg, name);
            long n = 1;
            for (long x : shape) {
                n *= x;
            }
            float[] data = new float[(int) n];
            if (name.endsWith(".bias")) {
                // zeros
            } else if (name.contains("ln_")) {
                Arrays.fill(data, 1f);
            } else {
                double std = name.endsWith("c_proj.weight") ? projStd : 0.02;
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (rnd.nextGaussian() * std);
                }
            }
            out.put(name, new Tensor(shape, data));
        }
        return out;
    }

    /**
     * Builds a model from tensors with GPT-2 names (with or without the {@code transformer.} prefix;
     * {@code attn.bias}, {@code attn.masked_bias} and a tied {@code lm_head.weight} are ignored).
     *
     * @param source file name used in error messages
     * @param baseTrainable whether the base parameters take gradients (full fine-tuning)
     * @param lora the adapter configuration, or null for none
     * @param adapter adapter tensors under PEFT names, or null for a fresh adapter (A Kaiming-uniform, B zero)
     * @param loraSeed seed of a fresh adapter's initialisation
     * @throws IOException naming {@code source} and the tensor if a tensor is missing, unexpected or mis-shaped
     */
    public static Gpt2Model create(NDManager parent, Device device, Gpt2Config cfg, Map<String, Tensor> tensors,
            String source, boolean baseTrainable, LoraConfig lora, Map<String, Tensor> adapter, String adapterSource,
            long loraSeed) throws IOException {
        Map<String, Tensor> canon = new HashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String n = e.getKey();
            if (n.endsWith(".attn.bias") || n.endsWith(".attn.masked_bias") || n.equals("lm_head.weight")) {
                continue;
            }
            String c = n.startsWith("transformer.") ? n : "transformer." + n;
            if (canon.put(c, e.getValue()) != null) {
                throw new IOException(source + ": tensor '" + n + "' appears twice (with and without prefix)");
            }
        }
        List<String> names = parameterNames(cfg);
        for (String n : canon.keySet()) {
            if (!names.contains(n)) {
                throw new IOException(source + ": unexpected tensor '" + n + "' for a GPT-2 of " + cfg.nLayer()
                        + " layers");
            }
        }
        for (String n : names) {
            Tensor t = canon.get(n);
            if (t == null) {
                throw new IOException(source + ": missing tensor '" + n + "'");
            }
            if (!Arrays.equals(t.shape(), expectedShape(cfg, n))) {
                throw new IOException(source + ": tensor '" + n + "' has shape " + Arrays.toString(t.shape())
                        + ", config.json implies " + Arrays.toString(expectedShape(cfg, n)));
            }
        }
        NDManager m = parent.newSubManager(device);
        Gpt2Model model = new Gpt2Model(cfg, m, baseTrainable, lora);
        try {
            for (String n : names) {
                NDArray p = model.upload(canon.get(n));
                if (baseTrainable) {
                    p.setRequiresGradient(true);
                }
                model.params.put(n, p);
                model.detached.put(n, p.stopGradient());
            }
            if (lora != null) {
                model.initLora(adapter, adapterSource, loraSeed);
            }
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return model;
    }

    private NDArray upload(Tensor t) {
        NDArray tmp = manager.create(t.data(), new Shape(t.shape()));
        NDArray p = tmp.duplicate();
        tmp.close();
        return p;
    }

    /** PEFT name of a LoRA matrix, e.g. {@code base_model.model.transformer.h.0.attn.c_attn.lora_A.weight}. */
    public static String peftName(int layer, String target, char ab) {
        return "base_model.model.transformer.h." + layer + "." + target + ".lora_" + ab + ".weight";
    }

    private void initLora(Map<String, Tensor> adapter, String source, long seed) throws IOException {
        Random rnd = new Random(seed);
        for (int l = 0; l < config.nLayer(); l++) {
            for (String target : lora.targets()) {
                long[] io = inOut(config, target);
                long[] aShape = {lora.rank(), io[0]};
                long[] bShape = {io[1], lora.rank()};
                Tensor a;
                Tensor b;
                if (adapter != null) {
                    a = adapterTensor(adapter, source, peftName(l, target, 'A'), aShape);
                    b = adapterTensor(adapter, source, peftName(l, target, 'B'), bShape);
                } else {
                    float[] ad = new float[(int) (aShape[0] * aShape[1])];
                    double bound = 1.0 / Math.sqrt(io[0]);
                    for (int i = 0; i < ad.length; i++) {
                        ad[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                    }
                    a = new Tensor(aShape, ad);
                    b = new Tensor(bShape, new float[(int) (bShape[0] * bShape[1])]);
                }
                String key = l + "." + target;
                for (Map.Entry<String, Tensor> e : Map.of(key + ".A", a, key + ".B", b).entrySet()) {
                    NDArray p = upload(e.getValue());
                    p.setRequiresGradient(true);
                    loraParams.put(e.getKey(), p);
                    loraDetached.put(e.getKey(), p.stopGradient());
                }
            }
        }
    }

    private static Tensor adapterTensor(Map<String, Tensor> adapter, String source, String name, long[] shape)
            throws IOException {
        Tensor t = adapter.get(name);
        if (t == null) {
            t = adapter.get(name.replace(".lora_A.weight", ".lora_A.default.weight")
                    .replace(".lora_B.weight", ".lora_B.default.weight"));
        }
        if (t == null) {
            throw new IOException(source + ": missing adapter tensor '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IOException(source + ": adapter tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    /**
     * Input saliency of a batch: for {@code b} rows of {@code t} tokens {@code ids} with next tokens {@code next}
     * and per-position loss coefficients {@code coef} (0 where nothing is predicted), the L2 norm of the gradient of
     * {@code -sum(coef * log p(next))} with respect to each input embedding. The embeddings are detached leaves, so
     * the parameters receive no gradient; every intermediate lives in a scratch manager closed before returning.
     *
     * @return {@code b * t} norms, row-major
     */
    public float[] inputSaliency(long[] ids, long[] next, float[] coef, int b, int t) {
        return withInputGradient(ids, next, coef, b, t, g -> g.square().sum(new int[] {2}).sqrt().toFloatArray());
    }

    /**
     * The gradient of {@link #inputSaliency}'s loss at the flat positions {@code at} ({@code row * t + column}),
     * projected on every token embedding: row {@code i} holds {@code wte[v] . g(at[i])} for every vocabulary entry
     * {@code v}. The first-order loss change of replacing token {@code x} by {@code v} at that position is then
     * {@code row[v] - row[x]} (HotFlip). One extra forward and backward; no parameter receives gradient.
     *
     * @return {@code at.length} rows of {@code vocabSize} values
     */
    public float[][] gradientAlignment(long[] ids, long[] next, float[] coef, int b, int t, int[] at) {
        float[] grad = withInputGradient(ids, next, coef, b, t, NDArray::toFloatArray);
        return Training.embeddingAlignment(manager(), grad, b, t, at, () -> detached.get("transformer.wte.weight"));
    }

    /** Runs forward and backward to the (detached, leaf) input embeddings and reads their (b, t, d) gradient. */
    private <R> R withInputGradient(long[] ids, long[] next, float[] coef, int b, int t,
            java.util.function.Function<NDArray, R> read) {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope();
                NDManager scratch = manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            Pass pass = new Pass(scratch, false, null);
            NDArray in = Training.owned(scratch.create(ids, new Shape(b, t)));
            NDArray tg = Training.owned(scratch.create(next, new Shape(b, t, 1)));
            NDArray cf = Training.owned(scratch.create(coef, new Shape(b, t)));
            NDArray pos = scratch.arange(0L, (long) t, 1L, DataType.INT64).reshape(1, t);
            NDArray emb = pass.embed(in).stopGradient();
            emb.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector gc =
                    ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray lsm = pass.logits(pass.hidden(emb, pos, pass.causalMask(t), null)).logSoftmax(-1);
                NDArray loss = lsm.gather(tg, 2).reshape(b, t).mul(cf).sum().neg();
                gc.backward(loss);
            } finally {
                Training.noGrad();
            }
            return read.apply(emb.getGradient());
        }
    }

    /**
     * Next-token logits at the last position of every row, without gradients: one forward of {@code ids}
     * ({@code b} rows of {@code t} tokens, with positions {@code pos}) attending causally to the cached positions
     * and its own, except to the first {@code pad[i]} key positions of row {@code i} (left padding); with a cache,
     * the keys and values are appended to it. Every intermediate lives in a scratch manager closed before
     * returning.
     *
     * @return {@code b} arrays of {@code vocabSize} logits
     */
    public float[][] lastLogits(long[] ids, long[] pos, int[] pad, int b, int t, KvCache cache) {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope();
                NDManager scratch = manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            Pass pass = new Pass(scratch, false, null);
            NDArray in = Training.owned(scratch.create(ids, new Shape(b, t)));
            NDArray p = Training.owned(scratch.create(pos, new Shape(b, t)));
            int tk = (int) (cache == null ? 0 : cache.length()) + t;
            NDArray m = PaddingMask.select(scratch, pad, t, tk, pass::causalMask);
            NDArray hidden = pass.hidden(pass.embed(in), p, m, cache);
            NDArray last = hidden.get(":, -1, :").reshape(b, 1, config.nEmbd());
            return Training.rows(pass.logits(last).toFloatArray(), config.vocabSize());
        }
    }

    public Gpt2Config config() {
        return config;
    }

    /** The adapter configuration, or null. */
    public LoraConfig lora() {
        return lora;
    }

    /** The manager owning the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** The arrays an optimizer updates: the LoRA matrices with an adapter, else every base parameter. */
    public List<NDArray> trainable() {
        if (lora != null) {
            return new ArrayList<>(loraParams.values());
        }
        return baseTrainable ? new ArrayList<>(params.values()) : List.of();
    }

    /** Names matching {@link #trainable()} in order. */
    public List<String> trainableNames() {
        if (lora != null) {
            return new ArrayList<>(loraParams.keySet());
        }
        return baseTrainable ? new ArrayList<>(params.keySet()) : List.of();
    }

    /** Base parameters as Java tensors under canonical (prefixed) names. */
    public Map<String, Tensor> baseTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        params.forEach((n, p) -> out.put(n, new Tensor(p.getShape().getShape(), p.toFloatArray())));
        return out;
    }

    /** Adapter matrices under PEFT names; empty without an adapter. */
    public Map<String, Tensor> adapterTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        loraParams.forEach((k, p) -> {
            int dot = k.indexOf('.');
            int layer = Integer.parseInt(k.substring(0, dot));
            String target = k.substring(dot + 1, k.length() - 2);
            char ab = k.charAt(k.length() - 1);
            out.put(peftName(layer, target, ab), new Tensor(p.getShape().getShape(), p.toFloatArray()));
        });
        return out;
    }

    /** Base tensors with the adapter folded in: {@code W += (alpha/r) (B A)^T} for every adapted module. */
    public Map<String, Tensor> mergedTensors() {
        Map<String, Tensor> base = baseTensors();
        if (lora == null) {
            return base;
        }
        float scale = (float) lora.scaling();
        for (int l = 0; l < config.nLayer(); l++) {
            for (String target : lora.targets()) {
                String wn = "transformer.h." + l + "." + target + ".weight";
                Tensor w = base.get(wn);
                float[] a = loraParams.get(l + "." + target + ".A").toFloatArray();
                float[] b = loraParams.get(l + "." + target + ".B").toFloatArray();
                int in = (int) w.shape()[0];
                int out = (int) w.shape()[1];
                int r = lora.rank();
                float[] wd = w.data().clone();
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        double s = 0;
                        for (int k = 0; k < r; k++) {
                            s += (double) b[o * r + k] * a[k * in + i];
                        }
                        wd[i * out + o] += (float) (scale * s);
                    }
                }
                base.put(wn, new Tensor(w.shape(), wd));
            }
        }
        return base;
    }

    /** Number of scalar values in {@link #trainable()}. */
    public long trainableCount() {
        long n = 0;
        for (NDArray p : trainable()) {
            n += p.size();
        }
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }

    // ------------------------------------------------------------------ forward

    /**
     * One forward pass's context: which weights (gradient-carrying masters or detached views), the scratch manager
     * for constants, and LoRA dropout.
     */
    public final class Pass {
        private final NDManager scratch;
        private final boolean masters;
        private final Random dropoutRng;
        private final Map<Float, NDArray> scalars = new HashMap<>();
        /** The last mask {@link #causalMask} made: attention recognises it and runs the causal kernel instead. */
        private NDArray causal;

        /**
         * @param scratch manager for constants of this pass (close it after backward)
         * @param masters true to use the trainable master arrays (training), false for detached views (no
         *     parameter receives gradient)
         * @param dropoutRng random source of LoRA dropout masks, or null for no dropout
         */
        public Pass(NDManager scratch, boolean masters, Random dropoutRng) {
            this.scratch = scratch;
            this.masters = masters;
            this.dropoutRng = dropoutRng;
        }

        /** A PyTorch-owned scalar (never a Java-owned buffer: those break gradients). */
        public NDArray s(float v) {
            // Cached for the whole pass, so kept out of the per-block scopes of hidden(...).
            return scalars.computeIfAbsent(v, x -> {
                NDArray c = scratch.full(new Shape(), x);
                ai.djl.ndarray.NDScope.unregister(c);
                return c;
            });
        }

        NDArray w(String name) {
            return masters && baseTrainable ? params.get(name) : detached.get(name);
        }

        NDArray lw(String key) {
            return masters ? loraParams.get(key) : loraDetached.get(key);
        }

        public NDManager scratch() {
            return scratch;
        }

        /** Token embeddings {@code wte[ids]}, (B, T, d). */
        public NDArray embed(NDArray ids) {
            return ids.getNDArrayInternal().embedding(ids, w("transformer.wte.weight"), SparseFormat.DENSE)
                    .singletonOrThrow();
        }

        /**
         * Final hidden states (after ln_f) from input embeddings.
         *
         * @param inputsEmbeds (B, T, d) token embeddings (positions are added here)
         * @param positions (B, T) or (1, T) int64 position ids
         * @param mask additive attention mask broadcastable to (B, H, T, Tpast + T)
         * @param cache key/value cache to extend, or null
         */
        public NDArray hidden(NDArray inputsEmbeds, NDArray positions, NDArray mask, KvCache cache) {
            NDArray pos = positions.getNDArrayInternal()
                    .embedding(positions, w("transformer.wpe.weight"), SparseFormat.DENSE).singletonOrThrow();
            NDArray h = inputsEmbeds.add(pos);
            for (int l = 0; l < config.nLayer(); l++) {
                // A scope per block frees the block's intermediates when it ends instead of when the pass ends
                // (peak memory of one block, not of all of them). Autograd keeps what backward needs itself.
                NDArray out;
                try (ai.djl.ndarray.NDScope blockScope = new ai.djl.ndarray.NDScope()) {
                    blockScope.suppressNotUsedWarning();
                    out = block(h, l, mask, cache);
                    ai.djl.ndarray.NDScope.unregister(out);
                }
                ai.djl.ndarray.NDScope.register(out);
                h = out;
            }
            return layerNorm(h, "transformer.ln_f");
        }

        private NDArray block(NDArray h, int l, NDArray mask, KvCache cache) {
            String p = "transformer.h." + l + ".";
            NDArray a = layerNorm(h, p + "ln_1");
            NDArray r = h.add(attention(a, l, mask, cache));
            NDArray m = layerNorm(r, p + "ln_2");
            m = linear(m, l, "mlp.c_fc");
            m = gelu(m);
            return r.add(linear(m, l, "mlp.c_proj"));
        }

        /** Logits of the tied LM head, (B, T, V). */
        public NDArray logits(NDArray hidden) {
            return hidden.matMul(w("transformer.wte.weight").transpose());
        }

        private NDArray layerNorm(NDArray x, String prefix) {
            return x.getNDArrayInternal().layerNorm(x, new Shape(config.nEmbd()), w(prefix + ".weight"),
                    w(prefix + ".bias"), (float) config.layerNormEpsilon()).singletonOrThrow();
        }

        private NDArray gelu(NDArray x) {
            return TorchKernels.get().geluTanh(x);
        }

        private NDArray linear(NDArray x, int layer, String target) {
            String p = "transformer.h." + layer + "." + target;
            NDArray y = x.matMul(w(p + ".weight")).add(w(p + ".bias"));
            if (lora != null && lora.targets(target)) {
                NDArray in = x;
                if (dropoutRng != null && lora.dropout() > 0) {
                    in = x.mul(dropoutMask(x.getShape(), lora.dropout()));
                }
                NDArray a = lw(layer + "." + target + ".A");
                NDArray b = lw(layer + "." + target + ".B");
                y = y.add(in.matMul(a.transpose()).matMul(b.transpose()).mul(s((float) lora.scaling())));
            }
            return y;
        }

        private NDArray dropoutMask(Shape shape, double rate) {
            float[] m = new float[(int) shape.size()];
            float keep = (float) (1.0 / (1.0 - rate));
            for (int i = 0; i < m.length; i++) {
                m[i] = dropoutRng.nextDouble() < rate ? 0f : keep;
            }
            NDArray tmp = scratch.create(m, shape);
            NDArray owned = tmp.duplicate();
            tmp.close();
            return owned;
        }

        private NDArray attention(NDArray x, int layer, NDArray mask, KvCache cache) {
            long b = x.getShape().get(0);
            long t = x.getShape().get(1);
            int heads = config.nHead();
            int hd = config.headDim();
            NDList qkv = linear(x, layer, "attn.c_attn").split(3, 2);
            NDArray q = qkv.get(0).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
            NDArray k = qkv.get(1).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
            NDArray v = qkv.get(2).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
            if (cache != null) {
                k = cache.append(layer, k, true);
                v = cache.append(layer, v, false);
            }
            NDArray o = TorchKernels.get().attention(q, k, v, mask, mask != null && mask == causal);
            o = o.transpose(0, 2, 1, 3).reshape(b, t, config.nEmbd());
            return linear(o, layer, "attn.c_proj");
        }

        /**
         * Additive causal mask (1, 1, T, T) with {@code -1e9} above the diagonal, built from arange comparisons.
         */
        public NDArray causalMask(int t) {
            NDArray r = scratch.arange(t);
            NDArray upper = r.reshape(1, t).gt(r.reshape(t, 1));
            causal = upper.toType(DataType.FLOAT32, false).mul(s(-1e9f)).reshape(1, 1, t, t);
            return causal;
        }
    }

    /**
     * Keys and values of past positions for incremental decoding. The arrays live in the cache's own manager;
     * closing the cache frees them.
     */
    public static final class KvCache implements AutoCloseable {
        private final NDManager manager;
        private final NDArray[] keys;
        private final NDArray[] values;

        public KvCache(NDManager parent, int layers) {
            this.manager = parent.newSubManager();
            this.keys = new NDArray[layers];
            this.values = new NDArray[layers];
        }

        /** Number of cached positions. */
        public long length() {
            return keys[0] == null ? 0 : keys[0].getShape().get(2);
        }

        NDArray append(int layer, NDArray kv, boolean isKey) {
            NDArray[] store = isKey ? keys : values;
            NDArray old = store[layer];
            NDArray next = old == null ? kv.duplicate() : old.concat(kv, 2);
            ai.djl.ndarray.NDScope.unregister(next);
            next.attach(manager);
            if (old != null) {
                old.close();
            }
            store[layer] = next;
            return next;
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
