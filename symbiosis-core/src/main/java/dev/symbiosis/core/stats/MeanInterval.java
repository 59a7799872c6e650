package dev.symbiosis.core.stats;

import java.util.function.DoubleConsumer;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of a sample with its Student-t confidence interval: {@code mean +- t(1 - (1 - c) / 2, n - 1) * s /
 * sqrt(n)}, with {@code s} the sample standard deviation ({@code n - 1} denominator). Used for the spread over run
 * seeds of one figure.
 *
 * <p>Streaming in the style of Commons Statistics: {@link #create()} and {@link #accept(double)} one value at a
 * time (Welford's update), {@link #of(double...)} for an array, {@link #combine(MeanInterval)} to merge partial
 * results (Chan et al.'s pairwise update), equal to accepting every value into one instance up to rounding.
 *
 * <p>Empty input: {@link #getMean()} is {@code NaN}. One value: the mean is that value, the standard deviation and
 * the interval bounds are {@code NaN}. A {@code NaN} value makes the mean, deviation and interval {@code NaN}; an
 * infinite one makes them infinite or {@code NaN}, as the arithmetic gives.
 *
 * <p>Not thread-safe: use one instance per thread and {@link #combine(MeanInterval)} them.
 */
public final class MeanInterval implements DoubleConsumer {

    /** Default confidence of {@link #interval()}: 0.95. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    private long n;
    private double mean;
    private double sumSquaredDeviations;

    private MeanInterval() {}

    /** An empty accumulator. */
    public static MeanInterval create() {
        return new MeanInterval();
    }

    /** The statistic of {@code values} (empty allowed). */
    public static MeanInterval of(double... values) {
        MeanInterval m = new MeanInterval();
        for (double v : values) {
            m.accept(v);
        }
        return m;
    }

    @Override
    public void accept(double value) {
        n++;
        double delta = value - mean;
        mean += delta / n;
        sumSquaredDeviations += delta * (value - mean);
    }

    /** Adds the values of {@code other} to this one (other is unchanged); returns {@code this}. */
    public MeanInterval combine(MeanInterval other) {
        if (other.n == 0) {
            return this;
        }
        if (n == 0) {
            n = other.n;
            mean = other.mean;
            sumSquaredDeviations = other.sumSquaredDeviations;
            return this;
        }
        long total = n + other.n;
        double delta = other.mean - mean;
        mean += delta * other.n / total;
        sumSquaredDeviations += other.sumSquaredDeviations + delta * delta * ((double) n * other.n / total);
        n = total;
        return this;
    }

    public long getN() {
        return n;
    }

    /** The sample mean; {@code NaN} when empty. */
    public double getMean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** The sample standard deviation ({@code n - 1} denominator); {@code NaN} for fewer than two values. */
    public double getStandardDeviation() {
        return n < 2 ? Double.NaN : Math.sqrt(sumSquaredDeviations / (n - 1));
    }

    /** {@code s / sqrt(n)}; {@code NaN} for fewer than two values. */
    public double getStandardError() {
        return getStandardDeviation() / Math.sqrt(n);
    }

    /** The {@value #DEFAULT_CONFIDENCE} interval. */
    public Interval interval() {
        return interval(DEFAULT_CONFIDENCE);
    }

    /**
     * The Student-t interval of the mean at {@code confidence}; bounds are {@code NaN} for fewer than two values.
     *
     * @throws IllegalArgumentException if confidence is not in (0, 1)
     */
    public Interval interval(double confidence) {
        Interval.checkConfidence(confidence);
        if (n < 2) {
            return new Interval(getMean(), Double.NaN, Double.NaN, confidence);
        }
        double t = new TDistribution(null, n - 1, 1e-14).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double h = t * getStandardError();
        return new Interval(mean, mean - h, mean + h, confidence);
    }

    @Override
    public String toString() {
        return "MeanInterval[n=" + n + ", mean=" + getMean() + ", sd=" + getStandardDeviation() + "]";
    }
}
