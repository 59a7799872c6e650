package dev.symbiosis.djl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.djl.model.WeightSource;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the parts of a {@link DjlLanguageModel} share: the settings of its builder, the tokenizer, the files that
 * travel with a checkpoint, and the current network, which merging, restoring and a training rollback replace.
 *
 * <p>Not thread-safe. {@link #close()} frees every native array and the tokenizer.
 */
final class ModelState implements AutoCloseable {

    final String name;
    final ModelConfig config;
    /** Tokens per window of scoring, training and generation: the config's context or the builder's cap. */
    final int context;
    final ChatFormat chat;
    /**
     * Ids that end a generated answer: the config's end-of-text ids, those of generation_config.json and the chat
     * format's end of turn.
     */
    final Set<Integer> stopIds;
    /** The id appended to fine-tuning completions: the chat format's end of turn, else end-of-text. */
    final int answerEnd;
    final BpeTokenizer tokenizer;
    final byte[] tokenizerJson;
    final byte[] tokenizerConfigJson;
    /** config.json as read, generation config, special tokens, where the base came from: see CheckpointMetadata. */
    final CheckpointMetadata meta;
    final DataType dtype;
    final NDManager root;
    /** The adapter configuration as the network resolved it, or null for full fine-tuning. */
    final LoraConfig loraConfig;
    final TrainerConfig trainer;
    final int maxBatchTokens;
    final int generationRows;
    private CausalLm model;
    /**
     * The weight files the frozen base was loaded from while it is unchanged (LoRA, no merge), so a checkpoint
     * can link them instead of writing the base again; null otherwise.
     */
    private List<Path> baseFiles;
    private boolean closed;

    /**
     * @param name name in the provenance of samples
     * @param contextCap the builder's context cap, 0 for the config's
     */
    ModelState(String name, ModelConfig config, int contextCap, ChatFormat chat, BpeTokenizer tokenizer,
            byte[] tokenizerJson, byte[] tokenizerConfigJson, DataType dtype, NDManager root, CausalLm model,
            TrainerConfig trainer, int maxBatchTokens, int generationRows, List<Path> baseFiles,
            CheckpointMetadata meta) {
        this.name = name;
        this.config = config;
        this.context = contextCap > 0 ? Math.min(contextCap, config.contextLength()) : config.contextLength();
        this.chat = chat;
        Set<Integer> stops = new LinkedHashSet<>(config.stopTokenIds());
        if (meta.generation() != null) {
            stops.addAll(meta.generation().eosTokenIds()); // transformers' generate stops at these
        }
        stops.add(tokenizer.eosId() >= 0 ? tokenizer.eosId() : config.eosTokenId()); // what eos() appends
        int end = -1;
        for (String token : chat.endOfTurn()) {
            int id = tokenizer.specialId(token);
            if (id >= 0) {
                stops.add(id);
                end = end < 0 ? id : end;
            }
        }
        this.stopIds = Set.copyOf(stops);
        this.answerEnd = end;
        this.tokenizer = tokenizer;
        this.tokenizerJson = tokenizerJson;
        this.tokenizerConfigJson = tokenizerConfigJson;
        this.meta = meta;
        this.dtype = dtype;
        this.root = root;
        this.model = model;
        this.loraConfig = model.lora();
        this.trainer = trainer;
        this.maxBatchTokens = maxBatchTokens;
        this.generationRows = generationRows;
        this.baseFiles = baseFiles;
    }

    /** The current network. */
    CausalLm model() {
        checkOpen();
        return model;
    }

    /** The unchanged frozen base's weight files, or null. */
    List<Path> baseFiles() {
        return baseFiles;
    }

    /** Closes the current network and puts {@code fresh} in its place, with its base files (or null). */
    void replace(CausalLm fresh, List<Path> freshBaseFiles) {
        model.close();
        model = fresh;
        baseFiles = freshBaseFiles;
    }

    /**
     * Forgets the base files and marks the metadata's base as changed (adapters saved later name their own
     * checkpoint as base): the base is about to change.
     */
    void baseChanged() {
        baseFiles = null;
        meta.markBaseChanged();
    }

    /**
     * A new network of this architecture and precision from base tensors and adapter values ({@code adapter} null:
     * a fresh adapter), with this model's adapter configuration.
     */
    CausalLm create(Map<String, Tensor> base, Map<String, Tensor> adapter, String origin) throws IOException {
        return CausalLms.create(root, model.manager().getDevice(), config, WeightSource.of(base, origin), dtype,
                loraConfig == null, loraConfig, adapter, origin, trainer.seed());
    }

    /** The id of end-of-text: the tokenizer's, else the config's. */
    int eos() {
        int e = tokenizer.eosId();
        return e >= 0 ? e : config.eosTokenId();
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    /**
     * The encodings of texts to score or explain.
     *
     * @throws IllegalArgumentException if a text is empty or encodes to no tokens
     */
    List<BpeTokenizer.Encoding> encodeAll(List<String> texts) {
        List<BpeTokenizer.Encoding> enc = new ArrayList<>(texts.size());
        for (String t : texts) {
            Objects.requireNonNull(t, "text");
            if (t.isEmpty()) {
                throw new IllegalArgumentException("cannot score an empty text");
            }
            BpeTokenizer.Encoding e = tokenizer.encode(t);
            if (e.size() == 0) {
                throw new IllegalArgumentException("text encodes to no tokens: " + t);
            }
            enc.add(e);
        }
        return enc;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            root.close();
            tokenizer.close();
        }
    }
}
