package dev.symbiosis.core.model;

import dev.symbiosis.core.text.Provenance;
import java.util.Objects;

/**
 * A prompt for a {@link Generator}: a prefix to continue (tiny models) or an instruction (instruction-tuned
 * models), with the provenance that explains why it was asked (topic seed, hard example ...).
 *
 * <p>Immutable and thread-safe.
 *
 * @param text the prompt text; may be empty only for unconditional generation
 * @param provenance why this prompt exists; attribute {@code "kind"} is {@code "topic"} or {@code "teaching"} for
 *     prompts made by a {@link dev.symbiosis.core.curriculum.Curriculum}
 */
public record Prompt(String text, Provenance provenance) {

    public Prompt {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(provenance, "provenance");
    }
}
