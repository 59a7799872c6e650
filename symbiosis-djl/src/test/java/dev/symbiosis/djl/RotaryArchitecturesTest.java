package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import dev.symbiosis.djl.model.AttentionCache;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.GptNeoxConfig;
import dev.symbiosis.djl.model.LlamaConfig;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.Rope;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.model.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GPT-NeoX and Llama on the engine against the plain-Java reference ({@link ReferenceDecoders}): logits, KV cache,
 * grouped-query heads, RoPE, LoRA, saliency, sharded and BF16 checkpoints.
 */
class RotaryArchitecturesTest {

    private static final int[] IDS = {3, 71, 200, 9, 256, 44, 12, 130, 99, 5, 17};
    private static NDManager root;

    @TempDir
    Path tmp;

    @BeforeAll
    static void engine() {
        root = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
        Training.noGrad();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    private static CausalLm load(Path dir, DataType dtype, LoraConfig lora, Map<String, Tensor> adapter)
            throws IOException {
        ModelConfig c = ModelConfig.read(dir.resolve("config.json"));
        return CausalLms.load(root, Device.cpu(), c, dir, dtype, false, lora, adapter, "adapter", 7);
    }

    private static float[][] logits(CausalLm m, int[] ids) {
        try (NDScope scope = new NDScope(); NDManager scratch = m.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            long[] in = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                in[i] = ids[i];
            }
            NDArray x = scratch.create(in, new Shape(1, ids.length)).duplicate();
            float[] flat = m.forwardLogits(scratch, x, false, null).toFloatArray();
            int v = m.modelConfig().vocabSize();
            float[][] out = new float[ids.length][v];
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(flat, i * v, out[i], 0, v);
            }
            return out;
        }
    }

    private static double[][] reference(ModelConfig c, Map<String, Tensor> w, int[] ids) {
        return c instanceof LlamaConfig l ? ReferenceDecoders.llama(l, w, ids)
                : ReferenceDecoders.gptNeox((GptNeoxConfig) c, w, ids);
    }

    private static void assertClose(double[][] expected, float[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                double err = Math.abs(expected[i][j] - actual[i][j]) / (1 + Math.abs(expected[i][j]));
                worst = Math.max(worst, err);
            }
        }
        assertTrue(worst < tol, what + ": worst relative error " + worst + " >= " + tol);
    }

    private static double[][] toDouble(float[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                out[i][j] = a[i][j];
            }
        }
        return out;
    }

    static List<ModelConfig> configs() {
        return List.of(RotaryCheckpoints.neox(true), RotaryCheckpoints.neox(false), RotaryCheckpoints.llama(false),
                RotaryCheckpoints.llama(true));
    }

    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void logitsMatchThePlainJavaReference(int which) throws IOException {
        ModelConfig c = configs().get(which);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 11 + which);
        Path dir = RotaryCheckpoints.write(tmp.resolve("m"), c, w);
        try (CausalLm m = load(dir, DataType.FLOAT32, null, null)) {
            assertClose(reference(c, w, IDS), logits(m, IDS), 1e-4, c.modelType());
        }
    }

    /**
     * The same parity on config.json files without eos_token_id / bos_token_id (as many Llama and GPT-NeoX
     * checkpoints are): the ids are transformers' class defaults (GPTNeoXConfig bos 0 / eos 2, LlamaConfig bos 1 /
     * eos 2), or generation_config.json's when it gives them.
     */
    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void logitsMatchTheReferenceOnConfigsWithoutEosOrBos(int which) throws IOException {
        ModelConfig c = configs().get(which);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 11 + which);
        Path dir = RotaryCheckpoints.write(tmp.resolve("m"), c, w);
        RotaryCheckpoints.removeSpecialIds(dir.resolve("config.json"));
        ModelConfig read = ModelConfig.read(dir.resolve("config.json"));
        assertEquals(List.of(2), read.stopTokenIds());
        assertEquals(c instanceof LlamaConfig ? 1 : 0, read.bosTokenId());
        try (CausalLm m = load(dir, DataType.FLOAT32, null, null)) {
            assertClose(reference(c, w, IDS), logits(m, IDS), 1e-4, c.modelType() + " without eos/bos");
        }
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 5, \"eos_token_id\": [7, 9]}");
        ModelConfig fromGeneration = ModelConfig.read(dir.resolve("config.json"));
        assertEquals(List.of(7, 9), fromGeneration.stopTokenIds());
        assertEquals(5, fromGeneration.bosTokenId());
        try (CausalLm m = load(dir, DataType.FLOAT32, null, null)) {
            assertClose(reference(c, w, IDS), logits(m, IDS), 1e-4, c.modelType() + " ids from generation_config");
        }
    }

    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 2})
    void keyValueCacheGivesTheFullForwardsLogits(int which) throws IOException {
        ModelConfig c = configs().get(which);
        Path dir = RotaryCheckpoints.write(tmp.resolve("m"), c, RotaryCheckpoints.randomTensors(c, 3));
        try (CausalLm m = load(dir, DataType.FLOAT32, null, null); AttentionCache cache = m.newCache()) {
            float[][] full = logits(m, IDS);
            int prefix = 4;
            long[] ids = new long[prefix];
            long[] pos = new long[prefix];
            for (int i = 0; i < prefix; i++) {
                ids[i] = IDS[i];
                pos[i] = i;
            }
            float[][] last = m.lastLogits(ids, pos, new int[1], 1, prefix, cache);
            assertClose(toDouble(new float[][] {full[prefix - 1]}), last, 1e-5, "prefill");
            for (int i = prefix; i < IDS.length; i++) {
                int tk = i + 1;
                float[][] step = m.lastLogits(new long[] {IDS[i]}, new long[] {i}, new int[1], 1, 1, cache);
                assertClose(toDouble(new float[][] {full[i]}), step, 1e-5, "decode step " + i);
                assertEquals(tk, cache.length());
            }
        }
    }

    @Test
    void groupedQueryHeadsReadTheirSharedKeyValueHead() throws IOException {
        LlamaConfig gqa = RotaryCheckpoints.llama(false);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(gqa, 5);
        // the same function with one key/value head per query head: k/v rows of head h copied from head h / group
        LlamaConfig mha = new LlamaConfig(gqa.vocabSize(), gqa.maxPositionEmbeddings(), gqa.hiddenSize(),
                gqa.numLayers(), gqa.numHeads(), gqa.numHeads(), gqa.headDim(), gqa.intermediateSize(),
                gqa.rmsNormEps(), gqa.rope(), false, false, false, gqa.bosTokenId(), gqa.eosTokenIds());
        Map<String, Tensor> wm = new LinkedHashMap<>(w);
        int hd = gqa.headDim();
        int d = gqa.hiddenSize();
        for (int l = 0; l < gqa.numLayers(); l++) {
            for (String proj : List.of("k_proj", "v_proj")) {
                String n = "model.layers." + l + ".self_attn." + proj + ".weight";
                float[] src = w.get(n).data();
                float[] dst = new float[gqa.numHeads() * hd * d];
                for (int h = 0; h < gqa.numHeads(); h++) {
                    System.arraycopy(src, (h / gqa.groupSize()) * hd * d, dst, h * hd * d, hd * d);
                }
                wm.put(n, new Tensor(new long[] {gqa.numHeads() * hd, d}, dst));
            }
        }
        try (CausalLm a = load(RotaryCheckpoints.write(tmp.resolve("gqa"), gqa, w), DataType.FLOAT32, null, null);
                CausalLm b = load(RotaryCheckpoints.write(tmp.resolve("mha"), mha, wm), DataType.FLOAT32, null,
                        null)) {
            assertClose(toDouble(logits(b, IDS)), logits(a, IDS), 1e-5, "GQA vs expanded MHA");
        }
    }

    @Test
    void ropeMatchesItsClosedForm() {
        Rope rope = Rope.of(8, 10000);
        long[] pos = {0, 1, 7, 300};
        float[][] cs = rope.cosSin(pos);
        for (int p = 0; p < pos.length; p++) {
            for (int i = 0; i < 4; i++) {
                double angle = pos[p] * Math.pow(10000, -2.0 * i / 8);
                assertEquals(Math.cos(angle), cs[0][p * 8 + i], 1e-6);
                assertEquals(Math.cos(angle), cs[0][p * 8 + i + 4], 1e-6);
                assertEquals(Math.sin(angle), cs[1][p * 8 + i], 1e-6);
                assertEquals(Math.sin(angle), cs[1][p * 8 + i + 4], 1e-6);
            }
        }
        // rotations preserve norms and attention scores depend only on the offset between positions
        Random rnd = new Random(1);
        double[] q = rnd.doubles(8).toArray();
        double[] k = rnd.doubles(8).toArray();
        double[] inv = rope.inverseFrequencies();
        double first = dot(ReferenceDecoders.rope(q, 3, inv, 8), ReferenceDecoders.rope(k, 1, inv, 8));
        double shifted = dot(ReferenceDecoders.rope(q, 103, inv, 8), ReferenceDecoders.rope(k, 101, inv, 8));
        assertEquals(first, shifted, 1e-9);
        assertEquals(dot(q, q), dot(ReferenceDecoders.rope(q, 57, inv, 8), ReferenceDecoders.rope(q, 57, inv, 8)),
                1e-9);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void llama3ScalingKeepsHighFrequenciesDividesLowOnesAndInterpolatesBetween() {
        Rope rope = new Rope(128, 500000, "llama3", 8, 1, 4, 8192);
        double[] plain = Rope.of(128, 500000).inverseFrequencies();
        double[] scaled = rope.inverseFrequencies();
        int kept = 0;
        int divided = 0;
        int between = 0;
        for (int i = 0; i < plain.length; i++) {
            double wavelen = 2 * Math.PI / plain[i];
            if (wavelen < 8192 / 4.0) {
                assertEquals(plain[i], scaled[i], 0.0);
                kept++;
            } else if (wavelen > 8192 / 1.0) {
                assertEquals(plain[i] / 8, scaled[i], 1e-18);
                divided++;
            } else {
                double s = (8192 / wavelen - 1) / (4 - 1);
                assertEquals((1 - s) * plain[i] / 8 + s * plain[i], scaled[i], 1e-15);
                between++;
            }
        }
        assertTrue(kept > 0 && divided > 0 && between > 0, kept + "/" + divided + "/" + between);
        LlamaConfig c = RotaryCheckpoints.llama(false);
        assertArrayEquals(ReferenceDecoders.llamaInvFreq(c), c.rope().inverseFrequencies(), 1e-15);
    }

    @Test
    void shardedCheckpointLoadsLikeOneFile() throws IOException {
        LlamaConfig c = RotaryCheckpoints.llama(false);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 8);
        Path single = RotaryCheckpoints.write(tmp.resolve("single"), c, w);
        Path sharded = RotaryCheckpoints.writeSharded(tmp.resolve("sharded"), c, w, 3);
        assertTrue(Files.exists(sharded.resolve("model-00003-of-00003.safetensors")));
        try (CausalLm a = load(single, DataType.FLOAT32, null, null);
                CausalLm b = load(sharded, DataType.FLOAT32, null, null)) {
            assertClose(toDouble(logits(a, IDS)), logits(b, IDS), 0.0 + 1e-12, "sharded vs single");
        }
    }

    @Test
    void shardIndexErrorsNameTheIndexTheTensorAndTheShard() throws IOException {
        LlamaConfig c = RotaryCheckpoints.llama(false);
        Path dir = RotaryCheckpoints.writeSharded(tmp.resolve("s"), c, RotaryCheckpoints.randomTensors(c, 8), 2);
        Path index = dir.resolve(ShardedSafeTensors.INDEX);
        String json = Files.readString(index);
        Files.writeString(index, json.replaceFirst("model-00002-of-00002", "model-00009-of-00002"));
        IOException missing = assertThrows(IOException.class, () -> ShardedSafeTensors.open(dir));
        assertTrue(missing.getMessage().contains(index.toString())
                && missing.getMessage().contains("model-00009-of-00002.safetensors"), missing.getMessage());
        // a tensor mapped to the other shard, whose header does not hold it
        java.util.regex.Matcher at = java.util.regex.Pattern
                .compile("\"model.norm.weight\":\"(model-0000(\\d)-of-00002.safetensors)\"").matcher(json);
        assertTrue(at.find(), json);
        String other = at.group(2).equals("1") ? "model-00002-of-00002.safetensors"
                : "model-00001-of-00002.safetensors";
        Files.writeString(index, json.replace(at.group(0), "\"model.norm.weight\":\"" + other + "\""));
        IOException wrong = assertThrows(IOException.class, () -> ShardedSafeTensors.open(dir));
        assertTrue(wrong.getMessage().contains("model.norm.weight") && wrong.getMessage().contains(other)
                && wrong.getMessage().contains("does not hold it"), wrong.getMessage());
        Files.writeString(index, json);
        Files.delete(dir.resolve("model-00001-of-00002.safetensors"));
        IOException gone = assertThrows(IOException.class, () -> load(dir, DataType.FLOAT32, null, null));
        assertTrue(gone.getMessage().contains("model-00001-of-00002.safetensors"), gone.getMessage());
    }

    @Test
    void bf16CheckpointRoundTripsExactlyThroughFloat32() throws IOException {
        GptNeoxConfig c = RotaryCheckpoints.neox(true);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 9);
        Path dir = RotaryCheckpoints.write(tmp.resolve("bf16"), c, w);
        Files.delete(dir.resolve("model.safetensors"));
        RotaryCheckpoints.writeBf16(dir.resolve("model.safetensors"), w);
        Map<String, Tensor> truncated = RotaryCheckpoints.truncatedToBf16(w);
        try (ShardedSafeTensors files = ShardedSafeTensors.open(dir)) {
            for (String n : w.keySet()) {
                assertEquals("BF16", files.entry(n).dtype());
                assertArrayEquals(truncated.get(n).data(), files.readFloats(n), 0f, n);
            }
        }
        try (CausalLm m = load(dir, DataType.FLOAT32, null, null)) {
            assertClose(reference(c, truncated, IDS), logits(m, IDS), 1e-4, "bf16 checkpoint");
            Map<String, Tensor> back = m.baseTensors();
            for (String n : w.keySet()) {
                assertArrayEquals(truncated.get(n).data(), back.get(n).data(), 0f, n);
            }
        }
    }

    @Test
    void pythiaBuffersOfOtherDtypesAreSkippedAndCannotBeReadAsWeights() throws IOException {
        GptNeoxConfig c = RotaryCheckpoints.neox(true);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 14);
        Path dir = RotaryCheckpoints.write(tmp.resolve("pythia"), c, w);
        Map<String, RotaryCheckpoints.Raw> raw = new LinkedHashMap<>();
        w.forEach((n, t) -> raw.put(n, RotaryCheckpoints.f32(t)));
        byte[] mask = new byte[64 * 64];
        java.util.Arrays.fill(mask, (byte) 1);
        // what converted Pythia checkpoints carry besides weights: the causal mask (BOOL), masked_bias, inv_freq
        raw.put("gpt_neox.layers.0.attention.bias", new RotaryCheckpoints.Raw("BOOL", new long[] {1, 1, 64, 64}, mask));
        raw.put("gpt_neox.layers.0.attention.masked_bias", RotaryCheckpoints.f32(new Tensor(new long[0],
                new float[] {-1e9f})));
        raw.put("gpt_neox.layers.0.attention.rotary_emb.inv_freq", RotaryCheckpoints.f32(new Tensor(new long[] {1},
                new float[] {1f})));
        RotaryCheckpoints.writeRaw(dir.resolve("model.safetensors"), raw);
        try (CausalLm m = load(dir, DataType.FLOAT32, null, null)) {
            assertClose(reference(c, w, IDS), logits(m, IDS), 1e-4, "with buffers");
        }
        try (ShardedSafeTensors files = ShardedSafeTensors.open(dir)) {
            IOException e = assertThrows(IOException.class, () -> files.readFloats("gpt_neox.layers.0.attention.bias"));
            assertTrue(e.getMessage().contains("BOOL") && e.getMessage().contains("attention.bias"), e.getMessage());
        }
    }

    @Test
    void headerLengthsWhoseFirstByteIsAPickleOpcodeAreStillSafetensors() throws IOException {
        // 0x0280 = 640: the little-endian length starts with 0x80 0x02, pickle protocol 2's first two bytes
        for (int length : new int[] {0x280, 0x380, 0x480, 0x580}) {
            String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
            byte[] header = (json + " ".repeat(length - json.length())).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            buf.putLong(length).put(header).putFloat(1.5f).putFloat(-2f);
            Path f = tmp.resolve("len" + length + ".safetensors");
            Files.write(f, buf.array());
            try (ShardedSafeTensors files = ShardedSafeTensors.openFile(f)) {
                assertArrayEquals(new float[] {1.5f, -2f}, files.readFloats("w"), 0f);
            }
            assertArrayEquals(new float[] {1.5f, -2f}, dev.symbiosis.djl.io.SafeTensors.read(f).tensors().get("w").data(),
                    0f);
        }
    }

    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 2})
    void float16WeightsStayCloseToFloat32(int which) throws IOException {
        ModelConfig c = configs().get(which);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 21);
        Path dir = RotaryCheckpoints.write(tmp.resolve("m"), c, w);
        try (CausalLm half = load(dir, DataType.FLOAT16, LoraConfig.of(2, 4), null)) {
            assertEquals(DataType.FLOAT16, half.manager().getManagedArrays().stream()
                    .filter(a -> a.getShape().dimension() == 2 && a.size() >= 16L * 16).findFirst().orElseThrow()
                    .getDataType());
            assertEquals(DataType.FLOAT32, half.trainable().get(0).getDataType(), "LoRA adapters stay float32");
            assertClose(reference(c, w, IDS), logits(half, IDS), 2e-2, "float16 " + c.modelType());
        }
    }

    @Test
    void float16NarrowingRoundsToNearestEvenAndRefusesOverflow() {
        assertEquals(0x3c00, ShardedSafeTensors.floatToHalf(1f));
        assertEquals(0xbc00, ShardedSafeTensors.floatToHalf(-1f));
        assertEquals(0x7bff, ShardedSafeTensors.floatToHalf(65504f));
        assertEquals(0x7c00, ShardedSafeTensors.floatToHalf(65520f));
        assertEquals(0x0001, ShardedSafeTensors.floatToHalf(0x1p-24f));
        assertEquals(0x3c00, ShardedSafeTensors.floatToHalf(1f + 0x1p-11f), "tie rounds to even");
        assertEquals(0x3c01, ShardedSafeTensors.floatToHalf(1f + 0x1p-11f + 0x1p-20f));
        Random rnd = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            float f = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 4));
            float back = dev.symbiosis.djl.io.SafeTensors.halfToFloat(ShardedSafeTensors.floatToHalf(f));
            assertTrue(Math.abs(back - f) <= Math.max(Math.abs(f) * 0x1p-11, 0x1p-25), f + " -> " + back);
        }
    }

    @ParameterizedTest(name = "config {0}")
    @ValueSource(ints = {0, 2})
    void loraAdapterActsLikeItsMergedWeightsAndUsesPeftNames(int which) throws IOException {
        ModelConfig c = configs().get(which);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 4);
        Path dir = RotaryCheckpoints.write(tmp.resolve("m"), c, w);
        LoraConfig lora = new LoraConfig(2, 4, 0.0, List.of(LoraConfig.ALL_LINEAR));
        Map<String, Tensor> adapter;
        try (CausalLm fresh = load(dir, DataType.FLOAT32, lora, null)) {
            assertEquals(c instanceof LlamaConfig ? LoraConfig.LLAMA_TARGETS : LoraConfig.GPT_NEOX_TARGETS,
                    fresh.lora().targets());
            Random rnd = new Random(3);
            adapter = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : fresh.adapterTensors().entrySet()) {
                float[] d = new float[e.getValue().size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (0.2 * rnd.nextGaussian());
                }
                adapter.put(e.getKey(), new Tensor(e.getValue().shape(), d));
            }
        }
        String first = c instanceof LlamaConfig ? "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"
                : "base_model.model.gpt_neox.layers.0.attention.query_key_value.lora_A.weight";
        assertTrue(adapter.containsKey(first), adapter.keySet().toString());
        try (CausalLm m = load(dir, DataType.FLOAT32, lora, adapter)) {
            Map<String, Tensor> merged = m.mergedTensors();
            float[][] withAdapter = logits(m, IDS);
            assertClose(reference(c, merged, IDS), withAdapter, 1e-4, "adapter vs merged reference");
            assertTrue(m.mergeAdapterInPlace(5));
            assertClose(toDouble(withAdapter), logits(m, IDS), 1e-4, "after merging in place");
        }
        IllegalArgumentException wrongFamily = assertThrows(IllegalArgumentException.class,
                () -> load(dir, DataType.FLOAT32, new LoraConfig(2, 4, 0, List.of("attn.c_proj")), null));
        assertTrue(wrongFamily.getMessage().contains(c.modelType()), wrongFamily.getMessage());
    }

    @Test
    void saliencyIsTheNormOfTheLossGradientWithRespectToEachInputEmbedding() throws IOException {
        LlamaConfig c = RotaryCheckpoints.llama(false); // untied: the table is only read at the input
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 12);
        int[] ids = {10, 20, 30, 40, 50, 60};
        try (CausalLm m = load(RotaryCheckpoints.write(tmp.resolve("m"), c, w), DataType.FLOAT32, null, null)) {
            int t = ids.length;
            long[] in = new long[t];
            long[] next = new long[t];
            float[] coef = new float[t];
            for (int i = 0; i < t; i++) {
                in[i] = ids[i];
                next[i] = i + 1 < t ? ids[i + 1] : 0;
                coef[i] = i + 1 < t ? 1f / (t - 1) : 0f;
            }
            float[] sal = m.inputSaliency(in, next, coef, 1, t);
            for (int pos : new int[] {0, 2, 5}) {
                double sq = 0;
                for (int j = 0; j < c.hiddenSize(); j++) {
                    double h = 1e-2;
                    double g = (loss(c, w, ids, ids[pos], j, h) - loss(c, w, ids, ids[pos], j, -h)) / (2 * h);
                    sq += g * g;
                }
                assertEquals(Math.sqrt(sq), sal[pos], 2e-3 * (1 + Math.sqrt(sq)), "position " + pos);
            }
        }
    }

    /** Reference loss with embedding row {@code row}, feature {@code j}, moved by {@code delta}. */
    static double loss(LlamaConfig c, Map<String, Tensor> w, int[] ids, int row, int j, double delta) {
        Map<String, Tensor> moved = new LinkedHashMap<>(w);
        Tensor table = w.get("model.embed_tokens.weight");
        float[] d = table.data().clone();
        d[row * c.hiddenSize() + j] += (float) delta;
        moved.put("model.embed_tokens.weight", new Tensor(table.shape(), d));
        double[][] logits = ReferenceDecoders.llama(c, moved, ids);
        double sum = 0;
        for (int i = 0; i + 1 < ids.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double z : logits[i]) {
                max = Math.max(max, z);
            }
            double z = 0;
            for (double v : logits[i]) {
                z += Math.exp(v - max);
            }
            sum -= logits[i][ids[i + 1]] - max - Math.log(z);
        }
        return sum / (ids.length - 1);
    }

    @Test
    void unknownModelTypeListsTheSupportedOnes() throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, "{\"model_type\": \"mistral\", \"vocab_size\": 10}");
        IOException e = assertThrows(IOException.class, () -> ModelConfig.read(f));
        assertTrue(e.getMessage().contains("mistral") && e.getMessage().contains("gpt2")
                && e.getMessage().contains("gpt_neox") && e.getMessage().contains("llama"), e.getMessage());
        Files.writeString(f, "{\"model_type\": \"llama\", \"vocab_size\": 10, \"hidden_size\": 8,"
                + " \"num_attention_heads\": 2, \"num_hidden_layers\": 1, \"intermediate_size\": 8,"
                + " \"max_position_embeddings\": 16, \"eos_token_id\": 2, \"rope_scaling\": {\"rope_type\": \"yarn\","
                + " \"factor\": 4}}");
        IOException rope = assertThrows(IOException.class, () -> ModelConfig.read(f));
        assertTrue(rope.getMessage().contains("yarn") && rope.getMessage().contains("llama3"), rope.getMessage());
    }

    @Test
    void configsRoundTripThroughConfigJson() throws IOException {
        for (ModelConfig c : configs()) {
            Path f = tmp.resolve(c.modelType() + c.hashCode() + ".json");
            c.write(f);
            assertEquals(c, ModelConfig.read(f));
        }
    }

    @Test
    void inMemoryAndFileWeightSourcesAgree() throws IOException {
        GptNeoxConfig c = RotaryCheckpoints.neox(false);
        Map<String, Tensor> w = RotaryCheckpoints.randomTensors(c, 30);
        Path dir = RotaryCheckpoints.write(tmp.resolve("m"), c, w);
        try (CausalLm a = load(dir, DataType.FLOAT32, null, null);
                CausalLm b = CausalLms.create(root, Device.cpu(), c, WeightSource.of(w, "memory"), DataType.FLOAT32,
                        false, null, null, null, 0)) {
            assertClose(toDouble(logits(a, IDS)), logits(b, IDS), 1e-12, "file vs memory");
        }
    }
}
