package dev.symbiosis.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Architecture of a GPT-NeoX model (Pythia), as in Hugging Face's {@code config.json} ({@code model_type
 * "gpt_neox"}): LayerNorm blocks, fused {@code query_key_value} in the head-interleaved layout, rotary embedding on
 * the first {@code rotary_pct} of each head, parallel residual when {@code use_parallel_residual}, untied
 * {@code embed_out} unless {@code tie_word_embeddings}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param vocabSize number of token ids
 * @param maxPositionEmbeddings context length
 * @param hiddenSize model width, a multiple of {@code numHeads}
 * @param numLayers transformer blocks
 * @param numHeads attention heads
 * @param intermediateSize MLP width
 * @param rotaryPct fraction of each head's features that are rotated, in (0, 1] ({@code rotary_pct}, or
 *     {@code partial_rotary_factor} in newer files)
 * @param rotaryEmbBase RoPE base ({@code rotary_emb_base}, or {@code rope_theta} in newer files)
 * @param useParallelResidual {@code x + attn(ln1(x)) + mlp(ln2(x))} when true, sequential residuals otherwise
 * @param layerNormEps epsilon of every LayerNorm
 * @param hiddenAct {@code "gelu"} (exact, erf) or {@code "gelu_new"} / {@code "gelu_fast"} /
 *     {@code "gelu_pytorch_tanh"} (tanh approximation)
 * @param attentionBias whether the attention projections have biases (default true)
 * @param tieWordEmbeddings whether the LM head is the input embedding (default false)
 * @param bosTokenId beginning-of-text id
 * @param eosTokenIds end-of-text ids, the first is the one appended to training texts
 */
