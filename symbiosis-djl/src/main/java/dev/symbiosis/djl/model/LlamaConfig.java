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
 * Architecture of a Llama model (Llama 2 and 3, 3.1 with {@code "llama3"} rope scaling), as in Hugging Face's
 * {@code config.json} ({@code model_type "llama"}): RMSNorm, RoPE over the whole head with {@code rope_theta},
 * SwiGLU MLP ({@code down(silu(gate(x)) * up(x))}), grouped-query attention with {@code num_key_value_heads},
 * LM head tied to the embedding when {@code tie_word_embeddings}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param vocabSize number of token ids
 * @param maxPositionEmbeddings context length
 * @param hiddenSize model width
 * @param numLayers transformer blocks
 * @param numHeads query heads
 * @param numKeyValueHeads key/value heads, dividing {@code numHeads}
 * @param headDim width of a head ({@code head_dim}, default {@code hiddenSize / numHeads})
 * @param intermediateSize MLP width
 * @param rmsNormEps epsilon of every RMSNorm
 * @param rope rotary embedding over the whole head, with its scaling
 * @param attentionBias whether q/k/v/o have biases (default false)
 * @param mlpBias whether gate/up/down have biases (default false)
 * @param tieWordEmbeddings whether the LM head is the input embedding
 * @param bosTokenId beginning-of-text id
 * @param eosTokenIds end-of-text ids, the first is the one appended to training texts
 */
