package dev.symbiosis.core.stats;

/**
 * A point estimate with a two-sided confidence interval.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises as is ({@code NaN} bounds mark an interval that
 * is not defined, e.g. a t-interval of one value).
 *
 * @param estimate the point estimate
 * @param lower lower bound
 * @param upper upper bound
 * @param confidence nominal coverage, in (0, 1)
 */
public record Interval(double estimate, double lower, double upper, double confidence) {

    /** Half of the interval's width ({@code NaN} if a bound is). */
    public double halfWidth() {
        return (upper - lower) / 2;
    }

    /** Whether {@code value} lies within the bounds (false when they are {@code NaN}). */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }

    static void checkConfidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }
}
