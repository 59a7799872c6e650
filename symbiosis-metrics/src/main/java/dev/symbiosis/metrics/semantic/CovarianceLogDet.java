package dev.symbiosis.metrics.semantic;

import java.util.Objects;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;

/**
 * The log-determinant of the (ridge-regularised) sample covariance of a set of vectors: the log-volume of the
 * set's Gaussian ellipsoid, a smooth alternative to the hull volume (cf. the "log-det" diversity of determinantal
 * point processes, Kulesza &amp; Taskar 2012).
 *
 * <p><b>Definition.</b> With {@code C} the {@code N x d} matrix of centred rows and
 * {@code S = C^T C / (N - 1)},
 * <pre>
 *   logdet(S + lambda I_d)
 * </pre>
 * in nats. The ridge {@code lambda > 0} keeps the value finite when {@code N <= d} or the set is collapsed (every
 * zero-variance direction contributes {@code log lambda}); the default {@value #DEFAULT_RIDGE} is small against the
 * per-coordinate variance of unit-norm sentence embeddings (at most {@code 1/d}, 2.6e-3 for {@code d = 384}). Sets
 * of different sizes {@code N < d} have different numbers of zero directions: compare sets of equal size (the
 * metrics panel sub-samples to a common size).
 *
 * <p><b>Computation.</b> Cholesky of the {@code d x d} matrix in {@code O(N d^2 + d^3)} when {@code N > d};
 * otherwise the determinant lemma {@code det(lambda I_d + C^T C/(N-1)) = lambda^(d-N) det(lambda I_N + C C^T/(N-1))}
 * on the {@code N x N} Gram, {@code O(N^2 d + N^3)}.
 *
 * <p><b>Degenerate input.</b> Fewer than two vectors: {@code NaN}. A ridge {@code <= 0} or not finite:
 * {@link IllegalArgumentException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class CovarianceLogDet {

    /** Default ridge {@code lambda}. */
    public static final double DEFAULT_RIDGE = 1e-4;

    private CovarianceLogDet() {}

    /** {@link #logDet(Embeddings, double)} with the default ridge. */
    public static double logDet(Embeddings vectors) {
        return logDet(vectors, DEFAULT_RIDGE);
    }

    /**
     * {@code logdet(S + ridge I)} of the sample covariance {@code S} of the rows (not normalised).
     *
     * @return the log-determinant (nats), {@code NaN} for fewer than two rows
     */
    public static double logDet(Embeddings vectors, double ridge) {
        Objects.requireNonNull(vectors, "vectors");
        if (!(ridge > 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("ridge must be positive and finite, got " + ridge);
        }
        int n = vectors.size();
        int d = vectors.dimension();
        if (n < 2) {
            return Double.NaN;
        }
        double[] mean = vectors.columnMeans();
        double[][] c = vectors.centredRows(mean);
        double[][] m;
        int size;
        double extra;
        if (n > d) {
            size = d;
            extra = 0;
            m = Embeddings.upperScatter(c, d);
        } else {
            size = n;
            extra = (d - n) * Math.log(ridge);
            m = new double[n][n];
            for (int a = 0; a < n; a++) {
                for (int b = a; b < n; b++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += c[a][j] * c[b][j];
                    }
                    m[a][b] = s;
                }
            }
        }
        for (int a = 0; a < size; a++) {
            for (int b = a; b < size; b++) {
                m[a][b] /= (n - 1);
                m[b][a] = m[a][b];
            }
            m[a][a] += ridge;
        }
        CholeskyDecomposition chol = new CholeskyDecomposition(MatrixUtils.createRealMatrix(m),
                CholeskyDecomposition.DEFAULT_RELATIVE_SYMMETRY_THRESHOLD, 0);
        double[][] l = chol.getL().getData();
        double s = 0;
        for (int a = 0; a < size; a++) {
            s += Math.log(l[a][a]);
        }
        return 2 * s + extra;
    }
}
