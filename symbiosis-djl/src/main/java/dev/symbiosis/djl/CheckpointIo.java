package dev.symbiosis.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.Gpt2Model;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.PeftAdapterConfig;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.djl.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checkpoint directories of a {@link DjlLanguageModel} (Hugging Face layout): loading one into a {@link ModelState},
 * saving (the base written, or its unchanged frozen files hard-linked; the adapter with its PEFT config naming its
 * base model; the {@link CheckpointMetadata} read at loading carried over), saving with the adapter merged,
 * restoring, and writing a freshly initialised GPT-2. Every write goes through a staging directory replaced
 * atomically.
 *
 * <p>Not thread-safe.
 */
final class CheckpointIo {

    /** The files a checkpoint of this class consists of. */
    static final Set<String> CHECKPOINT_FILES = Set.of("config.json", "model.safetensors", "tokenizer.json",
            "adapter_model.safetensors", "adapter_config.json", ShardedSafeTensors.INDEX, "tokenizer_config.json",
            "generation_config.json", "special_tokens_map.json");

    private final ModelState state;

    CheckpointIo(ModelState state) {
        this.state = state;
    }

    /**
     * Loads the checkpoint of {@code b}.
     *
     * @throws IOException naming the file and field or tensor at fault
     */
    static ModelState open(DjlLanguageModel.Builder b) throws IOException {
        Engine engine = TorchEngine.get();
        Device dev = b.device != null ? b.device : engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        Training.noGrad();
        ModelSource.Resolved resolved = b.source.resolve();
        Path dir = resolved.dir();
        ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
        CheckpointMetadata meta = CheckpointMetadata.read(dir, b.baseModelName, resolved.hubBase());
        String name = b.name;
        if (name == null) {
            Path fn = dir.toAbsolutePath().getFileName();
            name = "djl-" + cfg.modelType() + ":"
                    + (b.source.isHub() ? b.source.repoId() : fn == null ? "model" : fn);
        }
        DataType weights = b.dtype != null ? b.dtype : CausalLms.defaultDtype(dev);
        ChatFormat format = b.chatFormat != null ? b.chatFormat
                : ChatFormat.detect(dir.resolve("tokenizer_config.json"));
        Path tokCfg = dir.resolve("tokenizer_config.json");
        byte[] tokCfgBytes = Files.exists(tokCfg) ? Files.readAllBytes(tokCfg) : null;
        BpeTokenizer tok = BpeTokenizer.load(dir.resolve("tokenizer.json"));
        byte[] tokBytes;
        try {
            tokBytes = Files.readAllBytes(dir.resolve("tokenizer.json"));
        } catch (IOException e) {
            tok.close();
            throw e;
        }
        NDManager root = engine.newBaseManager(dev);
        try {
            if (tok.vocabSize() > cfg.vocabSize()) {
                throw new IOException(dir.resolve("tokenizer.json") + ": tokenizer has " + tok.vocabSize()
                        + " ids but config.json vocab_size is " + cfg.vocabSize());
            }
            LoraConfig effective = readAdapterConfig(dir, cfg);
            if (effective == null) {
                effective = b.lora;
            }
            CausalLm m = loadModel(root, dev, cfg, dir, effective, b.trainer.seed(), weights);
            return new ModelState(name, cfg, b.contextLength, format, tok, tokBytes, tokCfgBytes, weights, root, m,
                    b.trainer, b.maxBatchTokens, b.generationRows, frozenBaseFiles(m, dir), meta);
        } catch (IOException | RuntimeException e) {
            root.close();
            tok.close();
            throw e;
        }
    }

    /** The checkpoint's adapter (PEFT's adapter_config.json, read by {@link PeftAdapterConfig}), or null. */
    private static LoraConfig readAdapterConfig(Path dir, ModelConfig cfg) throws IOException {
        Path f = dir.resolve(PeftAdapterConfig.FILE);
        return Files.exists(f) ? PeftAdapterConfig.read(f, cfg) : null;
    }

    private static CausalLm loadModel(NDManager root, Device dev, ModelConfig cfg, Path dir, LoraConfig lora,
            long seed, DataType dtype) throws IOException {
        Map<String, Tensor> adapter = null;
        Path adapterFile = dir.resolve("adapter_model.safetensors");
        if (lora != null && Files.exists(dir.resolve("adapter_config.json"))) {
            adapter = SafeTensors.read(adapterFile).tensors();
        }
        return CausalLms.load(root, dev, cfg, dir, dtype, lora == null, lora, adapter, adapterFile.toString(), seed);
    }

