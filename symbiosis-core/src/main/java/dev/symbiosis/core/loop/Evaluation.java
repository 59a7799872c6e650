package dev.symbiosis.core.loop;

import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.NullMarked;

/**
 * What a {@link StudentEvaluator} found: one headline figure (drives early stopping and the summary), any number
 * of further figures by dotted name, and the per-item results behind them.
 *
 * @param headlineName name of the headline figure, also present in {@code figures}
 * @param higherIsBetter whether a larger headline is an improvement (accuracy) or not (bits per byte)
 * @param figures every figure; {@code NaN} marks an undefined one
 * @param items per-item results (may be empty: the evaluator has no items, and paired tests get none); copied
 */
@NullMarked
public record Evaluation(String headlineName, boolean higherIsBetter, ImmutableSortedMap<String, Double> figures,
        List<ItemScore> items) {

    public Evaluation {
        Objects.requireNonNull(headlineName, "headlineName");
        Objects.requireNonNull(figures, "figures");
        items = List.copyOf(items);
        if (!figures.containsKey(headlineName)) {
            throw new IllegalArgumentException("figures lack the headline '" + headlineName + "'");
        }
    }

    /** An evaluation without per-item results. */
    public Evaluation(String headlineName, boolean higherIsBetter, ImmutableSortedMap<String, Double> figures) {
        this(headlineName, higherIsBetter, figures, List.of());
    }

    /** An evaluation whose headline is a typed figure. */
    public Evaluation(Figure headline, ImmutableSortedMap<String, Double> figures, List<ItemScore> items) {
        this(headline.name(), headline.higherIsBetter(), figures, items);
    }

    /** The headline as a typed figure. */
    public Figure headlineFigure() {
        return new Figure(headlineName, higherIsBetter ? Figure.Direction.HIGHER_IS_BETTER
                : Figure.Direction.LOWER_IS_BETTER);
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
