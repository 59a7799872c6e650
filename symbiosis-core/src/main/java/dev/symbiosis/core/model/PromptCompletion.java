package dev.symbiosis.core.model;

import java.util.Objects;

/**
 * A supervised fine-tuning pair: the loss is taken on the completion tokens only, conditioned on the prompt.
 *
 * <p>Immutable and thread-safe.
 *
 * @param prompt conditioning text (loss-masked); may be empty
 * @param completion target text; must not be empty
 * @param weight per-example loss weight, finite and {@code > 0}
 */
public record PromptCompletion(String prompt, String completion, double weight) {

    public PromptCompletion {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        if (completion.isEmpty()) {
            throw new IllegalArgumentException("completion must not be empty");
        }
        TrainingText.checkWeight(weight);
    }

    /** A pair with weight 1. */
    public PromptCompletion(String prompt, String completion) {
        this(prompt, completion, 1.0);
    }
}
