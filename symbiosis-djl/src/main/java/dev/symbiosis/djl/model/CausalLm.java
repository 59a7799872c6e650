package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.symbiosis.djl.io.SafeTensors;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A causal language model's parameters and forward pass, whatever its family ({@link Gpt2Model},
 * {@link GptNeoxModel}, {@link LlamaModel}, all on {@link DecoderLm}); {@link CausalLms} builds the one config.json
 * names. Everything the
 * engine needs for scoring, training (full or LoRA), KV-cache generation and input saliency goes through here.
 *
 * <p>Implementations are not thread-safe. Closing the model releases all its native memory.
 */
public interface CausalLm extends AutoCloseable {

    /** The architecture. */
    ModelConfig modelConfig();

    /** The manager owning the parameters (its device is the model's device). */
    NDManager manager();

    /** The adapter configuration (targets resolved to this family's module names), or null. */
    LoraConfig lora();

    /** The arrays an optimizer updates: the LoRA matrices with an adapter, else every base parameter. */
    List<NDArray> trainable();

    /** Names matching {@link #trainable()} in order. */
    List<String> trainableNames();

    /** Number of scalar values in {@link #trainable()}. */
    long trainableCount();

    /** Base parameters as float tensors under their Hugging Face names (Java heap: small models only). */
    Map<String, Tensor> baseTensors();

    /** Adapter matrices under PEFT names; empty without an adapter. */
    Map<String, Tensor> adapterTensors();

    /** Base tensors with the adapter folded in (Java heap: small models only). */
    Map<String, Tensor> mergedTensors();

    /**
     * Float32 logits {@code (B, T, V)} of {@code ids} {@code (B, T)} at positions {@code 0..T-1} with a causal mask,
     * inside the caller's NDScope; intermediates go to {@code scratch} or the scope.
     *
     * @param masters true to use the gradient-carrying master arrays (training), false for detached weights
     * @param dropoutRng random source of LoRA dropout, or null for none
     */
    NDArray forwardLogits(NDManager scratch, NDArray ids, boolean masters, Random dropoutRng);

    /**
     * Next-token logits at the last position of every row, without gradients: one forward of {@code ids}
     * ({@code b} rows of {@code t} tokens, positions {@code pos}) attending causally to the cached positions and
     * its own, except to the first {@code pad[i]} key positions of row {@code i} (left padding); with a cache,
     * keys and values are appended to it.
     *
     * @return {@code b} arrays of {@code vocabSize} logits
     */
    float[][] lastLogits(long[] ids, long[] pos, int[] pad, int b, int t, AttentionCache cache);

    /**
     * For {@code b} rows of {@code t} tokens with next tokens {@code next} and per-position loss coefficients
     * {@code coef}, the L2 norm of the gradient of {@code -sum(coef * log p(next))} with respect to each input
     * embedding; parameters receive no gradient.
     *
     * @return {@code b * t} norms, row-major
     */
    float[] inputSaliency(long[] ids, long[] next, float[] coef, int b, int t);

    /**
     * {@link #inputSaliency}'s gradient itself with its norms, from the same single forward and backward: the norms
     * are exactly those {@link #inputSaliency} returns, and rows of the gradient projected with
     * {@link #embeddingAlignment(float[], int)} are exactly what {@link #gradientAlignment} returns, so that a caller
     * wanting both pays one backward pass.
     */
    InputGradient inputGradient(long[] ids, long[] next, float[] coef, int b, int t);

    /**
     * {@code n} rows of an input-embedding gradient ({@code n * d} values, row-major, e.g. taken from
     * {@link #inputGradient}) projected on every token embedding: row {@code i} holds {@code E[v] . g_i} for every
     * vocabulary entry {@code v}.
     *
     * @return {@code n} rows of {@code vocabSize} values
     */
    float[][] embeddingAlignment(float[] rows, int n);

    /**
     * The gradient of {@link #inputSaliency}'s loss with respect to the input embeddings and its L2 norms.
     *
     * @param norms {@code b * t} norms, row-major
     * @param gradient {@code b * t * d} values, row-major
     */
    record InputGradient(float[] norms, float[] gradient) {
        /** The embedding width {@code d}. */
        public int dim() {
            return norms.length == 0 ? 0 : gradient.length / norms.length;
        }
    }

    /**
     * The gradient of {@link #inputSaliency}'s loss at flat positions {@code at} ({@code row * t + column}) projected
     * on every token embedding: row {@code i} holds {@code E[v] . g(at[i])} for every vocabulary entry {@code v}
     * (HotFlip's first-order estimate of replacing a token).
     *
     * @return {@code at.length} rows of {@code vocabSize} values
     */
    float[][] gradientAlignment(long[] ids, long[] next, float[] coef, int b, int t, int[] at);

    /**
     * Whether module weights are stored {@code [in, out]} and applied as {@code x W} (GPT-2's {@code Conv1D}; PEFT's
     * {@code fan_in_fan_out}); default false: {@code [out, in]}, applied as {@code x W^T} ({@code nn.Linear}).
     */
    default boolean fanInFanOut() {
        return false;
    }

    /**
     * Whether a checkpoint of an unchanged frozen base may hard-link the weight files the base was loaded from
     * instead of writing it; default false (always written).
     */
    default boolean linksLoadedBase() {
        return false;
    }

    /** A fresh key/value cache for {@link #lastLogits}. */
    default AttentionCache newCache() {
        return new AttentionCache(manager(), modelConfig().numLayers());
    }

    /**
     * Writes the base parameters to one safetensors file. Default: {@link #baseTensors()} as F32; large models
     * stream tensor by tensor.
     */
    default void writeBase(Path file) throws IOException {
        SafeTensors.write(file, baseTensors(), Map.of("format", "pt"));
    }

    /**
     * Folds the adapter into the base weights on the device and starts a fresh adapter (A re-drawn from
     * {@code seed}, B zero), if this implementation can do so in place.
     *
     * @return false when not supported (the caller rebuilds the model from {@link #mergedTensors()})
     */
    default boolean mergeAdapterInPlace(long seed) {
        return false;
    }

    /**
     * Puts adapter values back (PEFT names) in place, if supported.
     *
     * @return false when not supported (the caller rebuilds the model)
     */
    default boolean restoreAdapterInPlace(Map<String, Tensor> adapter) throws IOException {
        return false;
    }

    @Override
    void close();
}
