package dev.symbiosis.core.model;

import java.util.Objects;

/**
 * A preference between two completions of one prompt, for {@link PreferenceTraining}: {@code chosen} should become
 * more likely than {@code rejected}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param prompt conditioning text (loss-masked, as in {@link PromptCompletion}); may be empty
 * @param chosen the preferred completion; must not be empty
 * @param rejected the dispreferred completion; must not be empty
 */
public record PreferencePair(String prompt, String chosen, String rejected) {

    public PreferencePair {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        if (chosen.isEmpty() || rejected.isEmpty()) {
            throw new IllegalArgumentException("chosen and rejected completions must not be empty");
        }
    }
}
