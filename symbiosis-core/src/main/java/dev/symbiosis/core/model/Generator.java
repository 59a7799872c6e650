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
     * Samples one continuation per prompt, each row with its own seed: row {@code i} gets exactly the sample that
     * {@code generate(List.of(prompts.get(i)), sampling.withSeed(rowSeeds[i]))} gives (the seed of
     * {@code sampling} is not used), whichever other rows share the call. A row's sample therefore depends on its
     * prompt, its seed and the model's state only, so that it can be cached by content.
     *
     * <p>The default makes one such call per row. Implementations whose decoding of a row does not depend on the
     * other rows of a batch (its padding, its size) override it to decode the rows together.
     *
     * @param prompts the prompts; an empty list gives an empty result
     * @param sampling the sampler settings (its seed is ignored)
     * @param rowSeeds one seed per prompt (read, not kept)
     * @return one sample per prompt, in order
     * @throws IllegalArgumentException if {@code rowSeeds} and {@code prompts} differ in length
     */
    default List<Sample> generateSeeded(List<Prompt> prompts, SamplingConfig sampling, long[] rowSeeds) {
        checkRowSeeds(prompts, rowSeeds);
        List<Sample> out = new java.util.ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.addAll(generate(List.of(prompts.get(i)), sampling.withSeed(rowSeeds[i])));
        }
        return out;
    }

    /**
     * Checks the arguments of {@link #generateSeeded}.
     *
     * @throws IllegalArgumentException if {@code rowSeeds} and {@code prompts} differ in length
     */
    static void checkRowSeeds(List<Prompt> prompts, long[] rowSeeds) {
        if (rowSeeds.length != prompts.size()) {
            throw new IllegalArgumentException("one row seed per prompt: " + prompts.size() + " prompts but "
                    + rowSeeds.length + " row seeds");
        }
    }

    /**
     * Fine-tunes on the pairs, with the loss on completion tokens only, weighted per pair.
     *
     * @param examples the pairs; an empty list changes nothing and returns {@link TrainingReport#empty()}
     * @return what was done
     * @throws IllegalStateException if the loss becomes NaN or infinite (the state before the call is kept)
     */
    TrainingReport fineTune(List<PromptCompletion> examples);

    /**
     * As {@link #fineTune(List)}, with the implementation's learning rate multiplied by {@code learningRateScale}
     * for this call only (issue 17: a Generator that learns more slowly than its configuration says, as one arm's
     * option beside arms that use the configured rate).
     *
     * @param learningRateScale finite and {@code > 0}; 1 is {@link #fineTune(List)}
     * @throws IllegalArgumentException if the scale is not finite and positive
     * @throws UnsupportedOperationException by default for a scale other than 1: an implementation without a
     *     learning rate of its own to scale says so rather than ignore it
     */
    default TrainingReport fineTune(List<PromptCompletion> examples, double learningRateScale) {
        checkLearningRateScale(learningRateScale);
        if (learningRateScale == 1.0) {
            return fineTune(examples);
        }
        throw new UnsupportedOperationException(getClass().getName() + " cannot scale its learning rate");
    }

    /**
     * Checks the argument of {@link #fineTune(List, double)}.
     *
     * @throws IllegalArgumentException if it is not finite and positive
     */
    static void checkLearningRateScale(double learningRateScale) {
        if (!(learningRateScale > 0) || Double.isInfinite(learningRateScale)) {
            throw new IllegalArgumentException("learning rate scale must be finite and > 0, got " + learningRateScale);
        }
    }
}