public record LlamaConfig(int vocabSize, int maxPositionEmbeddings, int hiddenSize, int numLayers, int numHeads,
        int numKeyValueHeads, int headDim, int intermediateSize, double rmsNormEps, Rope rope, boolean attentionBias,
        boolean mlpBias, boolean tieWordEmbeddings, int bosTokenId, List<Integer> eosTokenIds) implements ModelConfig {

    public LlamaConfig {
        if (vocabSize < 1 || maxPositionEmbeddings < 2 || hiddenSize < 1 || numLayers < 1 || numHeads < 1
                || numKeyValueHeads < 1 || headDim < 2 || intermediateSize < 1) {
            throw new IllegalArgumentException("invalid Llama sizes: vocab_size=" + vocabSize
                    + " max_position_embeddings=" + maxPositionEmbeddings + " hidden_size=" + hiddenSize
                    + " num_hidden_layers=" + numLayers + " num_attention_heads=" + numHeads
                    + " num_key_value_heads=" + numKeyValueHeads + " head_dim=" + headDim + " intermediate_size="
                    + intermediateSize);
        }
        if (numHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
        }
        if (rope.rotaryDims() != headDim) {
            throw new IllegalArgumentException("Llama rotates the whole head: rope dims " + rope.rotaryDims()
                    + " != head_dim " + headDim);
        }
        if (!(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rms_norm_eps must be > 0, got " + rmsNormEps);
        }
        eosTokenIds = List.copyOf(eosTokenIds);
        if (eosTokenIds.isEmpty()) {
            throw new IllegalArgumentException("eos_token_id is required");
        }
        for (int id : eosTokenIds) {
            GptNeoxConfig.checkId("eos_token_id", id, vocabSize);
        }
        GptNeoxConfig.checkId("bos_token_id", bosTokenId, vocabSize);
    }

    /** A small Llama-3-like config: rope theta 500000 unscaled, eps 1e-5, SwiGLU width 8/3 d rounded up to 8. */
    public static LlamaConfig of(int vocabSize, int contextLength, int hiddenSize, int numLayers, int numHeads,
            int numKeyValueHeads, boolean tied, int bosTokenId, int eosTokenId) {
        int head = hiddenSize / numHeads;
        int inter = (8 * hiddenSize / 3 + 7) / 8 * 8;
        return new LlamaConfig(vocabSize, contextLength, hiddenSize, numLayers, numHeads, numKeyValueHeads, head,
                inter, 1e-5, Rope.of(head, 500000), false, false, tied, bosTokenId, List.of(eosTokenId));
    }

    @Override
    public String modelType() {
        return "llama";
    }

    @Override
    public int contextLength() {
        return maxPositionEmbeddings;
    }

    @Override
    public int eosTokenId() {
        return eosTokenIds.get(0);
    }

    @Override
    public List<Integer> stopTokenIds() {
        return eosTokenIds;
    }

    /** Query heads per key/value head. */
    public int groupSize() {
        return numHeads / numKeyValueHeads;
    }

    @Override
    public long parameterCount() {
        long d = hiddenSize;
        long q = (long) numHeads * headDim;
        long kv = (long) numKeyValueHeads * headDim;
        long attn = d * q + 2 * d * kv + q * d + (attentionBias ? q + 2 * kv + d : 0);
        long mlp = 3 * d * intermediateSize + (mlpBias ? 2L * intermediateSize + d : 0);
        return (long) vocabSize * d * (tieWordEmbeddings ? 1 : 2) + numLayers * (attn + mlp + 2 * d) + d;
    }

    /**
     * Reads a Llama config.json as transformers' {@code LlamaConfig} does: absent fields take its defaults
     * (vocab_size 32000, hidden_size 4096, intermediate_size 11008, num_hidden_layers 32, num_attention_heads 32,
     * num_key_value_heads = num_attention_heads, head_dim = hidden_size / num_attention_heads, hidden_act silu,
     * max_position_embeddings 2048, rms_norm_eps 1e-6, rope_theta 10000, bos 1, eos 2, untied head, no biases);
     * the special ids may come from generation_config.json; {@code rope_theta} and {@code rope_scaling} may also be
     * given by the newer {@code rope_parameters}, and must then agree.
     */
    static LlamaConfig read(Path file, JsonNode root, GenerationConfig generation) throws IOException {
        ConfigFields f = new ConfigFields(file, root, "llama", generation);
        int vocab = f.intOr("vocab_size", 32000);
        int hidden = f.intOr("hidden_size", 4096);
        int heads = f.intOr("num_attention_heads", 32);
        if (heads < 1) {
            throw f.invalid("field num_attention_heads must be >= 1, got " + heads);
        }
        int head = f.optInt("head_dim", hidden / heads);
        String act = f.textOr("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw f.invalid("field hidden_act is \"" + act + "\"; Llama supports only \"silu\"");
        }
        List<Integer> eos = f.eosIds(2);
        int bos = f.bosId(1, eos.get(0));
        Rope rope;
        try {
            rope = readRope(f, head);
        } catch (IllegalArgumentException e) {
            throw f.invalid("field rope_scaling: " + e.getMessage());
        }
        try {
            return new LlamaConfig(vocab, f.intOr("max_position_embeddings", 2048), hidden,
                    f.intOr("num_hidden_layers", 32), heads, f.optInt("num_key_value_heads", heads), head,
                    f.intOr("intermediate_size", 11008), f.doubleOr("rms_norm_eps", 1e-6), rope,
                    f.boolOr("attention_bias", false), f.boolOr("mlp_bias", false),
                    f.boolOr("tie_word_embeddings", false), bos, eos);
        } catch (IllegalArgumentException e) {
            throw f.invalid(e.getMessage());
        }
    }

    /** The rotary embedding of {@code rope_theta} / {@code rope_scaling} / {@code rope_parameters}. */
    private static Rope readRope(ConfigFields f, int head) throws IOException {
        double theta = f.agreeingDouble(10000, "rope_theta", "rope_parameters.rope_theta");
        double partial = f.agreeingDouble(1.0, "partial_rotary_factor", "rope_parameters.partial_rotary_factor");
        if (partial != 1.0) {
            throw f.invalid("field partial_rotary_factor is " + partial + "; Llama here rotates the whole head (1.0)");
        }
        JsonNode legacy = f.node("rope_scaling");
        JsonNode params = f.node("rope_parameters");
        for (String name : new String[] {"rope_scaling", "rope_parameters"}) {
            JsonNode n = f.node(name);
            if (n != null && !n.isObject()) {
                throw f.invalid("field " + name + " must be an object or null, got " + n);
            }
        }
        Rope fromLegacy = legacy == null ? null : scaling(f, "rope_scaling", legacy, head, theta);
        Rope fromParams = params == null ? null : scaling(f, "rope_parameters", params, head, theta);
        if (fromLegacy != null && fromParams != null && !fromLegacy.equals(fromParams)) {
            throw f.invalid("fields rope_scaling (" + legacy + ") and rope_parameters (" + params
                    + ") contradict each other");
        }
        return fromParams != null ? fromParams : fromLegacy != null ? fromLegacy : Rope.of(head, theta);
    }

    private static Rope scaling(ConfigFields f, String field, JsonNode s, int head, double theta) throws IOException {
        String type = s.hasNonNull("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("default");
        if (type.equals("default")) {
            return Rope.of(head, theta);
        }
        for (String member : new String[] {"factor", "low_freq_factor", "high_freq_factor",
                "original_max_position_embeddings"}) {
            if (s.hasNonNull(member) && !s.get(member).isNumber()) {
                throw f.invalid("field " + field + "." + member + " must be a number, got " + s.get(member));
            }
        }
        return new Rope(head, theta, type, s.path("factor").asDouble(1), s.path("low_freq_factor").asDouble(0),
                s.path("high_freq_factor").asDouble(0), s.path("original_max_position_embeddings").asInt(0));
    }

    @Override
    public void write(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = mapper.createObjectNode();
        o.putArray("architectures").add("LlamaForCausalLM");
        o.put("model_type", "llama");
        o.put("vocab_size", vocabSize);
        o.put("max_position_embeddings", maxPositionEmbeddings);
        o.put("hidden_size", hiddenSize);
        o.put("num_hidden_layers", numLayers);
        o.put("num_attention_heads", numHeads);
        o.put("num_key_value_heads", numKeyValueHeads);
        o.put("head_dim", headDim);
        o.put("intermediate_size", intermediateSize);
        o.put("hidden_act", "silu");
        o.put("rms_norm_eps", rmsNormEps);
        o.put("rope_theta", rope.theta());
        if (rope.scalingType().equals("default")) {
            o.putNull("rope_scaling");
        } else {
            ObjectNode s = o.putObject("rope_scaling");
            s.put("rope_type", rope.scalingType());
            s.put("factor", rope.factor());
            if (rope.scalingType().equals("llama3")) {
                s.put("low_freq_factor", rope.lowFreqFactor());
                s.put("high_freq_factor", rope.highFreqFactor());
                s.put("original_max_position_embeddings", rope.originalMaxPositions());
            }
        }
        o.put("attention_bias", attentionBias);
        o.put("mlp_bias", mlpBias);
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
