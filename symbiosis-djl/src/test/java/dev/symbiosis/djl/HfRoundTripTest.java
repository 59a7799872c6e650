package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trip per family: a base checkpoint with what published checkpoints carry (unknown config fields, a wrong
 * {@code torch_dtype}, generation_config.json, special_tokens_map.json) and a PEFT adapter is loaded, saved, and
 * what was written is read back with {@link HfFormatReader} (independent of the library's readers), key for key
 * and value for value, against what transformers and PEFT expect:
 *
 * <ul>
 *   <li>PEFT adapter files (huggingface/peft src/peft/utils/save_and_load.py {@code get_peft_model_state_dict}:
 *       keys {@code base_model.model.<module>.lora_A.weight} / {@code lora_B.weight}, the adapter name removed;
 *       src/peft/tuners/lora/layer.py {@code LoraLayer.update_layer}: {@code lora_A} is {@code Linear(in, r)}, so
 *       {@code [r, in]}, {@code lora_B} {@code [out, r]}, {@code scaling = lora_alpha / r}, or
 *       {@code lora_alpha / sqrt(r)} with {@code use_rslora}; for GPT-2's {@code Conv1D} in/out are the weight's
 *       {@code [in, out]} shape and the delta is transposed ({@code fan_in_fan_out})).</li>
 *   <li>{@code base_model_name_or_path} set: src/peft/auto.py ({@code AutoPeftModel.from_pretrained} loads the
 *       base from it) and transformers src/transformers/models/auto/auto_factory.py
 *       ({@code from_pretrained} on an adapter folder replaces the path by
 *       {@code adapter_config["base_model_name_or_path"]}).</li>
 *   <li>safetensors metadata {@code format: pt} (transformers' modeling_utils refuses other formats).</li>
 *   <li>tokenizer_config.json with {@code model_max_length} and the special tokens, special_tokens_map.json
 *       (transformers src/transformers/tokenization_utils_base.py {@code from_pretrained} reads both; a pad token
 *       is what batching needs).</li>
 * </ul>
 */
class HfRoundTripTest {

    private static final int[] IDS = {3, 71, 200, 9, 256, 44, 12, 130, 99, 5, 17};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Module names as PEFT sees them in the Hugging Face model of each family (written out independently). */
    private static List<String> modules(String type, int layers) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            switch (type) {
                case "gpt2" -> {
                    for (String m : new String[] {"attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"}) {
                        out.add("transformer.h." + i + "." + m);
                    }
                }
                case "gpt_neox" -> {
                    for (String m : new String[] {"attention.query_key_value", "attention.dense", "mlp.dense_h_to_4h",
                            "mlp.dense_4h_to_h"}) {
                        out.add("gpt_neox.layers." + i + "." + m);
                    }
                }
                default -> {
                    for (String m : new String[] {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                            "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"}) {
                        out.add("model.layers." + i + "." + m);
                    }
                }
            }
        }
        return out;
    }

    private Path base(int family) throws IOException {
        Path dir;
        if (family == 0) {
            Gpt2Config c = TinyModels.config(16, 16, 2, 2);
            dir = TinyModels.randomCheckpoint(tmp.resolve("gpt2"), c, 3);
        } else {
            ModelConfig c = family == 1 ? RotaryCheckpoints.neox(true) : RotaryCheckpoints.llama(false);
            dir = RotaryCheckpoints.write(tmp.resolve(c.modelType()), c, RotaryCheckpoints.randomTensors(c, 4));
            Files.writeString(dir.resolve("generation_config.json"), "{\n  \"bos_token_id\": 256,\n"
                    + "  \"eos_token_id\": [256, 257],\n  \"do_sample\": true,\n  \"temperature\": 0.7\n}\n");
            Files.writeString(dir.resolve("special_tokens_map.json"), "{\"eos_token\": \"<|endoftext|>\","
                    + " \"note\": \"kept as is\"}");
        }
        ObjectNode config = (ObjectNode) HfFormatReader.json(dir.resolve("config.json"));
        config.putObject("custom_field").putArray("nested").add(1).add(2).add(3);
        config.put("transformers_version", "4.44.0");
        config.put("torch_dtype", "bfloat16"); // wrong on purpose: the weights are F32
        Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(config));
        return dir;
    }

    /** A copy of {@code base} with a random PEFT adapter whose config names a hub base. */
    private Path withAdapter(Path base, LoraConfig lora, String type) throws IOException {
        Map<String, Tensor> adapter = new LinkedHashMap<>();
        try (DjlLanguageModel fresh = DjlLanguageModel.builder(base).optLora(lora).optDevice(Device.cpu()).build()) {
            Random rnd = new Random(9);
            for (Map.Entry<String, Tensor> e : fresh.network().adapterTensors().entrySet()) {
                float[] d = new float[e.getValue().size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (0.3 * rnd.nextGaussian());
                }
                adapter.put(e.getKey(), new Tensor(e.getValue().shape(), d));
            }
        }
        Path dir = tmp.resolve(type + "-adapter");
        Files.createDirectories(dir);
        try (var files = Files.list(base)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        SafeTensors.write(dir.resolve("adapter_model.safetensors"), adapter, Map.of("format", "pt"));
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("peft_type", "LORA");
        cfg.put("task_type", "CAUSAL_LM");
        cfg.put("base_model_name_or_path", "example-org/base-" + type);
        cfg.put("revision", "0123456789abcdef0123456789abcdef01234567");
        cfg.put("r", lora.rank());
        cfg.put("lora_alpha", lora.alpha());
        cfg.put("use_rslora", lora.rsLora());
        cfg.put("target_modules", "all-linear");
        cfg.putArray("unknown_future_field").add("ignored");
        Files.write(dir.resolve("adapter_config.json"), JSON.writeValueAsBytes(cfg));
        return dir;
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @ParameterizedTest(name = "family {0}")
    @ValueSource(ints = {0, 1, 2})
    void writtenCheckpointsReadBackKeyForKeyAndValueForValue(int family) throws Exception {
        String type = List.of("gpt2", "gpt_neox", "llama").get(family);
        Path base = base(family);
        // Llama: rank-stabilised scaling, to see that use_rslora is honoured and written back
        LoraConfig lora = new LoraConfig(2, 4, 0.0, List.of(LoraConfig.ALL_LINEAR), family == 2);
        Path src = withAdapter(base, lora, type);
        Path saved = tmp.resolve(type + "-saved");
        Path merged = tmp.resolve(type + "-merged");
        float[][] adapterLogits;
        int context;
        try (DjlLanguageModel m = DjlLanguageModel.builder(src).optDevice(Device.cpu()).optDtype(DataType.FLOAT32)
                .build()) {
            assertEquals(family == 2, m.lora().rsLora());
            adapterLogits = m.logits(IDS);
            context = m.contextLength();
            m.save(saved);
        }
        DjlLanguageModel.merge(ModelSource.of(src), merged);

        // config.json: every original key with its value, torch_dtype following the F32 weights
        JsonNode original = HfFormatReader.json(src.resolve("config.json"));
        for (Path dir : List.of(saved, merged)) {
            JsonNode written = HfFormatReader.json(dir.resolve("config.json"));
            assertEquals(keys(original), keys(written), dir + ": config.json keys");
            for (Iterator<String> it = original.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                assertEquals(k.equals("torch_dtype") ? JSON.valueToTree("float32") : original.get(k), written.get(k),
                        dir + ": config.json field " + k);
            }
            if (family > 0) {
                for (String f : List.of("generation_config.json", "special_tokens_map.json")) {
                    assertArrayEquals(Files.readAllBytes(base.resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
                }
            }
            JsonNode tc = HfFormatReader.json(dir.resolve("tokenizer_config.json"));
            assertEquals(context, tc.get("model_max_length").asInt());
            assertEquals("PreTrainedTokenizerFast", tc.get("tokenizer_class").asText());
            assertEquals("<|endoftext|>", tc.get("eos_token").asText());
            assertEquals("<|endoftext|>", tc.get("pad_token").asText());
            if (family == 0) {
                JsonNode stm = HfFormatReader.json(dir.resolve("special_tokens_map.json"));
                for (String k : List.of("bos_token", "eos_token", "unk_token", "pad_token")) {
                    assertEquals("<|endoftext|>", stm.get(k).asText(), k);
                }
            }
            assertArrayEquals(Files.readAllBytes(src.resolve("tokenizer.json")),
                    Files.readAllBytes(dir.resolve("tokenizer.json")));
        }

        // weights: the base, key for key and value for value
        Map<String, HfFormatReader.Tensor> baseW = HfFormatReader.safetensors(src.resolve("model.safetensors"));
        Map<String, HfFormatReader.Tensor> savedW = HfFormatReader.safetensors(saved.resolve("model.safetensors"));
        assertEquals(new TreeSet<>(baseW.keySet()), new TreeSet<>(savedW.keySet()));
        baseW.forEach((k, t) -> {
            assertArrayEquals(t.shape(), savedW.get(k).shape(), k);
            assertArrayEquals(t.values(), savedW.get(k).values(), 0.0, k);
        });

        // adapter: PEFT's keys and shapes, values as given, config as PEFT reads it
        Map<String, HfFormatReader.Tensor> given = HfFormatReader.safetensors(src.resolve("adapter_model.safetensors"));
        Map<String, HfFormatReader.Tensor> adapter =
                HfFormatReader.safetensors(saved.resolve("adapter_model.safetensors"));
        int layers = ModelConfig.read(src.resolve("config.json")).numLayers();
        Set<String> expectedKeys = new TreeSet<>();
        for (String module : modules(type, layers)) {
            String a = "base_model.model." + module + ".lora_A.weight";
            String b = "base_model.model." + module + ".lora_B.weight";
            expectedKeys.add(a);
            expectedKeys.add(b);
            long[] w = baseW.get(module + ".weight").shape();
            long in = family == 0 ? w[0] : w[1]; // Conv1D stores [in, out], Linear [out, in]
            long out = family == 0 ? w[1] : w[0];
            assertArrayEquals(new long[] {2, in}, adapter.get(a).shape(), a);
            assertArrayEquals(new long[] {out, 2}, adapter.get(b).shape(), b);
        }
        assertEquals(expectedKeys, new TreeSet<>(adapter.keySet()));
        given.forEach((k, t) -> assertArrayEquals(t.values(), adapter.get(k).values(), 0.0, k));
        JsonNode ac = HfFormatReader.json(saved.resolve("adapter_config.json"));
        assertEquals("LORA", ac.get("peft_type").asText());
        assertEquals("CAUSAL_LM", ac.get("task_type").asText());
        assertEquals("example-org/base-" + type, ac.get("base_model_name_or_path").asText());
        assertEquals("0123456789abcdef0123456789abcdef01234567", ac.get("revision").asText());
        assertEquals(2, ac.get("r").asInt());
        assertEquals(4.0, ac.get("lora_alpha").asDouble());
        assertEquals(family == 2, ac.get("use_rslora").asBoolean());
        assertEquals(family == 0, ac.get("fan_in_fan_out").asBoolean());
        assertFalse(ac.get("use_dora").asBoolean());
        assertEquals("none", ac.get("bias").asText());
        assertTrue(ac.get("modules_to_save").isNull());
        assertEquals(0, ac.get("rank_pattern").size());

        // merged: W + s B A (Linear) or W + s (B A)^T (Conv1D), s = alpha / r or alpha / sqrt(r)
        assertFalse(Files.exists(merged.resolve("adapter_config.json")));
        assertFalse(Files.exists(merged.resolve("adapter_model.safetensors")));
        Map<String, HfFormatReader.Tensor> mergedW = HfFormatReader.safetensors(merged.resolve("model.safetensors"));
        assertEquals(new TreeSet<>(baseW.keySet()), new TreeSet<>(mergedW.keySet()));
        double s = family == 2 ? 4 / Math.sqrt(2) : 4.0 / 2;
        double worst = 0;
        for (String k : baseW.keySet()) {
            HfFormatReader.Tensor w = baseW.get(k);
            double[] expect = w.values().clone();
            String module = k.substring(0, k.length() - ".weight".length());
            HfFormatReader.Tensor a = given.get("base_model.model." + module + ".lora_A.weight");
            if (k.endsWith(".weight") && a != null) {
                HfFormatReader.Tensor b = given.get("base_model.model." + module + ".lora_B.weight");
                int r = (int) a.shape()[0];
                int in = (int) a.shape()[1];
                int out = (int) b.shape()[0];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        double d = 0;
                        for (int j = 0; j < r; j++) {
                            d += b.values()[o * r + j] * a.values()[j * in + i];
                        }
                        int at = family == 0 ? i * out + o : o * in + i;
                        expect[at] += s * d;
                    }
                }
            }
            double[] got = mergedW.get(k).values();
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - expect[i]) / (1 + Math.abs(expect[i])));
            }
        }
        assertTrue(worst < 2e-6, "merged weights differ from W + s BA by " + worst);

        // what was written loads back with the same function
        for (Path dir : List.of(saved, merged)) {
            try (DjlLanguageModel back = DjlLanguageModel.builder(dir).optDevice(Device.cpu())
                    .optDtype(DataType.FLOAT32).build()) {
                float[][] logits = back.logits(IDS);
                for (int t = 0; t < IDS.length; t++) {
                    for (int v = 0; v < logits[t].length; v++) {
                        assertEquals(adapterLogits[t][v], logits[t][v], 1e-4 * (1 + Math.abs(adapterLogits[t][v])),
                                dir + " t=" + t + " v=" + v);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "family {0}")
    @ValueSource(ints = {0, 2})
    void aFreshAdapterNamesItsBaseFolderAndAMergedBaseNamesTheCheckpoint(int family) throws Exception {
        Path base = base(family);
        Path saved = tmp.resolve("fresh");
        try (DjlLanguageModel m = DjlLanguageModel.builder(base).optLora(new LoraConfig(2, 4, 0, List.of("all-linear")))
                .optDevice(Device.cpu()).build()) {
            m.save(saved);
            assertEquals(base.toRealPath().toString(),
                    HfFormatReader.json(saved.resolve("adapter_config.json")).get("base_model_name_or_path").asText());
            m.mergeLora(); // the base weights change: the base is now the checkpoint's own weights
            Path again = tmp.resolve("after-merge");
            m.save(again);
            assertEquals(again.toAbsolutePath().normalize().toString(),
                    HfFormatReader.json(again.resolve("adapter_config.json")).get("base_model_name_or_path").asText());
        }
        try (DjlLanguageModel named = DjlLanguageModel.builder(base).optLora(new LoraConfig(2, 4, 0,
                List.of("all-linear"))).optBaseModelName("example-org/published-base").optDevice(Device.cpu()).build()) {
            Path out = tmp.resolve("named");
            named.save(out);
            assertEquals("example-org/published-base",
                    HfFormatReader.json(out.resolve("adapter_config.json")).get("base_model_name_or_path").asText());
        }
    }
}
