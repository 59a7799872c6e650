package dev.symbiosis.core.eval;

import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * A proportion of successes (an accuracy) with its Wilson score interval, computed by commons-math3's
 * {@link WilsonScoreInterval} (e.g. 8 of 10 gives [0.4902, 0.9433] at 95%). Against rounding, bounds are clamped to
 * [0, 1] and so as to contain the estimate (the exact bounds are 0 at 0 successes and 1 at all successes); with no
 * trials the value and bounds are {@code NaN}.
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises as is.
 *
 * @param successes number of successes, {@code 0 <= successes <= trials}
 * @param trials number of trials, {@code >= 0}
 * @param value {@code successes / trials}
 * @param lower lower bound of the interval
 * @param upper upper bound of the interval
 * @param confidence confidence level of the interval, in (0, 1)
 */
public record Proportion(int successes, int trials, double value, double lower, double upper, double confidence) {

    /** The confidence level used throughout the evaluation reports. */
    public static final double CONFIDENCE_95 = 0.95;

    public Proportion {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }

    /** {@code successes} of {@code trials} with a 95% Wilson interval. */
    public static Proportion of(int successes, int trials) {
        return of(successes, trials, CONFIDENCE_95);
    }

    /** {@code successes} of {@code trials} with a Wilson interval at {@code confidence}. */
    public static Proportion of(int successes, int trials, double confidence) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
        if (trials == 0) {
            return new Proportion(0, 0, Double.NaN, Double.NaN, Double.NaN, confidence);
        }
        ConfidenceInterval ci = new WilsonScoreInterval().createInterval(trials, successes, confidence);
        double value = (double) successes / trials;
        // exact Wilson bounds are 0 at 0 successes and 1 at n; clamp away the rounding (e.g. 4.9e-17)
        return new Proportion(successes, trials, value, Math.min(value, Math.max(0.0, ci.getLowerBound())),
                Math.max(value, Math.min(1.0, ci.getUpperBound())), confidence);
    }
}
