package dev.symbiosis.metrics.semantic;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Pairwise cosine distances {@code 1 - cos(u_i, u_j)} of a set of vectors: their exact mean in {@code O(N d)} and
 * their distribution on a seeded sample of pairs.
 *
 * <p><b>Mean.</b> For unit vectors {@code u_1..u_N} and {@code s = sum_i u_i},
 * {@code sum_{i<j} u_i.u_j = (||s||^2 - N) / 2}, hence
 * <pre>
 *   mean_{i&lt;j} (1 - u_i.u_j) = 1 - (||s||^2 - N) / (N (N - 1))
 * </pre>
 * which is exactly the mean over all {@code N(N-1)/2} pairs, in one pass over the data instead of
 * {@code O(N^2 d)}. Rows are L2-normalised first (cosine is scale-free); the sum is accumulated in double
 * precision, so the result differs from the pairwise definition by rounding only (about {@code 1e-12} for
 * {@code N = 10^4}). The value lies in {@code [0, 2]}; it is 0 for identical directions and about 1 for unrelated
 * ones.
 *
 * <p><b>Degenerate input.</b> Fewer than two vectors: {@code NaN} (no pair). A zero vector:
 * {@link IllegalArgumentException} (its direction is undefined).
 *
 * <p>Stateless and thread-safe.
 */
public final class CosineDistances {

    private CosineDistances() {}

    /**
     * The mean cosine distance over all pairs {@code i < j}, in {@code O(N d)}.
     *
     * @return the mean in {@code [0, 2]}, {@code NaN} if {@code N < 2}
     * @throws IllegalArgumentException if a row is the zero vector
     */
    public static double meanPairwiseDistance(Embeddings vectors) {
        Objects.requireNonNull(vectors, "vectors");
        int n = vectors.size();
        if (n < 2) {
            return Double.NaN;
        }
        Embeddings u = vectors.normalised();
        int d = u.dimension();
        double[] x = u.raw();
        double[] s = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0, o = i * d; j < d; j++) {
                s[j] += x[o + j];
            }
        }
        double ss = 0;
        for (double v : s) {
            ss += v * v;
        }
        double mean = 1 - (ss - n) / ((double) n * (n - 1));
        return Math.min(2, Math.max(0, mean));
    }

    /**
     * The distribution of cosine distances over pairs of distinct vectors. When {@code N(N-1)/2 <= pairs} every pair
     * is used once (the result is then exact and does not depend on the seed); otherwise {@code pairs} pairs
     * {@code i != j} are drawn uniformly with replacement by a {@link SplittableRandom} seeded with {@code seed}.
     * Cost {@code O(pairs d)}.
     *
     * @param vectors at least two vectors
     * @param pairs number of pairs to draw, {@code >= 1}
     * @param seed the seed of the draw
     * @return summary statistics; all {@code NaN} with count 0 if {@code N < 2}
     * @throws IllegalArgumentException if {@code pairs < 1} or a row is the zero vector
     */
    public static DistanceDistribution samplePairs(Embeddings vectors, int pairs, long seed) {
        Objects.requireNonNull(vectors, "vectors");
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be >= 1, got " + pairs);
        }
        int n = vectors.size();
        if (n < 2) {
            return DistanceDistribution.of(new double[0]);
        }
        Embeddings u = vectors.normalised();
        long all = (long) n * (n - 1) / 2;
        double[] out;
        if (all <= pairs) {
            out = new double[(int) all];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    out[k++] = distance(u, i, j);
                }
            }
        } else {
            SplittableRandom rnd = new SplittableRandom(seed);
            out = new double[pairs];
            for (int k = 0; k < pairs; k++) {
                int i = rnd.nextInt(n);
                int j = rnd.nextInt(n - 1);
                if (j >= i) {
                    j++;
                }
                out[k] = distance(u, i, j);
            }
        }
        return DistanceDistribution.of(out);
    }

    /** Cosine distance of rows {@code i} and {@code j} of unit rows. */
    static double distance(Embeddings unit, int i, int j) {
        double[] x = unit.raw();
        int d = unit.dimension();
        double dot = 0;
        for (int k = 0, a = i * d, b = j * d; k < d; k++) {
            dot += x[a + k] * x[b + k];
        }
        return Math.min(2, Math.max(0, 1 - dot));
    }

    /**
     * Summary of a sample of distances.
     *
     * <p>Quantiles use linear interpolation between order statistics (Hyndman &amp; Fan type 7, the default of R
     * and NumPy). {@code sd} is the sample standard deviation ({@code n - 1} denominator), 0 for one value. An empty
     * sample gives count 0 and {@code NaN} everywhere.
     *
     * @param count number of pairs summarised
     * @param mean mean distance
     * @param sd sample standard deviation
     * @param min smallest distance
     * @param q05 5th percentile
     * @param q25 first quartile
     * @param median median
     * @param q75 third quartile
     * @param q95 95th percentile
     * @param max largest distance
     */
    public record DistanceDistribution(int count, double mean, double sd, double min, double q05, double q25,
            double median, double q75, double q95, double max) {

        /** Summarises {@code values} (not modified). */
        public static DistanceDistribution of(double[] values) {
            int n = values.length;
            if (n == 0) {
                double x = Double.NaN;
                return new DistanceDistribution(0, x, x, x, x, x, x, x, x, x);
            }
            double[] v = values.clone();
            Arrays.sort(v);
            double mean = 0;
            for (double x : v) {
                mean += x;
            }
            mean /= n;
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            double sd = n < 2 ? 0 : Math.sqrt(ss / (n - 1));
            return new DistanceDistribution(n, mean, sd, v[0], quantile(v, 0.05), quantile(v, 0.25),
                    quantile(v, 0.5), quantile(v, 0.75), quantile(v, 0.95), v[n - 1]);
        }

        /** Type-7 quantile of sorted values. */
        static double quantile(double[] sorted, double p) {
            double h = (sorted.length - 1) * p;
            int lo = (int) Math.floor(h);
            int hi = Math.min(sorted.length - 1, lo + 1);
            return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
        }
    }
}
