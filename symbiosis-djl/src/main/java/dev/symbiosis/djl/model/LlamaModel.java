package dev.symbiosis.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Llama language model (Hugging Face {@code LlamaForCausalLM} semantics: Llama 2, Llama 3, Llama 3.1): pre-RMSNorm
 * blocks, separate {@code q_proj}/{@code k_proj}/{@code v_proj} with grouped-query attention (query head {@code h}
 * reads key/value head {@code h / (num_attention_heads / num_key_value_heads)}), RoPE over the whole head with
 * {@code rope_theta} and optional {@code "llama3"} / {@code "linear"} scaling, SwiGLU MLP
 * {@code down_proj(silu(gate_proj(x)) * up_proj(x))}, final RMSNorm, {@code lm_head} or the tied embedding. Tensor
 * names as in the Hugging Face checkpoint ({@code model.layers.0.self_attn.q_proj.weight}, ...); the buffer
 * {@code rotary_emb.inv_freq} and a tied {@code lm_head.weight} are ignored. LoRA targets:
 * {@link LoraConfig#LLAMA_TARGETS}.
 *
 * <p>Not thread-safe; see {@link DecoderLm} for precision and memory.
 */
public final class LlamaModel extends DecoderLm {

    private final LlamaConfig config;

    private LlamaModel(LlamaConfig config, NDManager manager, DataType dtype, boolean baseTrainable,
            LoraConfig lora) {
        super(config, parameterNames(config), name -> expectedShape(config, name), manager, dtype, baseTrainable,
                lora);
        this.config = config;
    }

    /**
     * Loads a model.
     *
     * @param dtype precision of the base weights, FLOAT32 or FLOAT16
     * @param lora adapter configuration (Llama module names or all-linear), or null
     * @param adapter adapter tensors under PEFT names, or null for a fresh adapter
     * @throws IOException naming the source and tensor when a tensor is missing, unexpected or mis-shaped
     */
    public static LlamaModel create(NDManager parent, Device device, LlamaConfig config, WeightSource weights,
            DataType dtype, boolean baseTrainable, LoraConfig lora, Map<String, Tensor> adapter, String adapterSource,
            long loraSeed) throws IOException {
        return create(parent, device, "llama", LoraConfig.LLAMA_TARGETS, lora,
                (m, resolved) -> new LlamaModel(config, m, dtype, baseTrainable, resolved), weights, adapter,
                adapterSource, loraSeed);
    }

    /** Canonical tensor names in a fixed order. */
    public static List<String> parameterNames(LlamaConfig c) {
        List<String> names = new ArrayList<>();
        names.add("model.embed_tokens.weight");
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            names.add(p + "input_layernorm.weight");
            for (String m : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
                names.add(p + "self_attn." + m + ".weight");
                if (c.attentionBias()) {
                    names.add(p + "self_attn." + m + ".bias");
                }
            }
            names.add(p + "post_attention_layernorm.weight");
            for (String m : List.of("gate_proj", "up_proj", "down_proj")) {
                names.add(p + "mlp." + m + ".weight");
                if (c.mlpBias()) {
                    names.add(p + "mlp." + m + ".bias");
                }
            }
        }
        names.add("model.norm.weight");
        if (!c.tieWordEmbeddings()) {
            names.add("lm_head.weight");
        }
        return names;
    }

    /** The shape of a canonical tensor. */
    public static long[] expectedShape(LlamaConfig c, String name) {
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        long inter = c.intermediateSize();
        if (name.equals("model.embed_tokens.weight") || name.equals("lm_head.weight")) {
            return new long[] {c.vocabSize(), d};
        }
        String[] parts = name.split("\\.");
        String module = parts.length >= 2 ? parts[parts.length - 2] : "";
        boolean bias = name.endsWith(".bias");
        long[] shape = switch (module) {
            case "q_proj" -> new long[] {q, d};
            case "k_proj", "v_proj" -> new long[] {kv, d};
            case "o_proj" -> new long[] {d, q};
            case "gate_proj", "up_proj" -> new long[] {inter, d};
            case "down_proj" -> new long[] {d, inter};
            default -> new long[] {d};
        };
        return bias && shape.length == 2 ? new long[] {shape[0]} : shape;
    }

    @Override
    public LlamaConfig modelConfig() {
        return config;
    }

    @Override
    protected boolean ignored(String name) {
        return name.endsWith(".rotary_emb.inv_freq") || (config.tieWordEmbeddings() && name.equals("lm_head.weight"));
    }

    @Override
    protected String modulePath(int layer, String module) {
        String sub = module.endsWith("_proj") && !module.startsWith("gate") && !module.startsWith("up")
                && !module.startsWith("down") ? "self_attn." : "mlp.";
        return "model.layers." + layer + "." + sub + module;
    }

    @Override
    protected String embeddingName() {
        return "model.embed_tokens.weight";
    }

    @Override
    protected String headName() {
        return config.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
    }

    @Override
    protected Rope rope() {
        return config.rope();
    }

    @Override
    protected NDArray block(Pass p, NDArray h, int layer, NDArray mask, AttentionCache cache, NDArray cos,
            NDArray sin) {
        String prefix = "model.layers." + layer + ".";
        double eps = config.rmsNormEps();
        long b = h.getShape().get(0);
        long t = h.getShape().get(1);
        int hd = config.headDim();
        boolean bias = config.attentionBias();
        NDArray a = p.rmsNorm(h, prefix + "input_layernorm.weight", eps);
        NDArray q = p.linear(a, layer, "q_proj", bias).reshape(b, t, config.numHeads(), hd).transpose(0, 2, 1, 3);
        NDArray k = p.linear(a, layer, "k_proj", bias).reshape(b, t, config.numKeyValueHeads(), hd)
                .transpose(0, 2, 1, 3);
        NDArray v = p.linear(a, layer, "v_proj", bias).reshape(b, t, config.numKeyValueHeads(), hd)
                .transpose(0, 2, 1, 3);
        h = h.add(p.linear(p.attend(q, k, v, layer, mask, cache, cos, sin), layer, "o_proj", bias));
        NDArray m = p.rmsNorm(h, prefix + "post_attention_layernorm.weight", eps);
        NDArray gated = p.silu(p.linear(m, layer, "gate_proj", config.mlpBias()))
                .mul(p.linear(m, layer, "up_proj", config.mlpBias()));
        return h.add(p.linear(gated, layer, "down_proj", config.mlpBias()));
    }

    @Override
    protected NDArray finalNorm(Pass p, NDArray h) {
        return p.rmsNorm(h, "model.norm.weight", config.rmsNormEps());
    }
}
