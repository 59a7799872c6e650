package dev.symbiosis.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.model.SamplingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fields of Hugging Face's {@code generation_config.json} this library uses: the special token ids (an id or a
 * list of ids, like config.json's) and the default decoding ({@code do_sample}, {@code temperature}, {@code top_k},
 * {@code top_p}, {@code repetition_penalty}, {@code max_new_tokens}). Other fields are ignored. A field that is
 * absent is null here; {@link #sampling} applies transformers' defaults for the absent ones, as
 * {@code GenerationConfig} does.
 *
 * <p>Immutable and thread-safe.
 *
 * @param file the file read, for messages
 * @param eosTokenIds end-of-text ids (empty when absent)
 * @param bosTokenId beginning-of-text id or null
 * @param padTokenId padding id or null
 * @param doSample {@code do_sample} or null
 * @param temperature {@code temperature} or null
 * @param topK {@code top_k} or null
 * @param topP {@code top_p} or null
 * @param repetitionPenalty {@code repetition_penalty} or null
 * @param maxNewTokens {@code max_new_tokens} or null
 */
public record GenerationConfig(Path file, List<Integer> eosTokenIds, Integer bosTokenId, Integer padTokenId,
        Boolean doSample, Double temperature, Integer topK, Double topP, Double repetitionPenalty,
        Integer maxNewTokens) {

    /** The file name in a checkpoint directory. */
    public static final String FILE = "generation_config.json";

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** The generation config beside {@code configJson} (same directory), or null if there is none. */
    public static GenerationConfig readBeside(Path configJson) throws IOException {
        Path dir = configJson.toAbsolutePath().getParent();
        Path f = dir == null ? Path.of(FILE) : dir.resolve(FILE);
        return Files.exists(f) ? read(f) : null;
    }

    /**
     * Reads {@code generation_config.json}.
     *
     * @throws IOException naming the file and the field when it is not JSON or a field has the wrong type or range
     */
    public static GenerationConfig read(Path file) throws IOException {
        JsonNode root = ModelConfig.readJson(file);
        ConfigFields f = new ConfigFields(file, root, null, null);
        Double temperature = f.has("temperature") ? f.optDouble("temperature", 1) : null;
        if (temperature != null && !(temperature >= 0)) {
            throw f.invalid("field temperature must be >= 0, got " + temperature);
        }
        Integer topK = f.has("top_k") ? f.optInt("top_k", 50) : null;
        if (topK != null && topK < 0) {
            throw f.invalid("field top_k must be >= 0, got " + topK);
        }
        Double topP = f.has("top_p") ? f.optDouble("top_p", 1) : null;
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw f.invalid("field top_p must be in (0, 1], got " + topP);
        }
        Double rep = f.has("repetition_penalty") ? f.optDouble("repetition_penalty", 1) : null;
        if (rep != null && !(rep > 0)) {
            throw f.invalid("field repetition_penalty must be > 0, got " + rep);
        }
        Integer maxNew = f.has("max_new_tokens") ? f.optInt("max_new_tokens", 1) : null;
        if (maxNew != null && maxNew < 1) {
            throw f.invalid("field max_new_tokens must be >= 1, got " + maxNew);
        }
        List<Integer> bos = f.ids("bos_token_id");
        List<Integer> pad = f.ids("pad_token_id");
        if (bos.size() > 1) {
            throw f.invalid("field bos_token_id must be one id, got " + root.get("bos_token_id"));
        }
        return new GenerationConfig(file, f.ids("eos_token_id"), bos.isEmpty() ? null : bos.get(0),
                pad.isEmpty() ? null : pad.get(0), f.has("do_sample") ? f.optBoolean("do_sample", false) : null,
                temperature, topK, topP, rep, maxNew);
    }

    /**
     * The default decoding this file asks for, as transformers' {@code GenerationConfig} reads it: greedy unless
     * {@code do_sample} is true; when sampling, the file's temperature, top-k, top-p and repetition penalty, each
     * taking transformers' default when absent (1.0, 50, 1.0, 1.0). {@code max_new_tokens} and the seed come from
     * the file when present, else from {@code fallback}.
     *
     * @throws IllegalArgumentException naming the file when a value is outside what {@link SamplingConfig} accepts
     *     (e.g. a repetition penalty below 1)
     */
    public SamplingConfig sampling(SamplingConfig fallback) {
        int maxNew = maxNewTokens != null ? maxNewTokens : fallback.maxNewTokens();
        try {
            if (doSample == null || !doSample) {
                double penalty = repetitionPenalty != null ? repetitionPenalty : 1.0;
                return new SamplingConfig(0.0, 0, 1.0, penalty, maxNew, fallback.seed());
            }
            return new SamplingConfig(temperature != null ? temperature : 1.0, topK != null ? topK : 50,
                    topP != null ? topP : 1.0, repetitionPenalty != null ? repetitionPenalty : 1.0, maxNew,
                    fallback.seed());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
