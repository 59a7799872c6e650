package dev.symbiosis.core.model;

import java.util.List;

/**
 * Optional capability of a {@link Generator}: fine-tuning on preference pairs with the DPO loss (Rafailov et al.,
 * 2023),
 * <pre>
 *   loss = -log sigmoid(beta * ((log pi(chosen) - log ref(chosen)) - (log pi(rejected) - log ref(rejected))))
 * </pre>
 * averaged over the pairs of a step, where {@code log pi(y)} is the summed log-probability of the completion's
 * tokens (and the end-of-answer token {@link Generator#fineTune} appends) given the prompt under the model being
 * trained, and {@code log ref(y)} the same under the model as it was when the call started (computed once, without
 * gradients). The first step therefore sees policy = reference: its loss is {@code log 2} for every pair.
 */
public interface PreferenceTraining {

    /** The usual DPO temperature when none is given (TRL's default). */
    double DEFAULT_BETA = 0.1;

    /**
     * Fine-tunes on the pairs with the DPO loss. The optimizer settings are the implementation's (those of
     * {@link Generator#fineTune}). Not required to be thread-safe.
     *
     * @param pairs the pairs; an empty list changes nothing and returns {@link TrainingReport#empty()}
     * @param beta the temperature, finite and {@code > 0}
     * @return what was done: {@code examples} the pairs, {@code tokens} the completion tokens (chosen and rejected)
     *     that carried loss over every epoch, losses in nats per pair
     * @throws IllegalArgumentException if {@code beta} is not finite and positive
     * @throws IllegalStateException if the loss becomes NaN or infinite (the state before the call is kept)
     */
    TrainingReport fineTunePreferences(List<PreferencePair> pairs, double beta);

    /**
     * Checks {@code beta}.
     *
     * @throws IllegalArgumentException if it is not finite and positive
     */
    static void checkBeta(double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("DPO beta must be finite and > 0, got " + beta);
        }
    }
}
