package dev.symbiosis.metrics.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

class ConvexHullProperties {

    static double[][] gaussian(Random r, int n, int k) {
        double[][] pts = new double[n][k];
        for (double[] x : pts) {
            for (int j = 0; j < k; j++) {
                x[j] = r.nextGaussian();
            }
        }
        return pts;
    }

    /** A uniformly random orthogonal matrix: Q of the QR of a Gaussian matrix, columns sign-fixed by R's diagonal. */
    static double[][] randomOrthogonal(Random r, int k) {
        RealMatrix a = MatrixUtils.createRealMatrix(gaussian(r, k, k));
        QRDecomposition qr = new QRDecomposition(a);
        double[][] q = qr.getQ().getData();
        double[][] rr = qr.getR().getData();
        for (int j = 0; j < k; j++) {
            if (rr[j][j] < 0) {
                for (int i = 0; i < k; i++) {
                    q[i][j] = -q[i][j];
                }
            }
        }
        return q;
    }

    @Property(tries = 50)
    void volumeScalesByTheKthPower(@ForAll @IntRange(min = 2, max = 5) int k,
            @ForAll @IntRange(min = 0, max = 60) int extra, @ForAll @DoubleRange(min = 0.05, max = 20) double s,
            @ForAll long seed) {
        double[][] pts = gaussian(new Random(seed), k + 1 + extra, k);
        double v = ConvexHull.volume(pts);
        double[][] scaled = new double[pts.length][k];
        for (int i = 0; i < pts.length; i++) {
            for (int j = 0; j < k; j++) {
                scaled[i][j] = s * pts[i][j];
            }
        }
        assertEquals(v * Math.pow(s, k), ConvexHull.volume(scaled), 1e-9 * v * Math.pow(s, k));
    }

    @Property(tries = 50)
    void volumeIsInvariantUnderRotationAndTranslation(@ForAll @IntRange(min = 2, max = 5) int k,
            @ForAll @IntRange(min = 0, max = 80) int extra, @ForAll long seed) {
        Random r = new Random(seed);
        double[][] pts = gaussian(r, k + 1 + extra, k);
        double[][] q = randomOrthogonal(r, k);
        double[] t = new double[k];
        for (int j = 0; j < k; j++) {
            t[j] = 10 * r.nextGaussian();
        }
        double[][] moved = new double[pts.length][k];
        for (int i = 0; i < pts.length; i++) {
            for (int a = 0; a < k; a++) {
                double s = t[a];
                for (int b = 0; b < k; b++) {
                    s += q[a][b] * pts[i][b];
                }
                moved[i][a] = s;
            }
        }
        double v = ConvexHull.volume(pts);
        assertEquals(v, ConvexHull.volume(moved), 1e-8 * v);
    }

    @Property(tries = 50)
    void volumeNeverShrinksWhenPointsAreAdded(@ForAll @IntRange(min = 2, max = 5) int k,
            @ForAll @IntRange(min = 0, max = 50) int extra, @ForAll @IntRange(min = 1, max = 50) int added,
            @ForAll long seed) {
        Random r = new Random(seed);
        double[][] pts = gaussian(r, k + 1 + extra, k);
        double[][] more = new double[pts.length + added][];
        System.arraycopy(pts, 0, more, 0, pts.length);
        double[][] extraPts = gaussian(r, added, k);
        System.arraycopy(extraPts, 0, more, pts.length, added);
        double v = ConvexHull.volume(pts);
        double w = ConvexHull.volume(more);
        assertTrue(w >= v * (1 - 1e-12), v + " -> " + w);
    }
}
