package dev.symbiosis.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

    /**
     * Reads a Hugging Face GPT-2 {@code config.json} ({@code n_ctx} is accepted for {@code n_positions}).
     *
     * @throws IOException naming the file and field when it is missing, not JSON, of another model type, or
     *     holds invalid values
     */
    public static Gpt2Config read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": config file not found", e);
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        String type = root.path("model_type").asText("gpt2");
        if (!type.equals("gpt2")) {
            throw new IOException(file + ": field model_type is \"" + type + "\", expected \"gpt2\"");
        }
        int vocab = intField(file, root, "vocab_size", null);
        int nPos = intField(file, root, "n_positions", "n_ctx");
        int d = intField(file, root, "n_embd", null);
        int layers = intField(file, root, "n_layer", null);
        int heads = intField(file, root, "n_head", null);
        double eps = 1e-5;
        if (root.has("layer_norm_epsilon")) {
            if (!root.get("layer_norm_epsilon").isNumber()) {
                throw new IOException(file + ": field layer_norm_epsilon must be a number");
            }
            eps = root.get("layer_norm_epsilon").asDouble();
        }
        int eos = root.has("eos_token_id") ? intField(file, root, "eos_token_id", null) : vocab - 1;
        int bos = root.has("bos_token_id") ? intField(file, root, "bos_token_id", null) : eos;
        if (root.has("n_inner") && !root.get("n_inner").isNull() && root.get("n_inner").asInt() != 4 * d) {
            throw new IOException(file + ": field n_inner " + root.get("n_inner") + " is not supported (only 4*n_embd)");
        }
        try {
            return new Gpt2Config(vocab, nPos, d, layers, heads, eps, bos, eos);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int intField(Path file, JsonNode root, String name, String alias) throws IOException {
        JsonNode n = root.get(name);
        if (n == null && alias != null) {
            n = root.get(alias);
        }
        if (n == null) {
            throw new IOException(file + ": missing field " + name);
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new IOException(file + ": field " + name + " must be an integer, got " + n);
        }
        return n.asInt();
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