public record GptNeoxConfig(int vocabSize, int maxPositionEmbeddings, int hiddenSize, int numLayers, int numHeads,
        int intermediateSize, double rotaryPct, double rotaryEmbBase, boolean useParallelResidual, double layerNormEps,
        String hiddenAct, boolean attentionBias, boolean tieWordEmbeddings, int bosTokenId, List<Integer> eosTokenIds)
        implements ModelConfig {

    /** The activations {@code hidden_act} may name. */
    public static final List<String> ACTIVATIONS = List.of("gelu", "gelu_new", "gelu_fast", "gelu_pytorch_tanh");

    public GptNeoxConfig {
        if (vocabSize < 1 || maxPositionEmbeddings < 2 || hiddenSize < 1 || numLayers < 1 || numHeads < 1
                || intermediateSize < 1) {
            throw new IllegalArgumentException("invalid GPT-NeoX sizes: vocab_size=" + vocabSize
                    + " max_position_embeddings=" + maxPositionEmbeddings + " hidden_size=" + hiddenSize
                    + " num_hidden_layers=" + numLayers + " num_attention_heads=" + numHeads + " intermediate_size="
                    + intermediateSize);
        }
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numHeads);
        }
        if (!(rotaryPct > 0 && rotaryPct <= 1)) {
            throw new IllegalArgumentException("rotary_pct must be in (0, 1], got " + rotaryPct);
        }
        if ((int) (hiddenSize / numHeads * rotaryPct) < 2) {
            throw new IllegalArgumentException("rotary_pct " + rotaryPct + " rotates fewer than 2 of the "
                    + hiddenSize / numHeads + " features of a head");
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps);
        }
        if (!ACTIVATIONS.contains(hiddenAct)) {
            throw new IllegalArgumentException("hidden_act \"" + hiddenAct + "\" is not supported; use one of "
                    + ACTIVATIONS);
        }
        eosTokenIds = List.copyOf(eosTokenIds);
        if (eosTokenIds.isEmpty()) {
            throw new IllegalArgumentException("eos_token_id is required");
        }
        for (int id : eosTokenIds) {
            checkId("eos_token_id", id, vocabSize);
        }
        checkId("bos_token_id", bosTokenId, vocabSize);
        Rope.of(rotaryDims(hiddenSize, numHeads, rotaryPct), rotaryEmbBase); // validates the base
    }

    static void checkId(String field, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(field + " " + id + " must lie in [0, vocab_size=" + vocabSize + ")");
        }
    }

    private static int rotaryDims(int hidden, int heads, double pct) {
        int dims = (int) (hidden / heads * pct);
        return dims - dims % 2;
    }

    /**
     * A Pythia-like config: rotary_pct 0.25, base 10000, parallel residual, exact GELU, 4x MLP, untied head,
     * eps 1e-5, bos = eos = {@code eosTokenId}.
     */
    public static GptNeoxConfig of(int vocabSize, int contextLength, int hiddenSize, int numLayers, int numHeads,
            int eosTokenId) {
        return new GptNeoxConfig(vocabSize, contextLength, hiddenSize, numLayers, numHeads, 4 * hiddenSize, 0.25,
                10000, true, 1e-5, "gelu", true, false, eosTokenId, List.of(eosTokenId));
    }

    @Override
    public String modelType() {
        return "gpt_neox";
    }

    @Override
    public int contextLength() {
        return maxPositionEmbeddings;
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** The rotary embedding: {@code int(headDim * rotary_pct)} features (rounded down to even). */
    public Rope rope() {
        return Rope.of(rotaryDims(hiddenSize, numHeads, rotaryPct), rotaryEmbBase);
    }

    @Override
    public int eosTokenId() {
        return eosTokenIds.get(0);
    }

    @Override
    public List<Integer> stopTokenIds() {
        return eosTokenIds;
    }

    @Override
    public long parameterCount() {
        long d = hiddenSize;
        long attnBias = attentionBias ? 4 * d : 0;
        long perLayer = 4 * d + 3 * d * d + d * d + attnBias + 2 * d * intermediateSize + intermediateSize + d;
        return (long) vocabSize * d * (tieWordEmbeddings ? 1 : 2) + numLayers * perLayer + 2 * d;
    }

    /**
     * Reads a GPT-NeoX config.json as transformers' {@code GPTNeoXConfig} does: absent fields take its defaults
     * (vocab_size 50432, hidden_size 6144, num_hidden_layers 44, num_attention_heads 64, intermediate_size 24576,
     * hidden_act gelu, max_position_embeddings 2048, layer_norm_eps 1e-5, rotary_pct 0.25, rotary_emb_base 10000,
     * parallel residual, attention biases, untied head, bos 0, eos 2); the special ids may come from
     * generation_config.json; the rotary fields may be given by their newer names ({@code partial_rotary_factor},
     * {@code rope_theta}, {@code rope_parameters}), which must then agree. Rope scaling is refused.
     */
    static GptNeoxConfig read(Path file, JsonNode root, GenerationConfig generation) throws IOException {
        ConfigFields f = new ConfigFields(file, root, "gpt_neox", generation);
        int vocab = f.intOr("vocab_size", 50432);
        int hidden = f.intOr("hidden_size", 6144);
        double base = f.agreeingDouble(10000, "rotary_emb_base", "rope_theta", "rope_parameters.rope_theta");
        double pct = f.agreeingDouble(0.25, "rotary_pct", "partial_rotary_factor",
                "rope_parameters.partial_rotary_factor");
        for (String field : new String[] {"rope_scaling", "rope_parameters"}) {
            JsonNode s = f.node(field);
            if (s == null) {
                continue;
            }
            if (!s.isObject()) {
                throw f.invalid("field " + field + " must be an object or null, got " + s);
            }
            String type = s.hasNonNull("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("default");
            if (!type.equals("default")) {
                throw f.invalid("field " + field + " asks for \"" + type
                        + "\" rope scaling, which is not supported for gpt_neox");
            }
        }
        List<Integer> eos = f.eosIds(2);
        int bos = f.bosId(0, eos.get(0));
        try {
            return new GptNeoxConfig(vocab, f.intOr("max_position_embeddings", 2048), hidden,
                    f.intOr("num_hidden_layers", 44), f.intOr("num_attention_heads", 64),
                    f.intOr("intermediate_size", 24576), pct, base, f.boolOr("use_parallel_residual", true),
                    f.doubleOr("layer_norm_eps", 1e-5), f.textOr("hidden_act", "gelu"),
                    f.boolOr("attention_bias", true), f.boolOr("tie_word_embeddings", false), bos, eos);
        } catch (IllegalArgumentException e) {
            throw f.invalid(e.getMessage());
        }
    }

    @Override
    public void write(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = mapper.createObjectNode();
        o.putArray("architectures").add("GPTNeoXForCausalLM");
        o.put("model_type", "gpt_neox");
        o.put("vocab_size", vocabSize);
        o.put("max_position_embeddings", maxPositionEmbeddings);
        o.put("hidden_size", hiddenSize);
        o.put("num_hidden_layers", numLayers);
        o.put("num_attention_heads", numHeads);
        o.put("intermediate_size", intermediateSize);
        o.put("rotary_pct", rotaryPct);
        o.put("rotary_emb_base", rotaryEmbBase);
        o.put("use_parallel_residual", useParallelResidual);
        o.put("layer_norm_eps", layerNormEps);
        o.put("hidden_act", hiddenAct);
        o.put("attention_bias", attentionBias);
        o.put("tie_word_embeddings", tieWordEmbeddings);
        o.put("bos_token_id", bosTokenId);
        if (eosTokenIds.size() == 1) {
            o.put("eos_token_id", eosTokenIds.get(0));
        } else {
            eosTokenIds.forEach(o.putArray("eos_token_id")::add);
        }
        o.put("torch_dtype", "float32");
        SafeTensors.writeBytes(file, mapper.writeValueAsBytes(o));
    }
}
