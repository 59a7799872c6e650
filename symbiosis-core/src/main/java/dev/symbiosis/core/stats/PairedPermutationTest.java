package dev.symbiosis.core.stats;

import java.util.SplittableRandom;

/**
 * The paired (sign-flip) permutation test of a zero mean difference: under the null hypothesis every difference
 * {@code d_i = a_i - b_i} is as likely to have the opposite sign, so the two-sided p-value is the share of the
 * {@code 2^n} sign assignments whose {@code |sum(+-d_i)|} reaches the observed {@code |sum(d_i)|}.
 *
 * <p>Exact (every assignment enumerated) up to {@value #DEFAULT_EXACT_LIMIT} pairs; above that, a seeded Monte
 * Carlo estimate from {@code resamples} random assignments, {@code p = (1 + hits) / (1 + resamples)} (never 0, as
 * Phipson and Smyth recommend). Sums within a relative {@code 1e-12} of the observed one count as reaching it, so
 * rounding never hides a tie.
 *
 * <p>Empty input is refused; all-zero differences give {@code p = 1}; a {@code NaN} difference gives {@code NaN}.
 * Immutable and thread-safe; a given seed gives the same p-value on every run.
 */
public final class PairedPermutationTest {

    /** Default Monte Carlo resamples: 10000. */
    public static final int DEFAULT_RESAMPLES = 10_000;
    /** Default largest number of pairs tested exactly: 16 (65536 assignments). */
    public static final int DEFAULT_EXACT_LIMIT = 16;
    /** Default seed: 0. */
    public static final long DEFAULT_SEED = 0L;

    private final int resamples;
    private final int exactLimit;
    private final long seed;

    private PairedPermutationTest(int resamples, int exactLimit, long seed) {
        this.resamples = resamples;
        this.exactLimit = exactLimit;
        this.seed = seed;
    }

    /** With the defaults above. */
    public static PairedPermutationTest create() {
        return new PairedPermutationTest(DEFAULT_RESAMPLES, DEFAULT_EXACT_LIMIT, DEFAULT_SEED);
    }

    /** A copy drawing {@code count >= 1} random sign assignments above the exact limit. */
    public PairedPermutationTest withResamples(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + count);
        }
        return new PairedPermutationTest(count, exactLimit, seed);
    }

    /** A copy enumerating every assignment up to {@code pairs} pairs (0 to 24). */
    public PairedPermutationTest withExactLimit(int pairs) {
        if (pairs < 0 || pairs > 24) {
            throw new IllegalArgumentException("exactLimit must be in [0, 24], got " + pairs);
        }
        return new PairedPermutationTest(resamples, pairs, seed);
    }

    /** A copy with another random seed. */
    public PairedPermutationTest withSeed(long value) {
        return new PairedPermutationTest(resamples, exactLimit, value);
    }

    /**
     * The result of the test.
     *
     * @param pairs number of pairs
     * @param meanDifference mean of {@code a - b}
     * @param pValue two-sided p-value
     * @param exact whether every sign assignment was enumerated
     * @param resamples random assignments drawn (0 when exact)
     */
    public record Result(int pairs, double meanDifference, double pValue, boolean exact, int resamples) {}

    /**
     * Tests {@code a[i] - b[i]}.
     *
     * @throws IllegalArgumentException if the arrays differ in length or are empty
     */
    public Result test(double[] a, double[] b) {
        return testDifferences(EffectSize.differences(a, b));
    }

    /**
     * Tests the paired differences.
     *
     * @throws IllegalArgumentException if there are none
     */
    public Result testDifferences(double[] d) {
        int n = d.length;
        if (n == 0) {
            throw new IllegalArgumentException("no pairs to test");
        }
        double sum = 0;
        double scale = 0;
        for (double v : d) {
            sum += v;
            scale += Math.abs(v);
        }
        if (Double.isNaN(sum)) {
            return new Result(n, Double.NaN, Double.NaN, n <= exactLimit, n <= exactLimit ? 0 : resamples);
        }
        double observed = Math.abs(sum) - 1e-12 * scale;
        if (n <= exactLimit) {
            long hits = 0;
            long total = 1L << n;
            for (long mask = 0; mask < total; mask++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (mask & (1L << i)) != 0 ? -d[i] : d[i];
                }
                if (Math.abs(s) >= observed) {
                    hits++;
                }
            }
            return new Result(n, sum / n, (double) hits / total, true, 0);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long hits = 0;
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += random.nextBoolean() ? -d[i] : d[i];
            }
            if (Math.abs(s) >= observed) {
                hits++;
            }
        }
        return new Result(n, sum / n, (1.0 + hits) / (1.0 + resamples), false, resamples);
    }
}
