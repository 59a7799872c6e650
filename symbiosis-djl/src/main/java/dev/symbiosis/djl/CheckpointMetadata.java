package dev.symbiosis.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import dev.symbiosis.djl.model.GenerationConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.PeftAdapterConfig;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint carries besides weights and tokenizer, kept from loading to saving so that what is written
 * loads in transformers and PEFT as the original did: config.json as it was (unknown fields kept; only
 * {@code torch_dtype} follows the weights written, and {@code model_type} is added when absent),
 * {@code generation_config.json} and {@code special_tokens_map.json} copied, {@code tokenizer_config.json} copied
 * or, when the checkpoint had none (GPT-2 checkpoints of this project), written with the special tokens, a pad
 * token and {@code model_max_length}; and where the base model came from, for {@code adapter_config.json}'s
 * {@code base_model_name_or_path}.
 *
 * <p>Not thread-safe (the owning model is not).
 */
final class CheckpointMetadata {

    static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, String> TORCH_DTYPES = Map.of("F32", "float32", "F16", "float16", "BF16",
            "bfloat16", "F64", "float64");

    private final ObjectNode configJson;
    private final byte[] generationConfig;
    private final byte[] specialTokensMap;
    private final GenerationConfig generation;
    private final PeftAdapterConfig.Base base;
    private boolean baseChanged;

    private CheckpointMetadata(ObjectNode configJson, byte[] generationConfig, byte[] specialTokensMap,
            GenerationConfig generation, PeftAdapterConfig.Base base) {
        this.configJson = configJson;
        this.generationConfig = generationConfig;
        this.specialTokensMap = specialTokensMap;
        this.generation = generation;
        this.base = base;
    }

