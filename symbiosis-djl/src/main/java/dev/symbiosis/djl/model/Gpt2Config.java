package dev.symbiosis.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Architecture of a GPT-2 model, as in Hugging Face's {@code config.json} ({@code model_type "gpt2"}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param vocabSize number of token ids, {@code >= 1}
 * @param nPositions context length in tokens, {@code >= 2}
 * @param nEmbd model width, a multiple of {@code nHead}
 * @param nLayer number of transformer blocks, {@code >= 1}
 * @param nHead number of attention heads, {@code >= 1}
 * @param layerNormEpsilon epsilon of every LayerNorm, {@code > 0} (GPT-2: 1e-5)
 * @param bosTokenId id of the beginning-of-text token (GPT-2 uses end-of-text for both)
 * @param eosTokenId id of the end-of-text token
 */
public record Gpt2Config(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead, double layerNormEpsilon,
        int bosTokenId, int eosTokenId) implements ModelConfig {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Gpt2Config {
        if (vocabSize < 1 || nPositions < 2 || nEmbd < 1 || nLayer < 1 || nHead < 1) {
            throw new IllegalArgumentException("invalid GPT-2 sizes: vocab_size=" + vocabSize + " n_positions="
                    + nPositions + " n_embd=" + nEmbd + " n_layer=" + nLayer + " n_head=" + nHead);
        }
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_embd " + nEmbd + " is not a multiple of n_head " + nHead);
        }
        if (!(layerNormEpsilon > 0)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be > 0, got " + layerNormEpsilon);
        }
        if (bosTokenId < 0 || bosTokenId >= vocabSize || eosTokenId < 0 || eosTokenId >= vocabSize) {
            throw new IllegalArgumentException("bos/eos token ids " + bosTokenId + "/" + eosTokenId
                    + " must lie in [0, vocab_size=" + vocabSize + ")");
        }
    }

    /** A config with epsilon 1e-5 and bos = eos = {@code eosTokenId}. */
    public static Gpt2Config of(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead, int eosTokenId) {
        return new Gpt2Config(vocabSize, nPositions, nEmbd, nLayer, nHead, 1e-5, eosTokenId, eosTokenId);
    }

    @Override
    public String modelType() {
        return "gpt2";
    }

    @Override
    public int contextLength() {
        return nPositions;
    }

    @Override
    public int numLayers() {
        return nLayer;
    }

    @Override
    public int hiddenSize() {
        return nEmbd;
    }

    /** Width of one attention head. */
    public int headDim() {
        return nEmbd / nHead;
    }

    /** Number of parameters (tied LM head counted once). */
    @Override
    public long parameterCount() {
        long d = nEmbd;
        long perLayer = 2 * 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d);
        return (long) vocabSize * d + (long) nPositions * d + nLayer * perLayer + 2 * d;
    }

    /** The {@code activation_function} values computed here: all are GELU's tanh approximation. */
    public static final java.util.List<String> ACTIVATIONS = java.util.List.of("gelu_new", "gelu_pytorch_tanh",
            "gelu_fast");

    /**
     * Reads a Hugging Face GPT-2 {@code config.json} (and the {@code generation_config.json} beside it, if any), as
     * transformers' {@code GPT2Config} does; see {@link #read(Path, JsonNode, GenerationConfig)}.
     *
     * @throws IOException naming the file and field when it is missing, not JSON, of another model type, or
     *     holds invalid or unsupported values
     */
    public static Gpt2Config read(Path file) throws IOException {
        JsonNode root = ModelConfig.readJson(file);
        String type = root.path("model_type").asText("gpt2");
        if (!type.equals("gpt2")) {
            throw new IOException(file + ": field model_type is \"" + type + "\", expected \"gpt2\"");
        }
        return read(file, root, GenerationConfig.readBeside(file));
    }

    /**
     * Reads GPT-2 fields as transformers' {@code GPT2Config} does: absent fields take its defaults (vocab_size
     * 50257, n_positions 1024, n_embd 768, n_layer 12, n_head 12, layer_norm_epsilon 1e-5, bos and eos 50256),
     * the special ids may come from generation_config.json, and its aliases ({@code hidden_size},
     * {@code max_position_embeddings}, {@code num_attention_heads}, {@code num_hidden_layers}, the legacy
     * {@code n_ctx}) must agree with the GPT-2 names. Fields that change what the network computes and that this
     * implementation does not compute are refused, naming the field: an untied head
     * ({@code tie_word_embeddings false}), an activation other than GELU's tanh form ({@link #ACTIVATIONS}),
     * {@code scale_attn_weights false}, {@code scale_attn_by_inverse_layer_idx true}, {@code add_cross_attention
     * true} and an {@code n_inner} other than {@code 4 * n_embd}.
     */
    static Gpt2Config read(Path file, JsonNode root, GenerationConfig generation) throws IOException {
        ConfigFields f = new ConfigFields(file, root, "gpt2", generation);
        int vocab = f.intOr("vocab_size", 50257);
        int nPos = f.agreeingInt(1024, "n_positions", "max_position_embeddings");
        if (f.has("n_ctx")) {
            int ctx = f.requiredInt("n_ctx");
            if (ctx != nPos) {
                throw f.invalid("field n_ctx (" + ctx + ") contradicts n_positions (" + nPos + "); transformers"
                        + " ignores n_ctx and uses n_positions");
            }
        }
        int d = f.agreeingInt(768, "n_embd", "hidden_size");
        int layers = f.agreeingInt(12, "n_layer", "num_hidden_layers");
        int heads = f.agreeingInt(12, "n_head", "num_attention_heads");
        double eps = f.doubleOr("layer_norm_epsilon", 1e-5);
        if (f.has("n_inner") && f.requiredInt("n_inner") != 4 * d) {
            throw f.invalid("field n_inner " + f.node("n_inner") + " is not supported (only null or 4*n_embd = "
                    + 4 * d + ")");
        }
        String act = f.textOr("activation_function", "gelu_new");
        if (!ACTIVATIONS.contains(act)) {
            throw f.invalid("field activation_function is \"" + act + "\"; GPT-2 here computes only GELU's tanh"
                    + " approximation " + ACTIVATIONS);
        }
        if (!f.boolOr("tie_word_embeddings", true)) {
            throw f.invalid("field tie_word_embeddings is false: an untied GPT-2 LM head is not supported");
        }
        if (!f.optBoolean("scale_attn_weights", true)) {
            throw f.invalid("field scale_attn_weights is false: unscaled attention is not supported");
        }
        if (f.optBoolean("scale_attn_by_inverse_layer_idx", false)) {
            throw f.invalid("field scale_attn_by_inverse_layer_idx is true: not supported");
        }
        if (f.optBoolean("add_cross_attention", false)) {
            throw f.invalid("field add_cross_attention is true: cross-attention is not supported");
        }
        java.util.List<Integer> eosIds = f.eosIds(50256);
        if (eosIds.size() > 1) {
            throw f.invalid("field eos_token_id lists " + eosIds + "; GPT-2 here has one end-of-text id");
        }
        int eos = eosIds.get(0);
        int bos = f.bosId(50256, eos);
        try {
            return new Gpt2Config(vocab, nPos, d, layers, heads, eps, bos, eos);
        } catch (IllegalArgumentException e) {
            throw f.invalid(e.getMessage());
        }
    }

    /** Writes a Hugging Face compatible {@code config.json}, atomically. */
    @Override
    public void write(Path file) throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        o.putArray("architectures").add("GPT2LMHeadModel");
        o.put("model_type", "gpt2");
        o.put("vocab_size", vocabSize);
        o.put("n_positions", nPositions);
        o.put("n_ctx", nPositions);
        o.put("n_embd", nEmbd);
        o.put("n_layer", nLayer);
        o.put("n_head", nHead);
        o.putNull("n_inner");
        o.put("activation_function", "gelu_new");
        o.put("layer_norm_epsilon", layerNormEpsilon);
        o.put("bos_token_id", bosTokenId);
        o.put("eos_token_id", eosTokenId);
        o.put("resid_pdrop", 0.0);
        o.put("embd_pdrop", 0.0);
        o.put("attn_pdrop", 0.0);
        o.put("initializer_range", 0.02);
        o.put("scale_attn_weights", true);
        o.put("tie_word_embeddings", true);
        o.put("torch_dtype", "float32");
        SafeTensors.writeBytes(file, MAPPER.writeValueAsBytes(o));
    }
}
