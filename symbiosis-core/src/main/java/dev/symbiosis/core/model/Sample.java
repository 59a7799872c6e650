package dev.symbiosis.core.model;

import dev.symbiosis.core.text.Provenance;
import java.util.Objects;

/**
 * One generated continuation.
 *
 * <p>Immutable and thread-safe.
 *
 * @param prompt the prompt it continues
 * @param completion the generated text after the prompt (without the prompt; may be empty when the model stopped
 *     at once)
 * @param newTokens number of tokens generated, {@code >= 0}
 * @param provenance the producing model, iteration and sampler settings
 */
public record Sample(Prompt prompt, String completion, int newTokens, Provenance provenance) {

    public Sample {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(provenance, "provenance");
        if (newTokens < 0) {
            throw new IllegalArgumentException("newTokens must be >= 0, got " + newTokens);
        }
    }

    /** Prompt followed by completion: the text a tiny model actually produced as a whole. */
    public String fullText() {
        return prompt.text() + completion;
    }
}
