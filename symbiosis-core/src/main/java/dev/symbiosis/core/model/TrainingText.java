package dev.symbiosis.core.model;

import dev.symbiosis.core.text.Provenance;
import java.util.Objects;

/**
 * A text for next-token training with a loss weight, so that real and synthetic data can be mixed by weight, and
 * an optional context that the model conditions on but is not trained on.
 *
 * <p>With a context, a {@link Student} reads {@code context} followed by {@code text} as one sequence and takes the
 * loss on the tokens of {@code text} only (its first token predicted from the context's last), the way
 * {@link Generator#fineTune} treats a prompt: the masked-context teaching of issue 17, where a real text cut before
 * its salient span is the context and the Generator's continuation the trained text. Without a context (the empty
 * string, what the three-argument constructor and {@link #of} give) nothing changes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param text the trained text; must not be empty
 * @param weight per-example loss weight, finite and {@code > 0}
 * @param provenance where the text came from (real corpus, generator, iteration)
 * @param context text read before {@code text} without a loss on it; empty for none, never {@code null}
 */
public record TrainingText(String text, double weight, Provenance provenance, String context) {

    public TrainingText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(context, "context (use the empty string for none)");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("training text must not be empty");
        }
        checkWeight(weight);
    }

    /** A text without context. */
    public TrainingText(String text, double weight, Provenance provenance) {
        this(text, weight, provenance, "");
    }

    /** A text of weight 1 without context. */
    public static TrainingText of(String text, Provenance provenance) {
        return new TrainingText(text, 1.0, provenance);
    }

    /** Whether the text has a context to condition on. */
    public boolean hasContext() {
        return !context.isEmpty();
    }

    /** A copy with {@code value} as its text (same weight, provenance and context). */
    public TrainingText withText(String value, Provenance newProvenance) {
        return new TrainingText(value, weight, newProvenance, context);
    }

    static void checkWeight(double weight) {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and > 0, got " + weight);
        }
    }
}
