package dev.symbiosis.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PEFT's {@code adapter_config.json} for LoRA: read as PEFT reads it, or refused naming the field; written so that
 * PEFT's {@code PeftModel.from_pretrained}, {@code AutoPeftModelForCausalLM} and transformers' adapter-aware
 * {@code from_pretrained} load it.
 *
 * <p>Reading honours {@code r}, {@code lora_alpha}, {@code lora_dropout} (PEFT's defaults 8, 8, 0.0 when absent),
 * {@code use_rslora} (scaling {@code alpha / sqrt(r)}), {@code target_modules} as PEFT matches them (a list: a
 * module is adapted when its name is an entry or ends with {@code "." + entry}, so GPT-2's {@code "c_proj"} adapts
 * both projections; a string: {@code "all-linear"}, or a regular expression that must match whole module names;
 * absent: PEFT's default for the model type: gpt2 {@code c_attn}, gpt_neox {@code query_key_value}, llama
 * {@code q_proj, v_proj}). It refuses, naming the field, what would make PEFT compute something else than this
 * library: {@code use_dora}, a non-empty {@code rank_pattern} / {@code alpha_pattern} whose values differ from
 * {@code r} / {@code lora_alpha}, {@code modules_to_save}, {@code bias} other than {@code "none"},
 * {@code layers_to_transform}, {@code layer_replication}, {@code exclude_modules}, {@code lora_bias},
 * {@code target_parameters}, {@code trainable_token_indices}, {@code megatron_config}, a regular expression or
 * entry that adapts only some layers or a module that is not an adaptable linear layer, a {@code peft_type} other
 * than LORA and a {@code task_type} other than CAUSAL_LM. {@code fan_in_fan_out} is ignored, as PEFT corrects it
 * from the layer type. Other fields are ignored.
 *
 * <p>Stateless and thread-safe.
 */
public final class PeftAdapterConfig {

    /** The file name in a checkpoint directory. */
    public static final String FILE = "adapter_config.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeftAdapterConfig() {}

    /** Where the adapter's base model is, as the file says: {@code base_model_name_or_path} and {@code revision}. */
    public record Base(String nameOrPath, String revision) {}

    /** The file's {@code base_model_name_or_path} / {@code revision}; null when the name is absent or null. */
    public static Base base(Path file) throws IOException {
        JsonNode n = ModelConfig.readJson(file);
        JsonNode name = n.get("base_model_name_or_path");
        if (name == null || name.isNull()) {
            return null;
        }
        if (!name.isTextual() || name.asText().isBlank()) {
            throw new IOException(file + ": field base_model_name_or_path must be a non-empty string, got " + name);
        }
        JsonNode rev = n.get("revision");
        return new Base(name.asText(), rev == null || rev.isNull() ? null : rev.asText());
    }

    /**
     * Reads an adapter for a model of {@code config}'s family; the targets come back resolved for that family
     * (in the family's module order).
     *
     * @throws IOException naming the file and field when it is not JSON, a field has the wrong type, or asks for
     *     something this library does not compute (see the class comment)
     */
    public static LoraConfig read(Path file, ModelConfig config) throws IOException {
        JsonNode n = ModelConfig.readJson(file);
        ConfigFields f = new ConfigFields(file, n, null, null);
        String peftType = f.optText("peft_type", "LORA");
        if (!peftType.equals("LORA")) {
            throw f.invalid("field peft_type is \"" + peftType + "\"; only LORA adapters are supported");
        }
        String task = f.optText("task_type", "CAUSAL_LM");
        if (!task.equals("CAUSAL_LM")) {
            throw f.invalid("field task_type is \"" + task + "\"; only CAUSAL_LM adapters are supported");
        }
        int r = f.optInt("r", 8);
        double alpha = f.optDouble("lora_alpha", 8);
        double dropout = f.optDouble("lora_dropout", 0.0);
        boolean rsLora = f.optBoolean("use_rslora", false);
        if (f.optBoolean("use_dora", false)) {
            throw f.invalid("field use_dora is true: DoRA adapters are not supported");
        }
        checkPattern(f, "rank_pattern", r);
        checkPattern(f, "alpha_pattern", alpha);
        String bias = f.optText("bias", "none");
        if (!bias.equals("none")) {
            throw f.invalid("field bias is \"" + bias + "\": only \"none\" is supported (trained biases are not"
                    + " loaded)");
        }
        if (f.optBoolean("lora_bias", false)) {
            throw f.invalid("field lora_bias is true: LoRA B biases are not supported");
        }
        if (f.optBoolean("use_qalora", false)) {
            throw f.invalid("field use_qalora is true: not supported");
        }
        for (String field : new String[] {"modules_to_save", "layers_to_transform", "layer_replication",
                "exclude_modules", "target_parameters", "trainable_token_indices", "megatron_config",
                "alora_invocation_tokens"}) {
            JsonNode v = f.node(field);
            if (v != null && !(v.isContainerNode() && v.isEmpty())) {
                throw f.invalid("field " + field + " is " + v + ": not supported (only null is)");
            }
        }
        List<String> targets = targets(f, config);
        try {
            return new LoraConfig(r, alpha, dropout, targets, rsLora).forFamily(config.modelType(),
                    familyModules(config));
        } catch (IllegalArgumentException e) {
            throw f.invalid(e.getMessage());
        }
    }

    private static void checkPattern(ConfigFields f, String field, double global) throws IOException {
        JsonNode p = f.node(field);
        if (p == null) {
            return;
        }
        if (!p.isObject()) {
            throw f.invalid("field " + field + " must be an object, got " + p);
        }
        for (Map.Entry<String, JsonNode> e : p.properties()) {
            if (!e.getValue().isNumber() || e.getValue().asDouble() != global) {
                throw f.invalid("field " + field + " gives " + e.getKey() + " the value " + e.getValue()
                        + ", which differs from the global " + (field.startsWith("rank") ? "r" : "lora_alpha") + " "
                        + global + ": per-module ranks and alphas are not supported");
            }
        }
    }

    /** PEFT's {@code TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING} for the three families. */
    static List<String> peftDefaultTargets(String modelType) {
        return switch (modelType) {
            case "gpt2" -> List.of("attn.c_attn");
            case "gpt_neox" -> List.of("query_key_value");
            case "llama" -> List.of("q_proj", "v_proj");
            default -> throw new IllegalArgumentException("no default LoRA targets for " + modelType);
        };
    }

    /** The family's adaptable modules, in {@link LoraConfig}'s names and order. */
    static List<String> familyModules(ModelConfig config) {
        return switch (config.modelType()) {
            case "gpt2" -> LoraConfig.ALL_TARGETS;
            case "gpt_neox" -> LoraConfig.GPT_NEOX_TARGETS;
            case "llama" -> LoraConfig.LLAMA_TARGETS;
            default -> throw new IllegalArgumentException("unsupported model type " + config.modelType());
        };
    }

    /** The full module name (as in the Hugging Face model) of {@code module} in layer {@code layer}. */
    static String moduleName(String modelType, int layer, String module) {
        return switch (modelType) {
            case "gpt2" -> "transformer.h." + layer + "." + module;
            case "gpt_neox" -> "gpt_neox.layers." + layer + "." + (module.startsWith("dense_") ? "mlp." : "attention.")
                    + module;
            case "llama" -> "model.layers." + layer + "." + (module.endsWith("_proj") && !module.startsWith("gate")
                    && !module.startsWith("up") && !module.startsWith("down") ? "self_attn." : "mlp.") + module;
            default -> throw new IllegalArgumentException(modelType);
        };
    }

    /** The adapted modules as PEFT's {@code check_target_module_exists} selects them. */
    private static List<String> targets(ConfigFields f, ModelConfig config) throws IOException {
        JsonNode t = f.node("target_modules");
        List<String> modules = familyModules(config);
        String type = config.modelType();
        if (t == null) {
            return peftDefaultTargets(type);
        }
        Set<String> chosen = new LinkedHashSet<>();
        if (t.isTextual()) {
            if (t.asText().equals(LoraConfig.ALL_LINEAR)) {
                return List.of(LoraConfig.ALL_LINEAR);
            }
            Pattern p;
            try {
                p = Pattern.compile(t.asText());
            } catch (PatternSyntaxException e) {
                throw f.invalid("field target_modules is not a regular expression: " + e.getDescription());
            }
            for (String m : modules) {
                int hits = 0;
                for (int layer = 0; layer < config.numLayers(); layer++) {
                    hits += p.matcher(moduleName(type, layer, m)).matches() ? 1 : 0;
                }
                if (hits == config.numLayers()) {
                    chosen.add(m);
                } else if (hits > 0) {
                    throw f.invalid("field target_modules \"" + t.asText() + "\" adapts " + m + " in " + hits + " of "
                            + config.numLayers() + " layers: adapting only some layers is not supported");
                }
            }
            if (chosen.isEmpty()) {
                throw f.invalid("field target_modules \"" + t.asText() + "\" matches no adaptable module of a "
                        + type + " model (" + modules + ")");
            }
            return new ArrayList<>(chosen);
        }
        if (!t.isArray()) {
            throw f.invalid("field target_modules must be a list of module names or a string, got " + t);
        }
        for (JsonNode e : t) {
            if (!e.isTextual()) {
                throw f.invalid("field target_modules must hold strings, got " + e);
            }
            String key = e.asText();
            if (key.equals(LoraConfig.ALL_LINEAR)) {
                return List.of(LoraConfig.ALL_LINEAR);
            }
            boolean any = false;
            for (String m : modules) {
                String full = moduleName(type, 0, m);
                if (full.equals(key) || full.endsWith("." + key)) {
                    chosen.add(m);
                    any = true;
                }
            }
            if (!any) {
                throw f.invalid("field target_modules names \"" + key + "\", which is not an adaptable module of a "
                        + type + " model; adaptable: " + modules);
            }
        }
        if (chosen.isEmpty()) {
            throw f.invalid("field target_modules is an empty list");
        }
        return new ArrayList<>(chosen);
    }

    /**
     * Writes {@code adapter_config.json} as PEFT's {@code save_pretrained} does for a LoRA adapter of a causal LM.
     *
     * @param fanInFanOut true for GPT-2 (Conv1D weights are stored transposed)
     * @param baseModel the base model's hub id or directory ({@code base_model_name_or_path}); required, as
     *     PEFT's {@code AutoPeftModelForCausalLM} and transformers' adapter-aware loading read the base from it
     * @param revision the base's revision (a commit) or null
     */
    public static void write(Path file, LoraConfig lora, boolean fanInFanOut, String baseModel, String revision)
            throws IOException {
        if (baseModel == null || baseModel.isBlank()) {
            throw new IllegalArgumentException("an adapter needs its base model's name or path");
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("peft_type", "LORA");
        o.put("task_type", "CAUSAL_LM");
        o.putNull("auto_mapping");
        o.put("base_model_name_or_path", baseModel);
        if (revision == null) {
            o.putNull("revision");
        } else {
            o.put("revision", revision);
        }
        o.put("inference_mode", true);
        o.put("r", lora.rank());
        o.put("lora_alpha", lora.alpha());
        o.put("lora_dropout", lora.dropout());
        lora.targets().forEach(o.putArray("target_modules")::add);
        o.put("fan_in_fan_out", fanInFanOut);
        o.put("bias", "none");
        o.put("use_rslora", lora.rsLora());
        o.put("use_dora", false);
        o.putNull("modules_to_save");
        o.put("init_lora_weights", true);
        o.putNull("layers_to_transform");
        o.putNull("layers_pattern");
        o.putObject("rank_pattern");
        o.putObject("alpha_pattern");
        SafeTensors.writeBytes(file, MAPPER.writeValueAsBytes(o));
    }
}
