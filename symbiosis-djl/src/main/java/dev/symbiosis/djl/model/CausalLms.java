package dev.symbiosis.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.io.ShardedSafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the {@link CausalLm} of a config's family: {@code gpt2} ({@link Gpt2Model}), {@code gpt_neox}
 * ({@link GptNeoxModel}) or {@code llama} ({@link LlamaModel}).
 *
 * <p>Stateless and thread-safe.
 */
public final class CausalLms {

    /** Java direct memory used per block while converting a tensor (64 MB). */
    static final int LOAD_BLOCK_BYTES = 64 << 20;

    private CausalLms() {}

    /**
     * The default storage precision of base weights on {@code device}: FLOAT16 on a GPU, halving their memory (a
     * BF16 or F32 checkpoint is converted in Java as it is read; DJL 0.36's PyTorch engine aborts on BF16, so BF16
     * is never used), FLOAT32 on the CPU (no widening per use). Computation is FLOAT32 either way
     * ({@link DecoderLm}).
     */
    public static DataType defaultDtype(Device device) {
        return device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
    }

    /**
     * Loads the weights of checkpoint directory {@code dir} ({@code model.safetensors} or the shards of
     * {@code model.safetensors.index.json}), read tensor by tensor.
     *
     * @param dtype precision of the base weights (GPT-2's are always FLOAT32)
     * @param lora adapter configuration or null; its targets are resolved for the family
     * @param adapter adapter tensors under PEFT names, or null for a fresh adapter
     * @throws IOException naming the file and tensor at fault
     */
    public static CausalLm load(NDManager root, Device device, ModelConfig config, Path dir, DataType dtype,
            boolean baseTrainable, LoraConfig lora, Map<String, Tensor> adapter, String adapterSource, long seed)
            throws IOException {
        try (ShardedSafeTensors files = ShardedSafeTensors.open(dir)) {
            String origin = dir.resolve(java.nio.file.Files.exists(dir.resolve(ShardedSafeTensors.INDEX))
                    ? ShardedSafeTensors.INDEX : ShardedSafeTensors.SINGLE).toString();
            return create(root, device, config, WeightSource.of(files, origin, LOAD_BLOCK_BYTES), dtype,
                    baseTrainable, lora, adapter, adapterSource, seed);
        }
    }

    /** Builds the model of {@code config}'s family from {@code weights}; see {@link #load}. */
    public static CausalLm create(NDManager root, Device device, ModelConfig config, WeightSource weights,
            DataType dtype, boolean baseTrainable, LoraConfig lora, Map<String, Tensor> adapter, String adapterSource,
            long seed) throws IOException {
        if (config instanceof Gpt2Config g) {
            return Gpt2Model.create(root, device, g, weights, baseTrainable, lora, adapter, adapterSource, seed);
        }
        if (config instanceof GptNeoxConfig n) {
            return GptNeoxModel.create(root, device, n, weights, dtype, baseTrainable, lora, adapter, adapterSource,
                    seed);
        }
        if (config instanceof LlamaConfig l) {
            return LlamaModel.create(root, device, l, weights, dtype, baseTrainable, lora, adapter, adapterSource,
                    seed);
        }
        throw new IllegalArgumentException("model_type \"" + config.modelType() + "\" is not supported; supported: "
                + ModelConfig.SUPPORTED_MODEL_TYPES);
    }
}
