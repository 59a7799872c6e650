package dev.symbiosis.core.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded percentile bootstrap of the mean paired difference over a crossed design of run seeds (rows) and
 * evaluation items (columns): {@code d[s][i] = a[s][i] - b[s][i]}, the same items in every row. Each resample
 * draws the rows with replacement and, independently, the columns with replacement, and takes the mean of
 * {@code d} over the drawn rows and columns (the two-way bootstrap of crossed random effects, so that both the
 * seed-to-seed and the item-to-item variation widen the interval). With one row it is the ordinary paired
 * bootstrap over items; with one column, over seeds.
 *
 * <p>The interval is the percentile interval of the resampled means (linear interpolation between order
 * statistics). The two-sided p-value of "mean difference = 0" inverts it: {@code p = min(1, 2 min(1 + #{m* <= 0},
 * 1 + #{m* >= 0}) / (1 + resamples))}, the smallest level whose percentile interval excludes 0.
 *
 * <p>Empty input and ragged rows are refused; a {@code NaN} difference makes the result {@code NaN}. Immutable and
 * thread-safe; a given seed gives the same result on every run.
 */
public final class PairedBootstrap {

    /** Default resamples: 2000. */
    public static final int DEFAULT_RESAMPLES = 2000;
    /** Default confidence: 0.95. */
    public static final double DEFAULT_CONFIDENCE = 0.95;
    /** Default seed: 0. */
    public static final long DEFAULT_SEED = 0L;

    private final int resamples;
    private final double confidence;
    private final long seed;

    private PairedBootstrap(int resamples, double confidence, long seed) {
        this.resamples = resamples;
        this.confidence = confidence;
        this.seed = seed;
    }

    /** With the defaults above. */
    public static PairedBootstrap create() {
        return new PairedBootstrap(DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE, DEFAULT_SEED);
    }

    /** A copy drawing {@code count >= 100} resamples. */
    public PairedBootstrap withResamples(int count) {
        if (count < 100) {
            throw new IllegalArgumentException("resamples must be >= 100, got " + count);
        }
        return new PairedBootstrap(count, confidence, seed);
    }

    /** A copy with another interval confidence in (0, 1). */
    public PairedBootstrap withConfidence(double value) {
        Interval.checkConfidence(value);
        return new PairedBootstrap(resamples, value, seed);
    }

    /** A copy with another random seed. */
    public PairedBootstrap withSeed(long value) {
        return new PairedBootstrap(resamples, confidence, value);
    }

    /**
     * The result of a bootstrap.
     *
     * @param rows run seeds
     * @param columns items
     * @param interval the observed mean difference and its percentile interval
     * @param standardError standard deviation of the resampled means
     * @param pValue two-sided p-value of a zero mean difference
     * @param resamples resamples drawn
     */
    public record Result(int rows, int columns, Interval interval, double standardError, double pValue,
            int resamples) {

        /** The observed mean difference. */
        public double meanDifference() {
            return interval.estimate();
        }
    }

    /**
     * Bootstraps {@code a[s][i] - b[s][i]}.
     *
     * @throws IllegalArgumentException if the shapes differ, a row's length differs from the first row's, or there
     *     is no value
     */
    public Result of(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in rows: " + a.length + " and " + b.length);
        }
        double[][] d = new double[a.length][];
        for (int s = 0; s < a.length; s++) {
            d[s] = EffectSize.differences(a[s], b[s]);
        }
        return ofDifferences(d);
    }

    /** Bootstraps the paired differences of one row (items only). */
    public Result ofDifferences(double[] d) {
        return ofDifferences(new double[][] {d});
    }

    /** Bootstraps the paired differences {@code d[seed][item]}; errors as {@link #of(double[][], double[][])}. */
    public Result ofDifferences(double[][] d) {
        int rows = d.length;
        if (rows == 0 || d[0].length == 0) {
            throw new IllegalArgumentException("no paired differences to bootstrap");
        }
        int cols = d[0].length;
        double total = 0;
        for (double[] row : d) {
            if (row.length != cols) {
                throw new IllegalArgumentException("rows differ in length: " + row.length + " and " + cols
                        + " (every seed must have the same items)");
            }
            for (double v : row) {
                total += v;
            }
        }
        double observed = total / ((double) rows * cols);
        if (Double.isNaN(observed)) {
            Interval nan = new Interval(Double.NaN, Double.NaN, Double.NaN, confidence);
            return new Result(rows, cols, nan, Double.NaN, Double.NaN, resamples);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        int[] rowCounts = new int[rows];
        int[] colCounts = new int[cols];
        MeanInterval spread = MeanInterval.create();
        int atMostZero = 0;
        int atLeastZero = 0;
        for (int r = 0; r < resamples; r++) {
            Arrays.fill(rowCounts, 0);
            Arrays.fill(colCounts, 0);
            for (int k = 0; k < rows; k++) {
                rowCounts[random.nextInt(rows)]++;
            }
            for (int k = 0; k < cols; k++) {
                colCounts[random.nextInt(cols)]++;
            }
            double sum = 0;
            for (int s = 0; s < rows; s++) {
                if (rowCounts[s] == 0) {
                    continue;
                }
                double rowSum = 0;
                double[] row = d[s];
                for (int i = 0; i < cols; i++) {
                    rowSum += colCounts[i] * row[i];
                }
                sum += rowCounts[s] * rowSum;
            }
            double m = sum / ((double) rows * cols);
            means[r] = m;
            spread.accept(m);
            if (m <= 0) {
                atMostZero++;
            }
            if (m >= 0) {
                atLeastZero++;
            }
        }
        Arrays.sort(means);
        double alpha = 1 - confidence;
        Interval interval = new Interval(observed, quantile(means, alpha / 2), quantile(means, 1 - alpha / 2),
                confidence);
        double p = Math.min(1.0, 2.0 * (1.0 + Math.min(atMostZero, atLeastZero)) / (1.0 + resamples));
        return new Result(rows, cols, interval, spread.getStandardDeviation(), p, resamples);
    }

    /** Quantile {@code q} of sorted values, interpolating linearly between order statistics (R type 7). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
