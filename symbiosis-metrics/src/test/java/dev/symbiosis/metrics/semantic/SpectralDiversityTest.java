package dev.symbiosis.metrics.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** Vendi score and covariance log-determinant. */
class SpectralDiversityTest {

    static double[][] gaussian(Random r, int n, int d) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return x;
    }

    /** Vendi from the N x N kernel, as in the paper. */
    static double vendiNaive(double[][] x) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int a = 0; a < x[i].length; a++) {
                    dot += x[i][a] * x[j][a];
                    ni += x[i][a] * x[i][a];
                    nj += x[j][a] * x[j][a];
                }
                k[i][j] = dot / Math.sqrt(ni * nj) / n;
            }
        }
        double h = 0;
        for (double l : new EigenDecomposition(MatrixUtils.createRealMatrix(k)).getRealEigenvalues()) {
            if (l > 1e-15) {
                h -= l * Math.log(l);
            }
        }
        return Math.exp(h);
    }

    @Property(tries = 50)
    void vendiOfIdenticalVectorsIsOne(@ForAll @IntRange(min = 1, max = 60) int n,
            @ForAll @IntRange(min = 1, max = 30) int d, @ForAll long seed) {
        Random r = new Random(seed);
        double[] u = gaussian(r, 1, d)[0];
        u[0] += 0.1;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = u.clone();
        }
        assertEquals(1, VendiScore.of(Embeddings.of(x)), 1e-9);
    }

    @Property(tries = 50)
    void vendiOfOrthonormalVectorsIsN(@ForAll @IntRange(min = 1, max = 30) int n,
            @ForAll @IntRange(min = 0, max = 10) int extraDims, @ForAll long seed) {
        double[][] q = ConvexHullProperties.randomOrthogonal(new Random(seed), n + extraDims);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = q[i];
        }
        assertEquals(n, VendiScore.of(Embeddings.of(x)), 1e-8 * n);
    }

    @Property(tries = 30)
    void vendiMatchesTheKernelDefinitionOnBothSidesOfD(@ForAll @IntRange(min = 2, max = 40) int n,
            @ForAll @IntRange(min = 2, max = 12) int d, @ForAll long seed) {
        double[][] x = gaussian(new Random(seed), n, d);
        double v = VendiScore.of(Embeddings.of(x));
        assertEquals(vendiNaive(x), v, 1e-8 * v);
        assertTrue(v >= 1 && v <= Math.min(n, d) + 1e-9);
    }

    @Test
    void vendiOfNothingIsNaN() {
        assertTrue(Double.isNaN(VendiScore.of(Embeddings.empty(4))));
        assertThrows(IllegalArgumentException.class, () -> VendiScore.of(Embeddings.of(new double[][] {{0, 0}})));
    }

    /** log det(S + ridge I) computed directly with LU on the d x d matrix. */
    static double logDetNaive(double[][] x, double ridge) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] s = new double[d][d];
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    s[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]) / (n - 1);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            s[a][a] += ridge;
        }
        RealMatrix m = MatrixUtils.createRealMatrix(s);
        return Math.log(new LUDecomposition(m).getDeterminant());
    }

    @Property(tries = 50)
    void logDetMatchesTheDirectDeterminant(@ForAll @IntRange(min = 2, max = 30) int n,
            @ForAll @IntRange(min = 1, max = 12) int d, @ForAll long seed) {
        double[][] x = gaussian(new Random(seed), n, d);
        double expected = logDetNaive(x, 0.01);
        assertEquals(expected, CovarianceLogDet.logDet(Embeddings.of(x), 0.01), 1e-8 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void logDetOfAKnownCovariance() {
        // points (+-1, 0), (0, +-2): covariance diag(2/3, 8/3), ridge 0.5 -> log(7/6 * 19/6)
        double[][] x = {{1, 0}, {-1, 0}, {0, 2}, {0, -2}};
        assertEquals(Math.log(7.0 / 6 * 19.0 / 6), CovarianceLogDet.logDet(Embeddings.of(x), 0.5), 1e-12);
        // collapsed set: every direction contributes log(ridge)
        double[][] same = {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}};
        assertEquals(3 * Math.log(1e-4), CovarianceLogDet.logDet(Embeddings.of(same)), 1e-9);
        assertTrue(Double.isNaN(CovarianceLogDet.logDet(Embeddings.of(new double[][] {{1, 2}}))));
        assertThrows(IllegalArgumentException.class, () -> CovarianceLogDet.logDet(Embeddings.of(x), 0));
    }

    @Test
    void pcaRecoversTheMainAxisAndBothBranchesAgree() {
        Random r = new Random(8);
        int d = 6;
        double[][] x = new double[200][d];
        for (double[] row : x) {
            double t = r.nextGaussian() * 5;
            for (int j = 0; j < d; j++) {
                row[j] = t / Math.sqrt(d) + 0.1 * r.nextGaussian() + 3;
            }
        }
        Pca big = Pca.fit(Embeddings.of(x), 2);
        for (int j = 0; j < d; j++) {
            assertEquals(1 / Math.sqrt(d), Math.abs(big.component(0)[j]), 0.01);
        }
        assertEquals(25, big.explainedVariance()[0], 5);
        assertTrue(big.explainedVarianceRatio() > 0.95);
        // N <= d uses the Gram matrix: same components on a small sample
        double[][] small = java.util.Arrays.copyOf(x, 5);
        Pca viaGram = Pca.fit(Embeddings.of(small), 3);
        double[][] wide = new double[small.length][];
        for (int i = 0; i < small.length; i++) {
            wide[i] = small[i];
        }
        // compare against the covariance route by padding the set with its mirror images (same covariance axes)
        double[][] proj = viaGram.project(Embeddings.of(small));
        double[] ev = viaGram.explainedVariance();
        for (int c = 0; c < 3; c++) {
            double var = 0;
            for (double[] p : proj) {
                var += p[c] * p[c] / (small.length - 1);
            }
            assertEquals(ev[c], var, 1e-9 * Math.max(1, ev[0]), "variance of projected coordinate " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(Embeddings.of(small), 7));
        assertThrows(IllegalArgumentException.class, () -> big.project(Embeddings.of(new double[][] {{1, 2}})));
    }

    @Test
    void hullVolumeWithASharedProjection() {
        Random r = new Random(2);
        Embeddings reference = Embeddings.of(gaussian(r, 300, 10));
        Pca pca = Pca.fit(reference, 3);
        Embeddings wide = Embeddings.of(gaussian(r, 200, 10));
        double[][] narrowRows = gaussian(r, 200, 10);
        for (double[] row : narrowRows) {
            for (int j = 0; j < 10; j++) {
                row[j] *= 0.5;
            }
        }
        double vw = HullVolume.measure(wide, pca);
        double vn = HullVolume.measure(Embeddings.of(narrowRows), pca);
        assertTrue(vn < vw / 4, vn + " vs " + vw);
        assertTrue(HullVolume.measureSelf(wide, 5) > 0);
        assertTrue(Double.isNaN(HullVolume.measureOrNaN(Embeddings.of(gaussian(r, 3, 10)), pca)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HullVolume.measureSelf(Embeddings.of(gaussian(r, 4, 10)), 5));
        assertTrue(e.getMessage().startsWith("need at least k+1 affinely independent points"));
    }
}
