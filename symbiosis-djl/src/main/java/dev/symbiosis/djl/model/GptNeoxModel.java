package dev.symbiosis.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A GPT-NeoX language model (Hugging Face {@code GPTNeoXForCausalLM} semantics, e.g. Pythia): LayerNorm blocks,
 * fused {@code query_key_value} whose output is laid out per head as {@code [q_h, k_h, v_h]} (the
 * head-interleaved layout: reshape to {@code (B, T, H, 3 hd)}, then split), rotary embedding on the first
 * {@code rotary_pct} of each head, parallel residual {@code x + attn(ln1(x)) + mlp(ln2(x))} when
 * {@code use_parallel_residual} (else sequential), untied {@code embed_out}. Tensor names as in the Hugging Face
 * checkpoint ({@code gpt_neox.layers.0.attention.query_key_value.weight}, ...); the buffers
 * {@code attention.bias}, {@code attention.masked_bias} and {@code attention.rotary_emb.inv_freq} are ignored.
 * LoRA targets: {@link LoraConfig#GPT_NEOX_TARGETS}. Dropout of the base model is not applied.
 *
 * <p>Not thread-safe; see {@link DecoderLm} for precision and memory.
 */
public final class GptNeoxModel extends DecoderLm {

    private final GptNeoxConfig config;

    private GptNeoxModel(GptNeoxConfig config, NDManager manager, DataType dtype, boolean baseTrainable,
            LoraConfig lora) {
        super(config, parameterNames(config), name -> expectedShape(config, name), manager, dtype, baseTrainable,
                lora);
        this.config = config;
    }

    /**
     * Loads a model.
     *
     * @param dtype precision of the base weights, FLOAT32 or FLOAT16
     * @param lora adapter configuration (GPT-NeoX module names or all-linear), or null
     * @param adapter adapter tensors under PEFT names, or null for a fresh adapter
     * @throws IOException naming the source and tensor when a tensor is missing, unexpected or mis-shaped
     */
    public static GptNeoxModel create(NDManager parent, Device device, GptNeoxConfig config, WeightSource weights,
            DataType dtype, boolean baseTrainable, LoraConfig lora, Map<String, Tensor> adapter, String adapterSource,
            long loraSeed) throws IOException {
        return create(parent, device, "gpt_neox", LoraConfig.GPT_NEOX_TARGETS, lora,
                (m, resolved) -> new GptNeoxModel(config, m, dtype, baseTrainable, resolved), weights, adapter,
                adapterSource, loraSeed);
    }

    /** Canonical tensor names in a fixed order. */
    public static List<String> parameterNames(GptNeoxConfig c) {
        List<String> names = new ArrayList<>();
        names.add("gpt_neox.embed_in.weight");
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "gpt_neox.layers." + i + ".";
            names.add(p + "input_layernorm.weight");
            names.add(p + "input_layernorm.bias");
            names.add(p + "post_attention_layernorm.weight");
            names.add(p + "post_attention_layernorm.bias");
            names.add(p + "attention.query_key_value.weight");
            if (c.attentionBias()) {
                names.add(p + "attention.query_key_value.bias");
            }
            names.add(p + "attention.dense.weight");
            if (c.attentionBias()) {
                names.add(p + "attention.dense.bias");
            }
            names.add(p + "mlp.dense_h_to_4h.weight");
            names.add(p + "mlp.dense_h_to_4h.bias");
            names.add(p + "mlp.dense_4h_to_h.weight");
            names.add(p + "mlp.dense_4h_to_h.bias");
        }
        names.add("gpt_neox.final_layer_norm.weight");
        names.add("gpt_neox.final_layer_norm.bias");
        if (!c.tieWordEmbeddings()) {
            names.add("embed_out.weight");
        }
        return names;
    }

    /** The shape of a canonical tensor. */
    public static long[] expectedShape(GptNeoxConfig c, String name) {
        long d = c.hiddenSize();
        long inter = c.intermediateSize();
        if (name.equals("gpt_neox.embed_in.weight") || name.equals("embed_out.weight")) {
            return new long[] {c.vocabSize(), d};
        }
        if (name.endsWith("query_key_value.weight")) {
            return new long[] {3 * d, d};
        }
        if (name.endsWith("query_key_value.bias")) {
            return new long[] {3 * d};
        }
        if (name.endsWith("attention.dense.weight")) {
            return new long[] {d, d};
        }
        if (name.endsWith("dense_h_to_4h.weight")) {
            return new long[] {inter, d};
        }
        if (name.endsWith("dense_h_to_4h.bias")) {
            return new long[] {inter};
        }
        if (name.endsWith("dense_4h_to_h.weight")) {
            return new long[] {d, inter};
        }
        return new long[] {d};
    }

    @Override
    public GptNeoxConfig modelConfig() {
        return config;
    }

    @Override
    protected boolean ignored(String name) {
        return name.endsWith(".attention.bias") || name.endsWith(".attention.masked_bias")
                || name.endsWith(".rotary_emb.inv_freq") || (config.tieWordEmbeddings() && name.equals("embed_out.weight"));
    }

    @Override
    protected String modulePath(int layer, String module) {
        String sub = module.equals("query_key_value") || module.equals("dense") ? "attention." : "mlp.";
        return "gpt_neox.layers." + layer + "." + sub + module;
    }

    @Override
    protected String embeddingName() {
        return "gpt_neox.embed_in.weight";
    }

    @Override
    protected String headName() {
        return config.tieWordEmbeddings() ? "gpt_neox.embed_in.weight" : "embed_out.weight";
    }

    @Override
    protected Rope rope() {
        return config.rope();
    }

    @Override
    protected NDArray block(Pass p, NDArray h, int layer, NDArray mask, AttentionCache cache, NDArray cos,
            NDArray sin) {
        String prefix = "gpt_neox.layers." + layer + ".";
        double eps = config.layerNormEps();
        long b = h.getShape().get(0);
        long t = h.getShape().get(1);
        int heads = config.numHeads();
        int hd = config.headDim();
        NDArray a = p.layerNorm(h, prefix + "input_layernorm", eps);
        NDArray qkv = p.linear(a, layer, "query_key_value", config.attentionBias()).reshape(b, t, heads, 3L * hd);
        NDList parts = qkv.split(3, 3);
        NDArray q = parts.get(0).transpose(0, 2, 1, 3);
        NDArray k = parts.get(1).transpose(0, 2, 1, 3);
        NDArray v = parts.get(2).transpose(0, 2, 1, 3);
        NDArray attn = p.linear(p.attend(q, k, v, layer, mask, cache, cos, sin), layer, "dense",
                config.attentionBias());
        if (config.useParallelResidual()) {
            NDArray m = mlp(p, p.layerNorm(h, prefix + "post_attention_layernorm", eps), layer);
            return h.add(attn).add(m);
        }
        NDArray h1 = h.add(attn);
        return h1.add(mlp(p, p.layerNorm(h1, prefix + "post_attention_layernorm", eps), layer));
    }

    private NDArray mlp(Pass p, NDArray x, int layer) {
        NDArray up = p.linear(x, layer, "dense_h_to_4h", true);
        NDArray act = config.hiddenAct().equals("gelu") ? p.geluExact(up) : p.geluTanh(up);
        return p.linear(act, layer, "dense_4h_to_h", true);
    }

    @Override
    protected NDArray finalNorm(Pass p, NDArray h) {
        return p.layerNorm(h, "gpt_neox.final_layer_norm", config.layerNormEps());
    }
}
