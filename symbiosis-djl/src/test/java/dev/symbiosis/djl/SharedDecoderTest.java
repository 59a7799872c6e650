package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.AttentionCache;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.DecoderLm;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.Gpt2Model;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.Training;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GPT-2, GPT-NeoX and Llama run on the one shared decoder ({@link DecoderLm}): one key/value cache
 * ({@link AttentionCache}), one LoRA (fresh, merged in place, restored in place; GPT-2's in its {@code Conv1D}
 * layout) and one forward, whose graph-recording and inference runs agree bit for bit.
 */
class SharedDecoderTest {

    private static final int[] IDS = {3, 71, 200, 9, 256, 44, 12, 130, 99, 5, 17};
    /** The models of one test (closed after it). */
    private final NDManager root = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());

    @TempDir
    Path tmp;

    SharedDecoderTest() {
        Training.noGrad();
    }

    @AfterEach
    void freeModels() {
        root.close();
    }

    /** Family 0: GPT-2, 1: GPT-NeoX (parallel residual), 2: Llama (grouped-query heads). */
    private Path checkpoint(int family, long seed) throws IOException {
        if (family == 0) {
            return TinyModels.randomCheckpoint(tmp.resolve("gpt2"), TinyModels.config(16, 24, 2, 3), seed);
        }
        ModelConfig c = family == 1 ? RotaryCheckpoints.neox(true) : RotaryCheckpoints.llama(false);
        return RotaryCheckpoints.write(tmp.resolve("m" + family), c, RotaryCheckpoints.randomTensors(c, seed));
    }

    private CausalLm load(Path dir, LoraConfig lora, Map<String, Tensor> adapter) throws IOException {
        ModelConfig c = ModelConfig.read(dir.resolve("config.json"));
        return CausalLms.load(root, Device.cpu(), c, dir, DataType.FLOAT32, lora == null, lora, adapter, "adapter",
                7);
    }

    /** (B, T, V) logits of rows of {@code t} ids, with a recorded graph ({@code masters}) or without. */
    private static float[] forward(CausalLm m, long[] ids, int b, int t, boolean masters) {
        try (NDScope scope = new NDScope(); NDManager scratch = m.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray in = Training.owned(scratch.create(ids, new Shape(b, t)));
            if (!masters) {
                return m.forwardLogits(scratch, in, false, null).toFloatArray();
            }
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                return m.forwardLogits(scratch, in, true, null).toFloatArray();
            } finally {
                Training.noGrad();
            }
        }
    }

    private static long[] longs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / (1 + Math.abs(expected[i])));
        }
        assertTrue(worst < tol, what + ": worst relative error " + worst);
    }

    /** An adapter of random values under the model's PEFT names. */
    private static Map<String, Tensor> randomAdapter(CausalLm m, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> adapter = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.adapterTensors().entrySet()) {
            float[] d = new float[e.getValue().size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (0.2 * rnd.nextGaussian());
            }
            adapter.put(e.getKey(), new Tensor(e.getValue().shape(), d));
        }
        return adapter;
    }

    @ParameterizedTest(name = "family {0}")
    @ValueSource(ints = {0, 1, 2})
    void everyFamilyIsTheSharedDecoderWithItsCacheAndItsCacheEqualsRecomputation(int family) throws IOException {
        try (CausalLm m = load(checkpoint(family, 3), null, null); AttentionCache cache = m.newCache()) {
            assertTrue(m instanceof DecoderLm, m.getClass().getName());
            assertSame(AttentionCache.class, cache.getClass(), "the one key/value cache");
            int v = m.modelConfig().vocabSize();
            int t = IDS.length;
            float[] full = forward(m, longs(IDS), 1, t, false);
            int prefix = 4;
            long[] pos = new long[prefix];
            for (int i = 0; i < prefix; i++) {
                pos[i] = i;
            }
            float[][] last = m.lastLogits(java.util.Arrays.copyOf(longs(IDS), prefix), pos, new int[1], 1, prefix,
                    cache);
            assertClose(java.util.Arrays.copyOfRange(full, (prefix - 1) * v, prefix * v), last[0], 1e-5, "prefill");
            for (int i = prefix; i < t; i++) {
                float[][] step = m.lastLogits(new long[] {IDS[i]}, new long[] {i}, new int[1], 1, 1, cache);
                assertClose(java.util.Arrays.copyOfRange(full, i * v, (i + 1) * v), step[0], 1e-5, "step " + i);
                assertEquals(i + 1, cache.length());
            }
        }
    }

    @ParameterizedTest(name = "family {0}")
    @ValueSource(ints = {0, 1, 2})
    void graphRecordingAndInferenceForwardsAgreeBitForBit(int family) throws IOException {
        Path dir = checkpoint(family, 4);
        LoraConfig lora = new LoraConfig(2, 4, 0.0, List.of(LoraConfig.ALL_LINEAR));
        Map<String, Tensor> adapter;
        try (CausalLm fresh = load(dir, lora, null)) {
            adapter = randomAdapter(fresh, 5);
        }
        try (CausalLm m = load(dir, lora, adapter)) {
            long[] ids = longs(IDS);
            long[] two = new long[2 * (IDS.length - 1)];
            System.arraycopy(ids, 0, two, 0, IDS.length - 1);
            System.arraycopy(ids, 1, two, IDS.length - 1, IDS.length - 1);
            float[] inference = forward(m, two, 2, IDS.length - 1, false);
            assertArrayEquals(forward(m, two, 2, IDS.length - 1, true), inference);
        }
    }

    @Test
    void gpt2LoraIsTheSharedOneInConv1dLayout() throws IOException {
        Gpt2Config cfg = TinyModels.config(16, 24, 2, 3);
        Path dir = checkpoint(0, 6);
        LoraConfig lora = new LoraConfig(2, 4, 0.0, List.of(LoraConfig.ALL_LINEAR));
        Map<String, Tensor> adapter;
        try (CausalLm fresh = load(dir, lora, null)) {
            assertTrue(fresh.fanInFanOut(), "Conv1D weights: PEFT's fan_in_fan_out");
            assertFalse(fresh.linksLoadedBase(), "GPT-2 checkpoints are always written");
            assertEquals(LoraConfig.ALL_TARGETS, fresh.lora().targets());
            Tensor a = fresh.adapterTensors().get("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight");
            Tensor b = fresh.adapterTensors().get("base_model.model.transformer.h.0.attn.c_attn.lora_B.weight");
            assertArrayEquals(new long[] {2, 24}, a.shape(), "A: [r, in]");
            assertArrayEquals(new long[] {72, 2}, b.shape(), "B: [out, r]");
            adapter = randomAdapter(fresh, 7);
        }
        try (CausalLm m = load(dir, lora, adapter)) {
            float[] withAdapter = forward(m, longs(IDS), 1, IDS.length, false);
            // the adapter acts like its merged weights, W += scale (B A)^T in the [in, out] layout
            ReferenceGpt2 ref = new ReferenceGpt2(cfg, m.mergedTensors());
            double[][] want = ref.logitsFromEmbeddings(ref.embed(IDS));
            float[] flat = new float[withAdapter.length];
            for (int i = 0; i < want.length; i++) {
                for (int k = 0; k < want[i].length; k++) {
                    flat[i * want[i].length + k] = (float) want[i][k];
                }
            }
            assertClose(flat, withAdapter, 1e-4, "adapter vs merged reference");
            // merged on the device and restored in place, as for the other families
            Map<String, Tensor> before = m.adapterTensors();
            assertTrue(m.mergeAdapterInPlace(5));
            assertClose(withAdapter, forward(m, longs(IDS), 1, IDS.length, false), 1e-4, "after merging in place");
            assertTrue(m.restoreAdapterInPlace(before));
            for (Map.Entry<String, Tensor> e : before.entrySet()) {
                assertArrayEquals(e.getValue().data(), m.adapterTensors().get(e.getKey()).data(), e.getKey());
            }
        }
    }

    @Test
    void gpt2CheckpointsKeepThePrefixedConv1dFormat() throws Exception {
        Path dir = checkpoint(0, 8);
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optLora(LoraConfig.of(2, 4)).build()) {
            Path out = tmp.resolve("saved");
            m.save(out);
            Map<String, Tensor> saved = SafeTensors.read(out.resolve("model.safetensors")).tensors();
            assertEquals(Gpt2Model.parameterNames(TinyModels.config(16, 24, 2, 3)).stream().sorted().toList(),
                    saved.keySet().stream().sorted().toList());
            Map<String, Tensor> loaded = SafeTensors.read(dir.resolve("model.safetensors")).tensors();
            for (Map.Entry<String, Tensor> e : loaded.entrySet()) {
                assertArrayEquals(e.getValue().data(), saved.get(e.getKey()).data(), e.getKey());
                assertArrayEquals(e.getValue().shape(), saved.get(e.getKey()).shape(), e.getKey());
            }
            String adapterConfig = java.nio.file.Files.readString(out.resolve("adapter_config.json"));
            assertTrue(adapterConfig.contains("\"fan_in_fan_out\" : true"), adapterConfig);
        }
    }
}
