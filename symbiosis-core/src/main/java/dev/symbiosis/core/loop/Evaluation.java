package dev.symbiosis.core.loop;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Objects;

/**
 * What a {@link StudentEvaluator} found: one headline figure (drives early stopping and the summary) and any
 * number of further figures by dotted name.
 *
 * @param headlineName name of the headline figure, also present in {@code figures}
 * @param higherIsBetter whether a larger headline is an improvement (accuracy) or not (bits per byte)
 * @param figures every figure; {@code NaN} marks an undefined one
 */
public record Evaluation(String headlineName, boolean higherIsBetter, ImmutableSortedMap<String, Double> figures) {

    public Evaluation {
        Objects.requireNonNull(headlineName, "headlineName");
        Objects.requireNonNull(figures, "figures");
        if (!figures.containsKey(headlineName)) {
            throw new IllegalArgumentException("figures lack the headline '" + headlineName + "'");
        }
    }

    public double headline() {
        return figures.get(headlineName);
    }

    /** Whether {@code this} improves on {@code best} by more than {@code minDelta}. */
    public boolean improvesOn(double best, double minDelta) {
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? headline() > best + minDelta : headline() < best - minDelta;
    }
}
