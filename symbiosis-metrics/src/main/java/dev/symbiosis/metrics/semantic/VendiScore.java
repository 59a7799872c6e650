package dev.symbiosis.metrics.semantic;

import java.util.Objects;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;

/**
 * The Vendi score (Friedman &amp; Dieng 2023, "The Vendi Score: A Diversity Evaluation Metric for Machine
 * Learning", TMLR): the effective number of distinct items in a set under the cosine-similarity kernel.
 *
 * <p><b>Definition.</b> With unit rows {@code u_i} and the kernel {@code K_ij = u_i . u_j} ({@code K_ii = 1}),
 * <pre>
 *   VS = exp( - sum_i lambda_i log lambda_i ),   lambda_i the eigenvalues of K / N
 * </pre>
 * (the exponential of the Shannon entropy of the spectrum, which sums to 1; {@code 0 log 0 = 0}). It is 1 when all
 * items are identical and {@code N} when they are mutually orthogonal, and lies in {@code [1, min(N, d)]}.
 *
 * <p><b>Computation.</b> {@code K / N = U U^T / N} and {@code U^T U / N} ({@code d x d}) have the same non-zero
 * eigenvalues, so the smaller of the two is decomposed (commons-math3 {@link EigenDecomposition}):
 * {@code O(N d^2 + d^3)} for {@code N > d}, never {@code O(N^3)} beyond {@code N = d}. Rows are L2-normalised
 * first; eigenvalues below zero from rounding are treated as zero.
 *
 * <p><b>Degenerate input.</b> No vectors: {@code NaN}. A zero vector: {@link IllegalArgumentException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class VendiScore {

    private VendiScore() {}

    /**
     * The Vendi score of the rows under the cosine kernel.
     *
     * @return a value in {@code [1, min(N, d)]}, {@code NaN} for no rows
     */
    public static double of(Embeddings vectors) {
        Objects.requireNonNull(vectors, "vectors");
        int n = vectors.size();
        if (n == 0) {
            return Double.NaN;
        }
        Embeddings u = vectors.normalised();
        int d = u.dimension();
        double[] x = u.raw();
        double[][] m;
        if (n > d) {
            m = new double[d][d];
            for (int i = 0; i < n; i++) {
                int o = i * d;
                for (int a = 0; a < d; a++) {
                    double xa = x[o + a];
                    double[] ma = m[a];
                    for (int b = a; b < d; b++) {
                        ma[b] += xa * x[o + b];
                    }
                }
            }
        } else {
            m = new double[n][n];
            for (int a = 0; a < n; a++) {
                for (int b = a; b < n; b++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += x[a * d + j] * x[b * d + j];
                    }
                    m[a][b] = s;
                }
            }
        }
        int size = m.length;
        for (int a = 0; a < size; a++) {
            for (int b = a; b < size; b++) {
                m[a][b] /= n;
                m[b][a] = m[a][b];
            }
        }
        return exp(entropy(new EigenDecomposition(MatrixUtils.createRealMatrix(m)).getRealEigenvalues()));
    }

    /** Shannon entropy (nats) of a spectrum, renormalised to sum 1, negatives clipped to 0. */
    static double entropy(double[] eigenvalues) {
        double total = 0;
        for (double v : eigenvalues) {
            total += Math.max(0, v);
        }
        double h = 0;
        for (double v : eigenvalues) {
            double p = Math.max(0, v) / total;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    private static double exp(double h) {
        return Math.max(1, Math.exp(h));
    }
}
