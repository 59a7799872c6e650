package dev.symbiosis.core.model;

import java.util.List;

/**
 * The Generator role: writes synthetic data from prompts (Step A, and the teaching material of Step D) and learns
 * from (prompt, completion) pairs (Step D).
 *
 * <p>Implementations are not required to be thread-safe: one loop drives one model at a time. Training
 * hyperparameters (steps, learning rate, LoRA rank ...) are the implementation's configuration; each call of
 * {@link #fineTune} is one round of fine-tuning on the given data.
 */
public interface Generator extends Checkpointable {

    /**
     * Samples one continuation per prompt.
     *
     * @param prompts the prompts; an empty list gives an empty result
     * @param sampling the sampler; the same seed, state and prompts give the same samples (CPU)
     * @return one sample per prompt, in order
     */
    List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling);

    /**
     * Fine-tunes on the pairs, with the loss on completion tokens only, weighted per pair.
     *
     * @param examples the pairs; an empty list changes nothing and returns {@link TrainingReport#empty()}
     * @return what was done
     * @throws IllegalStateException if the loss becomes NaN or infinite (the state before the call is kept)
     */
    TrainingReport fineTune(List<PromptCompletion> examples);
}
