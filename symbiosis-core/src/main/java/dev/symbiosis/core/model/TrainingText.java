package dev.symbiosis.core.model;

import dev.symbiosis.core.text.Provenance;
import java.util.Objects;

/**
 * A text for next-token training with a loss weight, so that real and synthetic data can be mixed by weight.
 *
 * <p>Immutable and thread-safe.
 *
 * @param text the text; must not be empty
 * @param weight per-example loss weight, finite and {@code > 0}
 * @param provenance where the text came from (real corpus, generator, iteration)
 */
public record TrainingText(String text, double weight, Provenance provenance) {

    public TrainingText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(provenance, "provenance");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("training text must not be empty");
        }
        checkWeight(weight);
    }

    /** A text of weight 1. */
    public static TrainingText of(String text, Provenance provenance) {
        return new TrainingText(text, 1.0, provenance);
    }

    static void checkWeight(double weight) {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and > 0, got " + weight);
        }
    }
}
