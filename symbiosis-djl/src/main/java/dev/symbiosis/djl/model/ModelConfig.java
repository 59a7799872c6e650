package dev.symbiosis.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture of a causal language model as read from Hugging Face's {@code config.json}; the
 * {@code model_type} field chooses the family: {@code "gpt2"} ({@link Gpt2Config}), {@code "gpt_neox"}
 * ({@link GptNeoxConfig}, e.g. Pythia) or {@code "llama"} ({@link LlamaConfig}, e.g. Llama 3).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ModelConfig {

    /** The families {@link #read(Path)} knows, in the order error messages list them. */
    List<String> SUPPORTED_MODEL_TYPES = List.of("gpt2", "gpt_neox", "llama");

    /** The {@code model_type} of config.json. */
    String modelType();

    /** Number of token ids of the embedding and the LM head. */
    int vocabSize();

    /** Longest sequence the model attends over ({@code n_positions} / {@code max_position_embeddings}). */
    int contextLength();

    /** Number of transformer blocks. */
    int numLayers();

    /** Model width. */
    int hiddenSize();

    /** Id of the beginning-of-text token. */
    int bosTokenId();

    /** Id of the (first) end-of-text token. */
    int eosTokenId();

    /**
     * Every id that ends generation (config.json may list several, e.g. Llama 3.1's {@code [128001, 128008,
     * 128009]}); contains {@link #eosTokenId()}. Default: just {@link #eosTokenId()}.
     */
    default List<Integer> stopTokenIds() {
        return List.of(eosTokenId());
    }

    /** Number of parameters (a tied head counted once). */
    long parameterCount();

    /** Writes a Hugging Face compatible {@code config.json}, atomically. */
    void write(Path file) throws IOException;

    /**
     * Reads {@code config.json} as transformers reads it, choosing the family from its {@code model_type} (a file
     * without one is read as GPT-2, as the files this project wrote before families existed): a field that is
     * absent takes the transformers default of that model type (docs/models.md has the table), the special token
     * ids ({@code eos_token_id} may be an id or a list) fall back to the {@code generation_config.json} beside it,
     * unknown fields are ignored, and contradictory or unsupported ones are refused, naming the field.
     *
     * @throws IOException naming the file and field when it is missing, not JSON, of an unsupported model type
     *     (the message lists the supported ones) or holds invalid values
     */
    static ModelConfig read(Path file) throws IOException {
        JsonNode root = readJson(file);
        JsonNode typeNode = root.get("model_type");
        if (typeNode != null && !typeNode.isTextual()) {
            throw new IOException(file + ": field model_type must be a string, got " + typeNode);
        }
        String type = typeNode == null ? "gpt2" : typeNode.asText();
        GenerationConfig generation = GenerationConfig.readBeside(file);
        return switch (type) {
            case "gpt2" -> Gpt2Config.read(file, root, generation);
            case "gpt_neox" -> GptNeoxConfig.read(file, root, generation);
            case "llama" -> LlamaConfig.read(file, root, generation);
            default -> throw new IOException(file + ": field model_type is \"" + type
                    + "\", which is not supported; supported model types: " + SUPPORTED_MODEL_TYPES);
        };
    }

    /** The JSON object of a config file; errors name the file. */
    static JsonNode readJson(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": config file not found", e);
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        return root;
    }
}
