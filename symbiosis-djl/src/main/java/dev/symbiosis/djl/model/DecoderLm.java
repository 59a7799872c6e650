package dev.symbiosis.djl.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import dev.symbiosis.djl.io.StreamingSafeTensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The shared machinery of the decoder-only transformers ({@link Gpt2Model}, {@link GptNeoxModel}, {@link LlamaModel}):
 * parameters under their Hugging Face names in {@code nn.Linear} layout ({@code [out, in]}, {@code y = x W^T + b}) or
 * GPT-2's {@code Conv1D} layout ({@code [in, out]}, {@code y = x W + b}; {@link #fanInFanOut()}), a LoRA adapter per
 * targeted module (A {@code [r, in]} Kaiming-uniform, B {@code [out, r]} zero, PEFT names), attention with rotary
 * ({@link #rope()}) or learned ({@link #addPositions}) positions, grouped-query heads and a key/value cache, input
 * saliency, and the weights' precision. A family supplies its tensor names and shapes, its block and its final norm.
 *
 * <p>Precision: base weights are stored in {@link #dtype()}, FLOAT32 or FLOAT16 (BF16 checkpoints are converted in
 * Java; DJL 0.36's PyTorch engine aborts on BF16), which halves their memory on a GPU; every computation (activations,
 * LoRA matrices, norms, attention, logits) is FLOAT32, a FLOAT16 weight being widened where it is used. The reason is
 * DJL 0.36 itself: its {@code toType} is not differentiable (the result has no gradient function), so a graph that
 * narrowed activations to FLOAT16 could not be trained; widening the frozen weights needs no gradient. Full
 * fine-tuning needs FLOAT32 weights.
 *
 * <p>Not thread-safe. Every forward runs inside an {@link NDScope}.
 */
public abstract class DecoderLm implements CausalLm {

    private final ModelConfig config;
    private final List<String> parameterNames;
    private final Function<String, long[]> shapes;
    private final NDManager manager;
    private final DataType dtype;
    private final boolean baseTrainable;
    private final LoraConfig lora;
    private final LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, NDArray> detached = new HashMap<>();
    private final LinkedHashMap<String, NDArray> loraParams = new LinkedHashMap<>();
    private final Map<String, NDArray> loraDetached = new HashMap<>();

    /**
     * @param parameterNames the family's canonical tensor names, in a fixed order
     * @param shapes the expected shape of a canonical tensor
     * @param lora adapter configuration already resolved with {@link LoraConfig#forFamily}, or null
     */
    protected DecoderLm(ModelConfig config, List<String> parameterNames, Function<String, long[]> shapes,
            NDManager manager, DataType dtype, boolean baseTrainable, LoraConfig lora) {
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException("weights must be float32 or float16, got " + dtype);
        }
        if (baseTrainable && dtype != DataType.FLOAT32) {
            throw new IllegalArgumentException("full fine-tuning needs float32 weights (got " + dtype
                    + "); train a LoRA adapter instead");
        }
        this.config = config;
        this.parameterNames = List.copyOf(parameterNames);
        this.shapes = shapes;
        this.manager = manager;
        this.dtype = dtype;
        this.baseTrainable = baseTrainable;
        this.lora = lora;
    }

    // ------------------------------------------------------------------ family hooks

    /** Whether a tensor of a checkpoint is not a parameter (buffers, a tied head stored anyway). */
    protected abstract boolean ignored(String name);

    /** Name of an adaptable module's weight in layer {@code layer}, without {@code .weight}. */
    protected abstract String modulePath(int layer, String module);

    /** Name of the token embedding. */
    protected abstract String embeddingName();

    /** Name of the LM head's weight (the embedding when tied). */
    protected abstract String headName();

    /** The rotary embedding, or null for a family with learned positions ({@link #addPositions}). */
    protected abstract Rope rope();

    /**
     * The residual stream's input from the token embeddings (B, T, d) at {@code positions} ({@code posRows} rows of
     * {@code t}): the embeddings themselves (default; rotary families add positions in attention), or plus a
     * learned position embedding.
     */
    protected NDArray addPositions(Pass p, NDArray embeddings, long[] positions, long posRows, int t) {
        return embeddings;
    }

    /**
     * The canonical name of a checkpoint tensor (default: the name itself); e.g. GPT-2 accepts Hugging Face names
     * with or without the {@code transformer.} prefix.
     */
    protected String canonicalName(String checkpointName) {
        return checkpointName;
    }

    /** Runs block {@code layer} on the residual stream {@code h} (B, T, d); {@code cos}, {@code sin} null if unused. */
    protected abstract NDArray block(Pass p, NDArray h, int layer, NDArray mask, AttentionCache cache,
            NDArray cos, NDArray sin);

    /** The final norm. */
    protected abstract NDArray finalNorm(Pass p, NDArray h);

    /** The family's name in messages. */
    protected String family() {
        return config.modelType();
    }

    // ------------------------------------------------------------------ loading

    /** A family's constructor: the model of a resolved adapter configuration on its own manager. */
    @FunctionalInterface
    protected interface Constructor<M extends DecoderLm> {
        M make(NDManager manager, LoraConfig resolved);
    }

    /**
     * Builds a family's model in a new sub-manager of {@code parent} on {@code device} and loads its weights and
     * adapter; {@code lora}'s targets are resolved against the family's modules first. The sub-manager is closed
     * if anything fails.
     *
     * @throws IOException naming the source and tensor when a tensor is missing, unexpected or mis-shaped
     */
    protected static <M extends DecoderLm> M create(NDManager parent, Device device, String modelType,
            List<String> loraModules, LoraConfig lora, Constructor<M> constructor, WeightSource weights,
            Map<String, Tensor> adapter, String adapterSource, long loraSeed) throws IOException {
        LoraConfig resolved = lora == null ? null : lora.forFamily(modelType, loraModules);
        NDManager m = parent.newSubManager(device);
        try {
            M model = constructor.make(m, resolved);
            model.load(weights, adapter, adapterSource, loraSeed);
            return model;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Uploads the base weights from {@code source} and the adapter (fresh when {@code adapter} is null).
     *
     * @throws IOException naming the source and tensor when one is missing, unexpected or mis-shaped
     */
    protected final void load(WeightSource source, Map<String, Tensor> adapter, String adapterSource, long loraSeed)
            throws IOException {
        List<String> names = parameterNames;
        java.util.Set<String> known = new java.util.HashSet<>(names);
        Map<String, String> stored = new HashMap<>(); // canonical name -> name in the source
        for (String n : source.names()) {
            String c = canonicalName(n);
            if (!known.contains(c)) {
                if (ignored(n)) {
                    continue;
                }
                throw new IOException(source.describe() + ": unexpected tensor '" + n + "' for a " + family()
                        + " model of " + config.numLayers() + " layers");
            }
            String other = stored.put(c, n);
            if (other != null) {
                throw new IOException(source.describe() + ": tensor '" + c + "' appears twice (as '" + other
                        + "' and '" + n + "')");
            }
        }
        for (String n : names) {
            String s = stored.get(n);
            if (s == null) {
                throw new IOException(source.describe() + ": missing tensor '" + n + "'");
            }
            if (!Arrays.equals(source.shape(s), shapes.apply(n))) {
                throw new IOException(source.describe() + ": tensor '" + n + "' has shape "
                        + Arrays.toString(source.shape(s)) + ", config.json implies "
                        + Arrays.toString(shapes.apply(n)));
            }
        }
        for (String n : names) {
            NDArray p = source.upload(stored.get(n), manager, dtype);
            p.attach(manager);
            if (baseTrainable) {
                p.setRequiresGradient(true);
            }
            params.put(n, p);
            detached.put(n, p.stopGradient());
        }
        if (lora != null) {
            initLora(adapter, adapterSource, loraSeed);
        }
    }

    /** Input and output width of an adaptable module. */
    private long[] inOut(int layer, String module) {
        long[] s = shapes.apply(modulePath(layer, module) + ".weight");
        return fanInFanOut() ? new long[] {s[0], s[1]} : new long[] {s[1], s[0]};
    }

    /** PEFT name of a LoRA matrix, e.g. {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}. */
    public String peftName(int layer, String module, char ab) {
        return "base_model.model." + modulePath(layer, module) + ".lora_" + ab + ".weight";
    }

    private void initLora(Map<String, Tensor> adapter, String source, long seed) throws IOException {
        replaceAdapter(adapter != null ? readAdapter(adapter, source) : freshAdapter(seed));
    }

    /** Adapter values keyed {@code layer.module.A|B}: A Kaiming-uniform (bound 1/sqrt(in)), B zero. */
    private Map<String, Tensor> freshAdapter(long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < config.numLayers(); l++) {
            for (String m : lora.targets()) {
                long[] io = inOut(l, m);
                float[] a = new float[(int) (lora.rank() * io[0])];
                double bound = 1.0 / Math.sqrt(io[0]);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                }
                out.put(l + "." + m + ".A", new Tensor(new long[] {lora.rank(), io[0]}, a));
                out.put(l + "." + m + ".B", new Tensor(new long[] {io[1], lora.rank()},
                        new float[(int) (io[1] * lora.rank())]));
            }
        }
        return out;
    }

    private Map<String, Tensor> readAdapter(Map<String, Tensor> adapter, String source) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < config.numLayers(); l++) {
            for (String m : lora.targets()) {
                long[] io = inOut(l, m);
                out.put(l + "." + m + ".A", adapterTensor(adapter, source, peftName(l, m, 'A'),
                        new long[] {lora.rank(), io[0]}));
                out.put(l + "." + m + ".B", adapterTensor(adapter, source, peftName(l, m, 'B'),
                        new long[] {io[1], lora.rank()}));
            }
        }
        return out;
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

    // ------------------------------------------------------------------ CausalLm

    @Override
    public ModelConfig modelConfig() {
        return config;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    /** {@inheritDoc} Default true: the files hold the family's checkpoint as it was loaded. */
    @Override
    public boolean linksLoadedBase() {
        return true;
    }

    /** The precision of the base weights. */
    public DataType dtype() {
        return dtype;
    }

    @Override
    public LoraConfig lora() {
        return lora;
    }

    @Override
    public List<NDArray> trainable() {
        if (lora != null) {
            return new ArrayList<>(loraParams.values());
        }
        return baseTrainable ? new ArrayList<>(params.values()) : List.of();
    }

    @Override
    public List<String> trainableNames() {
        if (lora != null) {
            return new ArrayList<>(loraParams.keySet());
        }
        return baseTrainable ? new ArrayList<>(params.keySet()) : List.of();
    }

    @Override
    public long trainableCount() {
        long n = 0;
        for (NDArray p : trainable()) {
            n += p.size();
        }
        return n;
    }

    @Override
    public Map<String, Tensor> baseTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        params.forEach((n, p) -> out.put(n, new Tensor(p.getShape().getShape(), floats(p))));
        return out;
    }

    private static float[] floats(NDArray p) {
        if (p.getDataType() == DataType.FLOAT32) {
            return p.toFloatArray();
        }
        try (NDArray f = p.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    @Override
    public Map<String, Tensor> adapterTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        loraParams.forEach((k, p) -> {
            int dot = k.indexOf('.');
            int layer = Integer.parseInt(k.substring(0, dot));
            String module = k.substring(dot + 1, k.length() - 2);
            out.put(peftName(layer, module, k.charAt(k.length() - 1)), new Tensor(p.getShape().getShape(),
                    p.toFloatArray()));
        });
        return out;
    }

    @Override
    public Map<String, Tensor> mergedTensors() {
        Map<String, Tensor> base = baseTensors();
        if (lora == null) {
            return base;
        }
        float scale = (float) lora.scaling();
        for (int l = 0; l < config.numLayers(); l++) {
            for (String m : lora.targets()) {
                String wn = modulePath(l, m) + ".weight";
                Tensor w = base.get(wn);
                float[] a = loraParams.get(l + "." + m + ".A").toFloatArray();
                float[] b = loraParams.get(l + "." + m + ".B").toFloatArray();
                boolean conv = fanInFanOut();
                int out = (int) w.shape()[conv ? 1 : 0];
                int in = (int) w.shape()[conv ? 0 : 1];
                int r = lora.rank();
                float[] wd = w.data().clone();
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        double s = 0;
                        for (int k = 0; k < r; k++) {
                            s += (double) b[o * r + k] * a[k * in + i];
                        }
                        wd[conv ? i * out + o : o * in + i] += (float) (scale * s);
                    }
                }
                base.put(wn, new Tensor(w.shape(), wd));
            }
        }
        return base;
    }

    @Override
    public boolean mergeAdapterInPlace(long seed) {
        if (lora == null) {
            return true;
        }
        try (NDScope scope = new NDScope(); NDManager scratch = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray scale = scratch.full(new Shape(), (float) lora.scaling());
            for (int l = 0; l < config.numLayers(); l++) {
                for (String m : lora.targets()) {
                    NDArray delta = loraDetached.get(l + "." + m + ".B").matMul(loraDetached.get(l + "." + m + ".A"))
                            .mul(scale);
                    if (fanInFanOut()) {
                        delta = delta.transpose();
                    }
                    // in place on the frozen weight: its detached view shares the storage
                    params.get(modulePath(l, m) + ".weight").addi(delta.toType(dtype, false));
                }
            }
        }
        replaceAdapter(freshAdapter(seed));
        return true;
    }

    @Override
    public boolean restoreAdapterInPlace(Map<String, Tensor> adapter) throws IOException {
        if (lora == null) {
            return false;
        }
        replaceAdapter(readAdapter(adapter, "snapshot"));
        return true;
    }

    private void replaceAdapter(Map<String, Tensor> values) {
        loraParams.values().forEach(NDArray::close);
        loraDetached.values().forEach(NDArray::close);
        loraParams.clear();
        loraDetached.clear();
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            NDArray p = owned(manager.create(e.getValue().data(), new Shape(e.getValue().shape())));
            p.setRequiresGradient(true);
            loraParams.put(e.getKey(), p);
            loraDetached.put(e.getKey(), p.stopGradient());
        }
    }

    @Override
    public void writeBase(Path file) throws IOException {
        ShardedSafeTensors.Precision p = dtype == DataType.FLOAT16 ? ShardedSafeTensors.Precision.F16
                : ShardedSafeTensors.Precision.F32;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        params.forEach((n, a) -> shapes.put(n, a.getShape().getShape()));
        StreamingSafeTensorsWriter.write(file, shapes, p, Map.of("format", "pt"), (name, sink) -> {
            NDArray a = params.get(name);
            long rows = a.getShape().dimension() == 0 ? 1 : a.getShape().get(0);
            long perRow = rows == 0 ? 0 : a.size() / rows;
            long rowsPerBlock = Math.max(1, (256L << 20) / Math.max(1, perRow * p.bytes()));
            for (long r = 0; r < rows; r += rowsPerBlock) {
                long end = Math.min(rows, r + rowsPerBlock);
                try (NDArray part = a.getShape().dimension() == 0 ? a.duplicate() : a.get(r + ":" + end)) {
                    ByteBuffer bytes = part.toByteBuffer();
                    sink.accept(bytes);
                }
            }
        });
    }

    @Override
    public void close() {
        manager.close();
    }

    // ------------------------------------------------------------------ forward entry points

    @Override
    public NDArray forwardLogits(NDManager scratch, NDArray ids, boolean masters, Random dropoutRng) {
        Pass pass = new Pass(scratch, masters, dropoutRng);
        long b = ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        long[] pos = new long[t];
        for (int i = 0; i < t; i++) {
            pos[i] = i;
        }
        return pass.logits(pass.hidden(pass.embed(ids), pos, 1, t, pass.causalMask(t), null));
    }

    @Override
    public float[][] lastLogits(long[] ids, long[] pos, int[] pad, int b, int t, AttentionCache cache) {
        try (NDScope scope = new NDScope(); NDManager scratch = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            Pass pass = new Pass(scratch, false, null);
            NDArray in = owned(scratch.create(ids, new Shape(b, t)));
            int tk = (int) (cache == null ? 0 : cache.length()) + t;
            NDArray m = PaddingMask.select(scratch, pad, t, tk, pass::causalMask);
            NDArray hidden = pass.hidden(pass.embed(in), pos, b, t, m, cache);
            NDArray last = hidden.get(":, -1, :").reshape(b, 1, config.hiddenSize());
            return Training.rows(pass.logits(last).toFloatArray(), config.vocabSize());
        }
    }

    @Override
    public float[] inputSaliency(long[] ids, long[] next, float[] coef, int b, int t) {
        return withInputGradient(ids, next, coef, b, t, DecoderLm::norms);
    }

    @Override
    public InputGradient inputGradient(long[] ids, long[] next, float[] coef, int b, int t) {
        return withInputGradient(ids, next, coef, b, t, g -> new InputGradient(norms(g), g.toFloatArray()));
    }

    /** The L2 norm over the last axis of a (b, t, d) gradient. */
    private static float[] norms(NDArray g) {
        return g.square().sum(new int[] {2}).sqrt().toFloatArray();
    }

    @Override
    public float[][] gradientAlignment(long[] ids, long[] next, float[] coef, int b, int t, int[] at) {
        float[] grad = withInputGradient(ids, next, coef, b, t, NDArray::toFloatArray);
        return Training.embeddingAlignment(manager, grad, b, t, at, this::embeddingTable);
    }

    @Override
    public float[][] embeddingAlignment(float[] rows, int n) {
        int[] at = new int[n];
        for (int i = 0; i < n; i++) {
            at[i] = i;
        }
        return Training.embeddingAlignment(manager, rows, 1, n, at, this::embeddingTable);
    }

    /** The (V, d) token-embedding table in FLOAT32 (a converted copy when stored in FLOAT16). */
    private NDArray embeddingTable() {
        return detached.get(embeddingName()).toType(DataType.FLOAT32, false);
    }

    /** Forward and backward to float32 leaf input embeddings; reads their (b, t, d) gradient. */
    private <R> R withInputGradient(long[] ids, long[] next, float[] coef, int b, int t,
            java.util.function.Function<NDArray, R> read) {
        try (NDScope scope = new NDScope(); NDManager scratch = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            Pass pass = new Pass(scratch, false, null);
            NDArray in = owned(scratch.create(ids, new Shape(b, t)));
            NDArray tg = owned(scratch.create(next, new Shape(b, t, 1)));
            NDArray cf = owned(scratch.create(coef, new Shape(b, t)));
            long[] pos = new long[t];
            for (int i = 0; i < t; i++) {
                pos[i] = i;
            }
            NDArray emb = pass.embed(in).stopGradient(); // a float32 leaf
            emb.setRequiresGradient(true);
            try (ThreadGradients gc = ThreadGradients.collect()) {
                NDArray lsm = pass.logits(pass.hidden(emb, pos, 1, t, pass.causalMask(t), null)).logSoftmax(-1);
                NDArray loss = lsm.gather(tg, 2).reshape(b, t).mul(cf).sum().neg();
                gc.backward(loss);
            } finally {
                Training.noGrad();
            }
            return read.apply(emb.getGradient());
        }
    }

    static NDArray owned(NDArray javaBacked) {
        NDArray copy = javaBacked.duplicate();
        javaBacked.close();
        return copy;
    }

    // ------------------------------------------------------------------ one pass

    /** One forward pass's context: master or detached weights, scratch manager, LoRA dropout. */
    protected final class Pass {
        private final NDManager scratch;
        private final boolean masters;
        private final Random dropoutRng;
        private final Map<Float, NDArray> scalars = new HashMap<>();
        /** The last mask {@link #causalMask} made: attention recognises it and runs the causal kernel instead. */
        private NDArray causal;

        Pass(NDManager scratch, boolean masters, Random dropoutRng) {
            this.scratch = scratch;
            this.masters = masters;
            this.dropoutRng = dropoutRng;
        }

        /** A PyTorch-owned float32 scalar (never a Java-owned buffer: those break gradients). */
        public NDArray s(float v) {
            // cached for the whole pass, so kept out of the per-block scopes
            return scalars.computeIfAbsent(v, x -> {
                NDArray c = scratch.full(new Shape(), x);
                NDScope.unregister(c);
                return c;
            });
        }

        /** A parameter as stored: the gradient-carrying master when training the base, else the detached view. */
        public NDArray w(String name) {
            NDArray a = masters && baseTrainable ? params.get(name) : detached.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no parameter '" + name + "'");
            }
            return a;
        }

        /** A parameter in FLOAT32: itself, or a widened copy of a FLOAT16 weight (frozen: no gradient needed). */
        public NDArray wf(String name) {
            NDArray a = w(name);
            return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        }

        /** Token embeddings (B, T, d) in FLOAT32. */
        NDArray embed(NDArray ids) {
            NDArray e = ids.getNDArrayInternal().embedding(ids, w(embeddingName()), SparseFormat.DENSE)
                    .singletonOrThrow();
            return e.getDataType() == DataType.FLOAT32 ? e : e.toType(DataType.FLOAT32, false);
        }

        /** Rows {@code ids} ({@code rows} x {@code t}) of embedding table {@code name}: (rows, t, d), FLOAT32. */
        public NDArray embedding(String name, long[] ids, long rows, int t) {
            NDArray in = owned(scratch.create(ids, new Shape(rows, t)));
            NDArray e = in.getNDArrayInternal().embedding(in, w(name), SparseFormat.DENSE).singletonOrThrow();
            return e.getDataType() == DataType.FLOAT32 ? e : e.toType(DataType.FLOAT32, false);
        }

        NDArray hidden(NDArray embeddings, long[] positions, long posRows, int t, NDArray mask,
                AttentionCache cache) {
            NDArray cos = null;
            NDArray sin = null;
            Rope rope = rope();
            if (rope != null) {
                float[][] cs = rope.cosSin(positions);
                Shape shape = new Shape(posRows, 1, t, rope.rotaryDims());
                cos = owned(scratch.create(cs[0], shape));
                sin = owned(scratch.create(cs[1], shape));
            }
            NDArray h = addPositions(this, embeddings, positions, posRows, t);
            for (int l = 0; l < config.numLayers(); l++) {
                // a scope per block frees its intermediates when it ends (autograd keeps what backward needs)
                NDArray out;
                try (NDScope blockScope = new NDScope()) {
                    blockScope.suppressNotUsedWarning();
                    out = block(this, h, l, mask, cache, cos, sin);
                    NDScope.unregister(out);
                }
                NDScope.register(out);
                h = out;
            }
            return finalNorm(this, h);
        }

        NDArray logits(NDArray hidden) {
            return hidden.matMul(wf(headName()).transpose());
        }

        /** Additive causal mask (1, 1, T, T), float32, {@code -1e9} above the diagonal. */
        NDArray causalMask(int t) {
            NDArray r = scratch.arange(t);
            NDArray upper = r.reshape(1, t).gt(r.reshape(t, 1));
            causal = upper.toType(DataType.FLOAT32, false).mul(s(-1e9f)).reshape(1, 1, t, t);
            return causal;
        }

        /**
         * {@code x W^T + b} of module {@code module} in layer {@code layer}, plus the LoRA update in float32 when
         * the module is adapted; {@code bias} false for bias-free modules.
         */
        public NDArray linear(NDArray x, int layer, String module, boolean bias) {
            String path = modulePath(layer, module);
            NDArray w = wf(path + ".weight");
            NDArray y = x.matMul(fanInFanOut() ? w : w.transpose());
            if (bias) {
                y = y.add(wf(path + ".bias"));
            }
            if (lora != null && lora.targets(module)) {
                NDArray in = x;
                if (dropoutRng != null && lora.dropout() > 0) {
                    in = in.mul(dropoutMask(in.getShape(), lora.dropout()));
                }
                NDArray a = masters ? loraParams.get(layer + "." + module + ".A")
                        : loraDetached.get(layer + "." + module + ".A");
                NDArray bm = masters ? loraParams.get(layer + "." + module + ".B")
                        : loraDetached.get(layer + "." + module + ".B");
                NDArray delta = in.matMul(a.transpose()).matMul(bm.transpose()).mul(s((float) lora.scaling()));
                y = y.add(delta);
            }
            return y;
        }

        /**
         * An inverted-dropout mask drawn on the device (a Java-drawn mask of a 7B model's activations would cost
         * billions of random numbers per step); the engine's generator is seeded from {@code dropoutRng} for every
         * mask, so the masks are the same for the same seed. The generator is the process's: seeding and drawing
         * hold a process-wide lock, so that models training on several threads at once never draw from each other's
         * seeds.
         */
        private NDArray dropoutMask(Shape shape, double rate) {
            NDArray uniform;
            synchronized (DecoderLm.class) {
                Engine.getEngine("PyTorch").setRandomSeed(dropoutRng.nextInt());
                uniform = scratch.randomUniform(0f, 1f, shape);
            }
            return uniform.gte(s((float) rate)).toType(DataType.FLOAT32, false)
                    .mul(s((float) (1.0 / (1.0 - rate))));
        }

        /** LayerNorm over the last axis. */
        public NDArray layerNorm(NDArray x, String prefix, double eps) {
            long d = x.getShape().get(x.getShape().dimension() - 1);
            return x.getNDArrayInternal().layerNorm(x, new Shape(d), wf(prefix + ".weight"), wf(prefix + ".bias"),
                    (float) eps).singletonOrThrow();
        }

        /** RMSNorm as Llama: {@code w * (x / sqrt(mean(x^2) + eps))}. */
        public NDArray rmsNorm(NDArray x, String weight, double eps) {
            NDArray var = x.square().mean(new int[] {-1}, true);
            return x.div(var.add(s((float) eps)).sqrt()).mul(wf(weight));
        }

        /** Exact GELU {@code 0.5 x (1 + erf(x / sqrt 2))} ({@code torch.nn.functional.gelu}). */
        public NDArray geluExact(NDArray x) {
            return ai.djl.nn.Activation.gelu(x);
        }

        /** Tanh-approximated GELU (one fused kernel). */
        public NDArray geluTanh(NDArray x) {
            return TorchKernels.get().geluTanh(x);
        }

        /** SiLU {@code x * sigmoid(x)} (one fused kernel). */
        public NDArray silu(NDArray x) {
            return TorchKernels.get().silu(x);
        }

        /**
         * Attention: {@code q} (B, H, T, hd), {@code k} and {@code v} (B, KV, T, hd); RoPE on q and k (when
         * {@code cos} and {@code sin} are given, i.e. the family is rotary), the cache extended, key/value heads
         * repeated for their {@code H / KV} query heads (query head {@code h} reads key/value head
         * {@code h / (H / KV)}).
         *
         * @return (B, T, H * hd)
         */
        public NDArray attend(NDArray q, NDArray k, NDArray v, int layer, NDArray mask, AttentionCache cache,
                NDArray cos, NDArray sin) {
            long b = q.getShape().get(0);
            long heads = q.getShape().get(1);
            long t = q.getShape().get(2);
            long hd = q.getShape().get(3);
            if (cos != null) {
                q = rotate(q, cos, sin);
                k = rotate(k, cos, sin);
            }
            if (cache != null) {
                k = cache.append(layer, k, true);
                v = cache.append(layer, v, false);
            }
            long kvHeads = k.getShape().get(1);
            if (kvHeads != heads) {
                k = k.repeat(1, heads / kvHeads);
                v = v.repeat(1, heads / kvHeads);
            }
            NDArray o = TorchKernels.get().attention(q, k, v, mask, mask != null && mask == causal);
            return o.transpose(0, 2, 1, 3).reshape(b, t, heads * hd);
        }

        /** {@code x * cos + rotate_half(x) * sin} on the first rotary features, the rest passed through. */
        NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
            long hd = x.getShape().get(3);
            int rd = rope().rotaryDims();
            int half = rd / 2;
            NDArray xr = rd == hd ? x : x.get(":, :, :, :" + rd);
            NDArray x1 = xr.get(":, :, :, :" + half);
            NDArray x2 = xr.get(":, :, :, " + half + ":");
            NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), 3);
            NDArray out = xr.mul(cos).add(rotated.mul(sin));
            return rd == hd ? out : NDArrays.concat(new NDList(out, x.get(":, :, :, " + rd + ":")), 3);
        }
    }
}
