package dev.symbiosis.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A GPT-2 language model (Hugging Face {@code GPT2LMHeadModel} semantics: learned positions, pre-LayerNorm blocks,
 * fused qkv, tanh-approximated GELU, final LayerNorm, LM head tied to the token embedding) on the shared
 * {@link DecoderLm}: LoRA, the key/value cache, input saliency and checkpoint tensors are the decoder's; this class
 * supplies GPT-2's names, shapes, learned positions and block. Dropout of the base model is not applied (all GPT-2
 * dropout rates are treated as 0). LoRA targets: {@link LoraConfig#ALL_TARGETS}.
 *
 * <p>Parameters are kept under their GPT-2 names with the {@code transformer.} prefix, e.g.
 * {@code transformer.h.0.attn.c_attn.weight} of shape {@code [d, 3d]} (Conv1D layout: {@code y = x W + b}; a
 * checkpoint's names may lack the prefix). Weights are always FLOAT32, and a checkpoint always writes them (under
 * the prefixed names, F32) rather than linking the file they were loaded from.
 *
 * <p>Not thread-safe; see {@link DecoderLm}. Closing the model releases all its native memory.
 */
public final class Gpt2Model extends DecoderLm {

    private static final String PREFIX = "transformer.";

    /** Per-layer parameter suffixes. */
    private static final String[] LAYER_PARAMS = {
        "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight",
        "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight",
        "mlp.c_proj.bias"
    };

    private final Gpt2Config config;

    private Gpt2Model(Gpt2Config config, NDManager manager, boolean baseTrainable, LoraConfig lora) {
        super(config, parameterNames(config), name -> expectedShape(config, name), manager, DataType.FLOAT32,
                baseTrainable, lora);
        this.config = config;
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
     * Builds a model from weights with GPT-2 names (with or without the {@code transformer.} prefix;
     * {@code attn.bias}, {@code attn.masked_bias} and a tied {@code lm_head.weight} are ignored).
     *
     * @param baseTrainable whether the base parameters take gradients (full fine-tuning)
     * @param lora the adapter configuration (GPT-2 module names or all-linear), or null for none
     * @param adapter adapter tensors under PEFT names, or null for a fresh adapter (A Kaiming-uniform, B zero)
     * @param loraSeed seed of a fresh adapter's initialisation
     * @throws IOException naming the source and the tensor if a tensor is missing, unexpected, mis-shaped or given
     *     twice (with and without the prefix)
     */
    public static Gpt2Model create(NDManager parent, Device device, Gpt2Config cfg, WeightSource weights,
            boolean baseTrainable, LoraConfig lora, Map<String, Tensor> adapter, String adapterSource, long loraSeed)
            throws IOException {
        return create(parent, device, "gpt2", LoraConfig.ALL_TARGETS, lora,
                (m, resolved) -> new Gpt2Model(cfg, m, baseTrainable, resolved), weights, adapter, adapterSource,
                loraSeed);
    }

    /**
     * {@link #create(NDManager, Device, Gpt2Config, WeightSource, boolean, LoraConfig, Map, String, long)} from
     * tensors in Java memory; {@code source} names them in error messages.
     */
    public static Gpt2Model create(NDManager parent, Device device, Gpt2Config cfg, Map<String, Tensor> tensors,
            String source, boolean baseTrainable, LoraConfig lora, Map<String, Tensor> adapter, String adapterSource,
            long loraSeed) throws IOException {
        return create(parent, device, cfg, WeightSource.of(tensors, source), baseTrainable, lora, adapter,
                adapterSource, loraSeed);
    }

    @Override
    public Gpt2Config modelConfig() {
        return config;
    }

    // ------------------------------------------------------------------ family hooks

    @Override
    protected boolean ignored(String name) {
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias") || name.equals("lm_head.weight");
    }

    @Override
    protected String canonicalName(String checkpointName) {
        return checkpointName.startsWith(PREFIX) ? checkpointName : PREFIX + checkpointName;
    }

    /** GPT-2's {@code Conv1D}: weights {@code [in, out]}. */
    @Override
    public boolean fanInFanOut() {
        return true;
    }

    /** GPT-2 checkpoints are always written under the prefixed names, F32. */
    @Override
    public boolean linksLoadedBase() {
        return false;
    }

    @Override
    protected String family() {
        return "GPT-2";
    }

    @Override
    protected String modulePath(int layer, String module) {
        return "transformer.h." + layer + "." + module;
    }

    @Override
    protected String embeddingName() {
        return "transformer.wte.weight";
    }

    @Override
    protected String headName() {
        return "transformer.wte.weight";
    }

    @Override
    protected Rope rope() {
        return null;
    }

    @Override
    protected NDArray addPositions(Pass p, NDArray embeddings, long[] positions, long posRows, int t) {
        return embeddings.add(p.embedding("transformer.wpe.weight", positions, posRows, t));
    }

    @Override
    protected NDArray block(Pass p, NDArray h, int layer, NDArray mask, AttentionCache cache, NDArray cos,
            NDArray sin) {
        String prefix = "transformer.h." + layer + ".";
        double eps = config.layerNormEpsilon();
        long b = h.getShape().get(0);
        long t = h.getShape().get(1);
        int heads = config.nHead();
        int hd = config.headDim();
        NDArray a = p.layerNorm(h, prefix + "ln_1", eps);
        NDList qkv = p.linear(a, layer, "attn.c_attn", true).split(3, 2);
        NDArray q = qkv.get(0).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray k = qkv.get(1).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray v = qkv.get(2).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray r = h.add(p.linear(p.attend(q, k, v, layer, mask, cache, cos, sin), layer, "attn.c_proj", true));
        NDArray m = p.linear(p.layerNorm(r, prefix + "ln_2", eps), layer, "mlp.c_fc", true);
        return r.add(p.linear(p.geluTanh(m), layer, "mlp.c_proj", true));
    }

    @Override
    protected NDArray finalNorm(Pass p, NDArray h) {
        return p.layerNorm(h, "transformer.ln_f", config.layerNormEpsilon());
    }
}
