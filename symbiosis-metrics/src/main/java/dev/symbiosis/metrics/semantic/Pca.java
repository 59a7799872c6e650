package dev.symbiosis.metrics.semantic;

import java.util.Objects;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Principal component analysis fitted once on a reference set and applied to any set of the same dimension:
 * {@code y = W^T (x - mean)} with {@code W} the {@code d x k} matrix of the top-{@code k} eigenvectors of the
 * reference covariance.
 *
 * <p><b>Why a fixed reference.</b> Volumes measured in different coordinate systems are not comparable. Fitting the
 * projection once (for example on held-out real text) and sharing it between all measured sets makes their hull
 * volumes comparable; {@link #fit} on the set itself ("fit on self") measures the set's spread along its own
 * principal axes instead.
 *
 * <p><b>Computation.</b> The covariance uses the {@code N - 1} denominator and is formed in {@code O(N d^2)};
 * when {@code N <= d} the {@code N x N} Gram matrix of the centred rows is decomposed instead (same non-zero
 * spectrum, {@code w = X^T u / sqrt((N - 1) lambda)}), so the cost is {@code O(min(N, d)^3)} for the
 * eigen-decomposition (commons-math3 {@link EigenDecomposition}). Components are ordered by decreasing
 * eigenvalue, and each is signed so that its largest-magnitude coefficient is positive (deterministic output).
 *
 * <p><b>Degenerate input.</b> Fewer than two rows, or {@code k} outside {@code [1, d]}:
 * {@link IllegalArgumentException}. A rank-deficient reference (rank below {@code k}) is accepted; its trailing
 * components span arbitrary directions of zero reference variance and {@link #explainedVariance()} shows zeros.
 *
 * <p>Immutable and thread-safe.
 */
public final class Pca {

    private final int dim;
    private final int k;
    private final double[] mean;
    /** k x d, row c = component c. */
    private final double[][] components;
    private final double[] variances;
    private final double totalVariance;

    private Pca(int dim, int k, double[] mean, double[][] components, double[] variances, double totalVariance) {
        this.dim = dim;
        this.k = k;
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    /**
     * Fits the top {@code k} components of {@code reference}.
     *
     * @param reference at least two rows
     * @param k number of components, {@code 1 <= k <= d}
     */
    public static Pca fit(Embeddings reference, int k) {
        Objects.requireNonNull(reference, "reference");
        int n = reference.size();
        int d = reference.dimension();
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least two reference vectors, got " + n);
        }
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("k must be in [1, " + d + "], got " + k);
        }
        double[] mean = reference.columnMeans();
        double[][] c = reference.centredRows(mean);
        double[][] comps = new double[k][d];
        double[] vars = new double[k];
        double total = 0;
        if (n > d) {
            double[][] cov = Embeddings.upperScatter(c, d);
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a][b] /= (n - 1);
                    cov[b][a] = cov[a][b];
                }
                total += cov[a][a];
            }
            EigenDecomposition eig = new EigenDecomposition(MatrixUtils.createRealMatrix(cov));
            double[] ev = eig.getRealEigenvalues();
            Integer[] order = byDecreasing(ev);
            for (int q = 0; q < k; q++) {
                vars[q] = Math.max(0, ev[order[q]]);
                comps[q] = eig.getEigenvector(order[q]).toArray();
            }
        } else {
            double[][] gram = new double[n][n];
            for (int a = 0; a < n; a++) {
                for (int b = a; b < n; b++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += c[a][j] * c[b][j];
                    }
                    gram[a][b] = s;
                    gram[b][a] = s;
                }
                total += gram[a][a] / (n - 1);
            }
            EigenDecomposition eig = new EigenDecomposition(MatrixUtils.createRealMatrix(gram));
            double[] ev = eig.getRealEigenvalues();
            Integer[] order = byDecreasing(ev);
            RealMatrix centred = MatrixUtils.createRealMatrix(c);
            int filled = 0;
            for (int q = 0; q < k && q < n; q++) {
                double lambda = ev[order[q]];
                if (lambda <= 1e-12 * Math.max(ev[order[0]], Double.MIN_NORMAL)) {
                    break;
                }
                double[] w = centred.transpose().operate(eig.getEigenvector(order[q])).toArray();
                double norm = Math.sqrt(lambda);
                for (int j = 0; j < d; j++) {
                    w[j] /= norm;
                }
                comps[q] = w;
                vars[q] = lambda / (n - 1);
                filled++;
            }
            completeBasis(comps, filled, d);
        }
        for (double[] w : comps) {
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(w[j]) > Math.abs(w[arg])) {
                    arg = j;
                }
            }
            if (w[arg] < 0) {
                for (int j = 0; j < d; j++) {
                    w[j] = -w[j];
                }
            }
        }
        return new Pca(d, k, mean, comps, vars, total);
    }

    private static Integer[] byDecreasing(double[] ev) {
        Integer[] order = new Integer[ev.length];
        for (int i = 0; i < ev.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(ev[b], ev[a]));
        return order;
    }

    /** Fills rows {@code from..} with unit vectors orthogonal to the previous rows (zero-variance directions). */
    private static void completeBasis(double[][] comps, int from, int d) {
        int axis = 0;
        for (int q = from; q < comps.length; q++) {
            while (true) {
                double[] w = new double[d];
                w[axis++ % d] = 1;
                for (int r = 0; r < q; r++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += comps[r][j] * w[j];
                    }
                    for (int j = 0; j < d; j++) {
                        w[j] -= dot * comps[r][j];
                    }
                }
                double norm = 0;
                for (double v : w) {
                    norm += v * v;
                }
                norm = Math.sqrt(norm);
                if (norm > 1e-6) {
                    for (int j = 0; j < d; j++) {
                        w[j] /= norm;
                    }
                    comps[q] = w;
                    break;
                }
            }
        }
    }

    /** Input dimension {@code d}. */
    public int inputDimension() {
        return dim;
    }

    /** Number of components {@code k}. */
    public int components() {
        return k;
    }

    /** Variance of the reference along each component (eigenvalues, decreasing). */
    public double[] explainedVariance() {
        return variances.clone();
    }

    /** Fraction of the reference's total variance captured by the {@code k} components, in {@code [0, 1]}. */
    public double explainedVarianceRatio() {
        double s = 0;
        for (double v : variances) {
            s += v;
        }
        return totalVariance == 0 ? 0 : Math.min(1, s / totalVariance);
    }

    /** Component {@code c} as a unit vector of length {@code d}. */
    public double[] component(int c) {
        return components[c].clone();
    }

    /**
     * Projects {@code vectors} onto the components: {@code n x k} coordinates.
     *
     * @throws IllegalArgumentException if the dimension differs from the reference's
     */
    public double[][] project(Embeddings vectors) {
        if (vectors.dimension() != dim) {
            throw new IllegalArgumentException("PCA was fitted on dimension " + dim + ", vectors have "
                    + vectors.dimension());
        }
        int n = vectors.size();
        double[] x = vectors.raw();
        double[][] out = new double[n][k];
        double[] centred = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                centred[j] = x[i * dim + j] - mean[j];
            }
            for (int c = 0; c < k; c++) {
                double[] w = components[c];
                double s = 0;
                for (int j = 0; j < dim; j++) {
                    s += w[j] * centred[j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }
}