    /** The weight files of {@code dir} when {@code m} keeps its base frozen and may link them, else null. */
    private static List<Path> frozenBaseFiles(CausalLm m, Path dir) throws IOException {
        if (m.lora() == null || !m.linksLoadedBase()) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        Path index = dir.resolve(ShardedSafeTensors.INDEX);
        if (Files.exists(index)) {
            files.add(index);
            try (ShardedSafeTensors s = ShardedSafeTensors.openIndex(index)) {
                files.addAll(s.files());
            }
        } else {
            files.add(dir.resolve(ShardedSafeTensors.SINGLE));
        }
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            out.add(f.toAbsolutePath());
        }
        return out;
    }

    /** See {@link DjlLanguageModel#save(Path)}. */
    void save(Path dir) throws IOException {
        state.checkOpen();
        Training.noGrad();
        write(dir, false, state.model().lora() != null);
    }

    /** See {@link DjlLanguageModel#saveMerged(Path)}. */
    void saveMerged(Path dir) throws IOException {
        state.checkOpen();
        Training.noGrad();
        write(dir, true, false);
    }

    private void write(Path dir, boolean merged, boolean withAdapter) throws IOException {
        Path staging = AtomicFiles.stagingDir(dir);
        try {
            writeCheckpoint(staging, dir, merged, withAdapter);
            AtomicFiles.replaceDir(staging, dir, ownedFiles(dir));
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    /** The files of a checkpoint this class writes, plus weight shards found in {@code dir}: never carried over. */
    private static Set<String> ownedFiles(Path dir) throws IOException {
        Set<String> owned = new HashSet<>(CHECKPOINT_FILES);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("model-\\d+-of-\\d+\\.safetensors"))
                        .forEach(owned::add);
            }
        }
        return owned;
    }

    /**
     * Writes config, tokenizer, weights (merged with the adapter when {@code merged}; else the frozen base's files
     * hard-linked when unchanged since loading, else streamed) and the adapter when {@code withAdapter} into
     * {@code dir} (must exist), the staging directory of {@code finalDir} (the base an adapter names once the
     * base was changed).
     */
    private void writeCheckpoint(Path dir, Path finalDir, boolean merged, boolean withAdapter) throws IOException {
        CausalLm model = state.model();
        if (merged) {
            SafeTensors.write(dir.resolve("model.safetensors"), model.mergedTensors(), Map.of("format", "pt"));
        } else if (state.baseFiles() == null || !linkBase(dir)) {
            model.writeBase(dir.resolve("model.safetensors"));
        }
        SafeTensors.writeBytes(dir.resolve("tokenizer.json"), state.tokenizerJson);
        state.meta.write(dir, state.config, state.tokenizer, state.context, state.tokenizerConfigJson);
        if (withAdapter) {
            SafeTensors.write(dir.resolve("adapter_model.safetensors"), model.adapterTensors(),
                    Map.of("format", "pt"));
            PeftAdapterConfig.Base base = state.meta.baseFor(finalDir);
            // GPT-2's Conv1D stores weights transposed
            PeftAdapterConfig.write(dir.resolve(PeftAdapterConfig.FILE), model.lora(), model.fanInFanOut(),
                    base.nameOrPath(), base.revision());
        }
    }

    /**
     * Hard-links the unchanged frozen base's weight files into {@code dir} (a multi-GB base is not copied for every
     * checkpoint); false, with nothing left behind, when a file is gone or the file system cannot link.
     */
    private boolean linkBase(Path dir) {
        List<Path> made = new ArrayList<>();
        try {
            for (Path f : state.baseFiles()) {
                Path target = dir.resolve(f.getFileName().toString());
                Files.createLink(target, f.toRealPath()); // hub snapshot files are symbolic links into blobs/
                made.add(target);
            }
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            for (Path m : made) {
                try {
                    Files.deleteIfExists(m);
                } catch (IOException ignored) {
                    // the staging directory is deleted anyway
                }
            }
            return false;
        }
    }

    /** See {@link DjlLanguageModel#restore(Path)}. */
    void restore(Path dir) throws IOException {
        state.checkOpen();
        Training.noGrad();
        ModelConfig saved = ModelConfig.read(dir.resolve("config.json"));
        if (!saved.equals(state.config)) {
            throw new IOException(dir.resolve("config.json") + ": architecture " + saved
                    + " differs from the loaded model's " + state.config);
        }
        LoraConfig loraConfig = state.loraConfig;
        LoraConfig adapterCfg = readAdapterConfig(dir, state.config);
        if (loraConfig != null && adapterCfg == null) {
            throw new IOException(dir.resolve("adapter_config.json") + ": missing; this model trains a LoRA adapter");
        }
        if (loraConfig == null && adapterCfg != null) {
            throw new IOException(dir.resolve("adapter_config.json") + ": present, but this model trains without"
                    + " LoRA");
        }
        if (adapterCfg != null && (adapterCfg.rank() != loraConfig.rank()
                || !adapterCfg.targets().equals(loraConfig.targets()) || adapterCfg.alpha() != loraConfig.alpha()
                || adapterCfg.rsLora() != loraConfig.rsLora())) {
            throw new IOException(dir.resolve("adapter_config.json") + ": adapter " + adapterCfg
                    + " differs from the model's " + loraConfig);
        }
        CausalLm fresh = loadModel(state.root, state.model().manager().getDevice(), state.config, dir, loraConfig,
                state.trainer.seed(), state.dtype);
        state.replace(fresh, frozenBaseFiles(fresh, dir));
    }

    /** See {@link DjlLanguageModel#initialize}. */
    static void initialize(Path dir, Gpt2Config config, Path tokenizerJson, long seed) throws IOException {
        Path staging = AtomicFiles.stagingDir(dir);
        try {
            config.write(staging.resolve("config.json"));
            SafeTensors.write(staging.resolve("model.safetensors"), Gpt2Model.initialTensors(config, seed),
                    Map.of("format", "pt"));
            Files.copy(tokenizerJson, staging.resolve("tokenizer.json"));
            CheckpointMetadata.writeTokenizerFiles(staging, config, tokenizerJson);
            AtomicFiles.replaceDir(staging, dir, CHECKPOINT_FILES);
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }
}
