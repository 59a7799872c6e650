package dev.symbiosis.core.loop;

import java.util.Objects;
import org.jspecify.annotations.NullMarked;

/**
 * The name of a figure and which way is better: a typed key shared by the code that writes a figure and the code
 * that reads it (statistics, reports), so no reader guesses the direction from the name.
 *
 * @param name dotted name as it appears in records (e.g. {@code "bpb.macro"})
 * @param direction whether smaller or larger values are better
 */
@NullMarked
public record Figure(String name, Direction direction) {

    /** Which way a figure improves. */
    public enum Direction {
        /** Smaller is better (losses, bits per byte, perplexity). */
        LOWER_IS_BETTER,
        /** Larger is better (accuracy). */
        HIGHER_IS_BETTER
    }

    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a figure needs a name");
        }
    }

    /** A figure where smaller is better. */
    public static Figure lowerIsBetter(String name) {
        return new Figure(name, Direction.LOWER_IS_BETTER);
    }

    /** A figure where larger is better. */
    public static Figure higherIsBetter(String name) {
        return new Figure(name, Direction.HIGHER_IS_BETTER);
    }

    /** Whether larger values are better. */
    public boolean higherIsBetter() {
        return direction == Direction.HIGHER_IS_BETTER;
    }

    /** Whether {@code a} is better than {@code b} (false when equal). */
    public boolean isBetter(double a, double b) {
        return higherIsBetter() ? a > b : a < b;
    }
}
