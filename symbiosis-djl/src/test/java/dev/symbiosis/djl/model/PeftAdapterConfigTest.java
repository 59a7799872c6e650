package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * adapter_config.json read as PEFT reads it, or refused naming the field. Sources (huggingface/peft):
 * src/peft/tuners/lora/config.py ({@code LoraConfig}: r=8, lora_alpha=8, lora_dropout=0.0, use_rslora, use_dora,
 * rank_pattern, alpha_pattern, modules_to_save, bias, layers_to_transform, exclude_modules ...),
 * src/peft/tuners/lora/layer.py ({@code update_layer}: {@code scaling = lora_alpha / math.sqrt(r)} if use_rslora
 * else {@code lora_alpha / r}), src/peft/tuners/tuners_utils.py ({@code check_target_module_exists}: a string is
 * {@code re.fullmatch}ed against the module name, a list entry matches a name equal to it or ending in
 * {@code "." + entry}) and src/peft/utils/constants.py
 * ({@code TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING}: gpt2 ["c_attn"], gpt_neox ["query_key_value"],
 * llama ["q_proj", "v_proj"]) for absent target_modules.
 */
class PeftAdapterConfigTest {

    private static final ModelConfig GPT2 = new Gpt2Config(300, 32, 16, 2, 2, 1e-5, 1, 1);
    private static final ModelConfig NEOX = GptNeoxConfig.of(300, 32, 16, 2, 2, 1);
    private static final ModelConfig LLAMA = LlamaConfig.of(300, 32, 16, 2, 4, 2, false, 1, 2);

    @TempDir
    Path tmp;

    private LoraConfig read(String json, ModelConfig model) throws IOException {
        Path f = tmp.resolve("adapter_config.json");
        Files.writeString(f, json);
        return PeftAdapterConfig.read(f, model);
    }

    private void refused(String json, ModelConfig model, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> read(json, model), json);
        assertTrue(e.getMessage().contains("adapter_config.json"), e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "expected '" + s + "' in: " + e.getMessage());
        }
    }

    @Test
    void absentFieldsTakePeftsDefaults() throws IOException {
        LoraConfig g = read("{\"peft_type\": \"LORA\"}", GPT2);
        assertEquals(8, g.rank());
        assertEquals(8.0, g.alpha());
        assertEquals(0.0, g.dropout());
        assertEquals(List.of("attn.c_attn"), g.targets());
        assertEquals(List.of("query_key_value"), read("{}", NEOX).targets());
        assertEquals(List.of("q_proj", "v_proj"), read("{}", LLAMA).targets());
    }

    @Test
    void rankStabilisedScalingIsHonoured() throws IOException {
        LoraConfig l = read("{\"r\": 16, \"lora_alpha\": 8, \"use_rslora\": true, \"target_modules\": [\"q_proj\"]}",
                LLAMA);
        assertTrue(l.rsLora());
        assertEquals(8 / Math.sqrt(16), l.scaling(), 1e-15);
        assertEquals(0.5, read("{\"r\": 16, \"lora_alpha\": 8}", LLAMA).scaling(), 1e-15);
    }

    @Test
    void targetModulesMatchAsPeftMatchesThem() throws IOException {
        // suffix matching: GPT-2's c_proj is both the attention and the MLP projection
        assertEquals(List.of("attn.c_proj", "mlp.c_proj"), read("{\"target_modules\": [\"c_proj\"]}", GPT2).targets());
        assertEquals(List.of("attn.c_attn", "mlp.c_fc"), read("{\"target_modules\": [\"c_fc\", \"attn.c_attn\"]}",
                GPT2).targets());
        assertEquals(List.of("dense"), read("{\"target_modules\": [\"attention.dense\"]}", NEOX).targets());
        // a string is a regular expression over whole module names
        assertEquals(List.of("q_proj", "v_proj"), read("{\"target_modules\": \".*\\\\.(q_proj|v_proj)\"}", LLAMA)
                .targets());
        assertEquals(LoraConfig.LLAMA_TARGETS, read("{\"target_modules\": \"all-linear\"}", LLAMA).targets());
        refused("{\"target_modules\": \"model\\\\.layers\\\\.0\\\\.self_attn\\\\.q_proj\"}", LLAMA, "target_modules",
                "1 of 2 layers");
        refused("{\"target_modules\": [\"lm_head\"]}", LLAMA, "target_modules", "lm_head");
        refused("{\"target_modules\": \"nothing_matches\"}", NEOX, "target_modules");
        refused("{\"target_modules\": 3}", NEOX, "target_modules");
    }

    @Test
    void fieldsThatWouldChangeTheAdapterAreRefusedByName() {
        refused("{\"use_dora\": true}", LLAMA, "use_dora");
        refused("{\"r\": 8, \"rank_pattern\": {\"q_proj\": 4}}", LLAMA, "rank_pattern", "q_proj");
        refused("{\"lora_alpha\": 16, \"alpha_pattern\": {\"v_proj\": 32}}", LLAMA, "alpha_pattern", "v_proj");
        refused("{\"modules_to_save\": [\"lm_head\"]}", LLAMA, "modules_to_save");
        refused("{\"bias\": \"lora_only\"}", LLAMA, "bias", "lora_only");
        refused("{\"bias\": \"all\"}", GPT2, "bias");
        refused("{\"layers_to_transform\": [0]}", NEOX, "layers_to_transform");
        refused("{\"layer_replication\": [[0, 2]]}", LLAMA, "layer_replication");
        refused("{\"exclude_modules\": [\"q_proj\"]}", LLAMA, "exclude_modules");
        refused("{\"lora_bias\": true}", LLAMA, "lora_bias");
        refused("{\"peft_type\": \"IA3\"}", LLAMA, "peft_type");
        refused("{\"task_type\": \"SEQ_CLS\"}", LLAMA, "task_type");
        refused("{\"r\": \"eight\"}", LLAMA, "field r");
    }

    @Test
    void neutralValuesOfThoseFieldsAreRead() throws IOException {
        LoraConfig l = read("{\"r\": 4, \"lora_alpha\": 8, \"rank_pattern\": {\"q_proj\": 4}, \"alpha_pattern\": {},"
                + " \"modules_to_save\": null, \"bias\": \"none\", \"use_dora\": false, \"layers_to_transform\": null,"
                + " \"exclude_modules\": [], \"fan_in_fan_out\": true, \"target_modules\": [\"q_proj\"],"
                + " \"some_new_peft_field\": {\"x\": 1}}", LLAMA);
        assertEquals(new LoraConfig(4, 8, 0, List.of("q_proj")), l);
    }
}