    /**
     * Reads the metadata of checkpoint {@code dir}.
     *
     * @param baseOverride the base model's name or path to write into adapters, or null to find it: the
     *     {@code base_model_name_or_path} of the checkpoint's own adapter_config.json when it has one, else
     *     {@code hubBase} (the hub id and commit it was opened by), else the directory itself
     * @param hubBase the hub id and commit the directory was resolved from, or null
     */
    static CheckpointMetadata read(Path dir, String baseOverride, PeftAdapterConfig.Base hubBase) throws IOException {
        JsonNode config = ModelConfig.readJson(dir.resolve("config.json"));
        Path gen = dir.resolve(GenerationConfig.FILE);
        Path special = dir.resolve(SPECIAL_TOKENS_MAP);
        GenerationConfig generation = Files.exists(gen) ? GenerationConfig.read(gen) : null;
        PeftAdapterConfig.Base base;
        Path adapter = dir.resolve(PeftAdapterConfig.FILE);
        PeftAdapterConfig.Base own = Files.exists(adapter) ? PeftAdapterConfig.base(adapter) : null;
        if (baseOverride != null) {
            base = new PeftAdapterConfig.Base(baseOverride, null);
        } else if (own != null) {
            base = own;
        } else if (hubBase != null && !Files.exists(adapter)) {
            base = hubBase;
        } else {
            base = new PeftAdapterConfig.Base(realPath(dir).toString(), null);
        }
        return new CheckpointMetadata((ObjectNode) config, Files.exists(gen) ? Files.readAllBytes(gen) : null,
                Files.exists(special) ? Files.readAllBytes(special) : null, generation, base);
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** generation_config.json of the checkpoint, or null. */
    GenerationConfig generation() {
        return generation;
    }

    /** The base written into adapter_config.json when the base is unchanged. */
    PeftAdapterConfig.Base base() {
        return base;
    }

    /** The base weights were changed (an adapter merged into them): adapters then name their own checkpoint. */
    void markBaseChanged() {
        baseChanged = true;
    }

    /** The base model an adapter saved into {@code finalDir} belongs to. */
    PeftAdapterConfig.Base baseFor(Path finalDir) {
        return baseChanged ? new PeftAdapterConfig.Base(finalDir.toAbsolutePath().normalize().toString(), null) : base;
    }

    /**
     * Writes config.json, generation_config.json, special_tokens_map.json and tokenizer_config.json into
     * {@code dir}, whose weights must already be written (config.json's {@code torch_dtype} is read from them).
     *
     * @param tokenizerConfig the checkpoint's tokenizer_config.json, or null to write one
     */
    void write(Path dir, ModelConfig config, BpeTokenizer tokenizer, int contextLength, byte[] tokenizerConfig)
            throws IOException {
        ObjectNode out;
        if (configJson != null) {
            out = configJson.deepCopy();
        } else {
            Path tmp = dir.resolve("config.json");
            config.write(tmp);
            out = (ObjectNode) ModelConfig.readJson(tmp);
        }
        if (!out.hasNonNull("model_type")) {
            out.put("model_type", config.modelType());
        }
        String dtype = torchDtype(dir);
        if (dtype != null) {
            out.put("torch_dtype", dtype);
            if (out.has("dtype")) {
                out.put("dtype", dtype); // the name newer transformers write
            }
        }
        SafeTensors.writeBytes(dir.resolve("config.json"), MAPPER.writeValueAsBytes(out));
        if (generationConfig != null) {
            SafeTensors.writeBytes(dir.resolve(GenerationConfig.FILE), generationConfig);
        }
        writeTokenizerFiles(dir, config, tokenizer, contextLength, specialTokensMap, tokenizerConfig);
    }

    /**
     * Writes special_tokens_map.json and tokenizer_config.json: the given bytes when not null, else files declaring
     * the special tokens of {@link #specialTokens}, and for tokenizer_config.json {@code tokenizer_class}
     * {@code PreTrainedTokenizerFast} (loads from tokenizer.json alone) and {@code model_max_length}.
     */
    static void writeTokenizerFiles(Path dir, ModelConfig config, BpeTokenizer tokenizer, int contextLength,
            byte[] specialTokensMap, byte[] tokenizerConfig) throws IOException {
        Map<String, String> special = specialTokens(config, tokenizer);
        if (specialTokensMap != null) {
            SafeTensors.writeBytes(dir.resolve(SPECIAL_TOKENS_MAP), specialTokensMap);
        } else if (!special.isEmpty()) {
            ObjectNode m = MAPPER.createObjectNode();
            special.forEach(m::put);
            SafeTensors.writeBytes(dir.resolve(SPECIAL_TOKENS_MAP), MAPPER.writeValueAsBytes(m));
        }
        if (tokenizerConfig != null) {
            SafeTensors.writeBytes(dir.resolve(TOKENIZER_CONFIG), tokenizerConfig);
        } else {
            ObjectNode t = MAPPER.createObjectNode();
            t.put("tokenizer_class", "PreTrainedTokenizerFast");
            t.put("model_max_length", contextLength);
            t.put("clean_up_tokenization_spaces", false);
            special.forEach(t::put);
            SafeTensors.writeBytes(dir.resolve(TOKENIZER_CONFIG), MAPPER.writeValueAsBytes(t));
        }
    }

    /** {@link #writeTokenizerFiles} for a new checkpoint whose tokenizer is {@code tokenizerJson}. */
    static void writeTokenizerFiles(Path dir, ModelConfig config, Path tokenizerJson) throws IOException {
        try (BpeTokenizer tok = BpeTokenizer.load(tokenizerJson)) {
            writeTokenizerFiles(dir, config, tok, config.contextLength(), null, null);
        }
    }

    /**
     * bos, eos, unk and pad tokens for special_tokens_map.json and tokenizer_config.json: the added tokens of the
     * config's ids; the pad token is the tokenizer's {@code <|pad|>} when it has one, else the end-of-text token
     * (as GPT-2 users set {@code tokenizer.pad_token = tokenizer.eos_token}).
     */
    static Map<String, String> specialTokens(ModelConfig config, BpeTokenizer tokenizer) {
        Map<String, String> out = new LinkedHashMap<>();
        String eos = added(tokenizer, config.eosTokenId());
        if (eos == null && tokenizer.eosId() >= 0) {
            eos = added(tokenizer, tokenizer.eosId());
        }
        String bos = added(tokenizer, config.bosTokenId());
        if (bos != null) {
            out.put("bos_token", bos);
        }
        if (eos != null) {
            out.put("eos_token", eos);
            if (config.modelType().equals("gpt2")) {
                out.put("unk_token", eos); // GPT-2's tokenizer files use <|endoftext|> for all three
            }
        }
        String pad = tokenizer.padId() >= 0 ? added(tokenizer, tokenizer.padId()) : eos;
        if (pad != null) {
            out.put("pad_token", pad);
        }
        return out;
    }

    private static String added(BpeTokenizer tokenizer, int id) {
        return id >= 0 && tokenizer.isAddedToken(id) ? tokenizer.idToToken(id) : null;
    }

    /**
     * The {@code torch_dtype} of the weights in {@code dir}: the floating dtype holding most parameters (read from
     * the safetensors headers), or null when there are no weights.
     */
    static String torchDtype(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        Path index = dir.resolve(ShardedSafeTensors.INDEX);
        if (Files.exists(index)) {
            JsonNode map = ModelConfig.readJson(index).path("weight_map");
            map.forEach(f -> {
                Path p = dir.resolve(f.asText());
                if (!files.contains(p)) {
                    files.add(p);
                }
            });
        } else if (Files.exists(dir.resolve(ShardedSafeTensors.SINGLE))) {
            files.add(dir.resolve(ShardedSafeTensors.SINGLE));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Path f : files) {
            for (Map.Entry<String, JsonNode> e : header(f).properties()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                String dtype = e.getValue().path("dtype").asText();
                if (TORCH_DTYPES.containsKey(dtype)) {
                    long n = 1;
                    for (JsonNode d : e.getValue().path("shape")) {
                        n *= d.asLong();
                    }
                    counts.merge(dtype, n, Long::sum);
                }
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> TORCH_DTYPES.get(e.getKey()))
                .orElse(null);
    }

    private static JsonNode header(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            byte[] len = new byte[8];
            data.readFully(len);
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 2 || n > 100L << 20) {
                throw new IOException(file + ": safetensors header length " + n + " is out of range");
            }
            byte[] json = new byte[(int) n];
            data.readFully(json);
            return MAPPER.readTree(json);
        }
    }
}
