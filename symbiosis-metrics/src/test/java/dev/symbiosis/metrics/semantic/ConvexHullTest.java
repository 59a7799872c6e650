package dev.symbiosis.metrics.semantic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.geometry.euclidean.twod.Vector2D;
import org.apache.commons.math3.geometry.euclidean.twod.hull.ConvexHull2D;
import org.apache.commons.math3.geometry.euclidean.twod.hull.MonotoneChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConvexHullTest {

    static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    static double[][] cube(int k, double side) {
        double[][] pts = new double[1 << k][k];
        for (int m = 0; m < (1 << k); m++) {
            for (int j = 0; j < k; j++) {
                pts[m][j] = ((m >> j) & 1) * side;
            }
        }
        return pts;
    }

    static double[][] unitSimplex(int k) {
        double[][] pts = new double[k + 1][k];
        for (int j = 0; j < k; j++) {
            pts[j + 1][j] = 1;
        }
        return pts;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void unitCubeHasVolumeOne(int k) {
        ConvexHull h = ConvexHull.of(cube(k, 1));
        assertEquals(1.0, h.volume(), 1e-12);
        assertEquals(1 << k, h.vertices().length, "every corner is a vertex");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void unitSimplexHasVolumeOneOverKFactorial(int k) {
        ConvexHull h = ConvexHull.of(unitSimplex(k));
        assertEquals(1 / factorial(k), h.volume(), 1e-14);
        assertEquals(k + 1, h.facetCount());
    }

    @Test
    void interiorAndDuplicatePointsDoNotChangeTheCube() {
        Random r = new Random(3);
        List<double[]> pts = new ArrayList<>(List.of(cube(4, 2)));
        for (int i = 0; i < 500; i++) {
            double[] x = new double[4];
            for (int j = 0; j < 4; j++) {
                x[j] = 2 * r.nextDouble();
            }
            pts.add(x);
        }
        pts.addAll(List.of(cube(4, 2)));
        // points on the faces: coplanar with facets
        for (int i = 0; i < 100; i++) {
            double[] x = {2 * r.nextDouble(), 2 * r.nextDouble(), 2 * r.nextDouble(), r.nextBoolean() ? 0 : 2};
            pts.add(x);
        }
        ConvexHull h = ConvexHull.of(pts.toArray(new double[0][]));
        assertEquals(16, h.volume(), 1e-10);
        assertEquals(16, h.vertices().length);
    }

    @Test
    void latticeWithManyCoplanarPointsIsExact() {
        // {0,1,2,3}^5: 1024 points, most of them on the faces of the cube [0,3]^5
        double[][] pts = new double[1024][5];
        for (int i = 0; i < 1024; i++) {
            for (int j = 0, t = i; j < 5; j++, t /= 4) {
                pts[i][j] = t % 4;
            }
        }
        assertEquals(243, ConvexHull.volume(pts), 1e-9);
    }

    @Test
    void matchesCommonsMathMonotoneChainIn2d() {
        Random r = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int n = 3 + r.nextInt(200);
            double[][] pts = new double[n][2];
            List<Vector2D> vs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pts[i][0] = r.nextGaussian();
                pts[i][1] = r.nextGaussian() * 3 + 1;
                vs.add(new Vector2D(pts[i][0], pts[i][1]));
            }
            ConvexHull2D ref = new MonotoneChain(false).generate(vs);
            Vector2D[] v = ref.getVertices();
            double area = 0;
            for (int i = 0; i < v.length; i++) {
                Vector2D a = v[i];
                Vector2D b = v[(i + 1) % v.length];
                area += a.getX() * b.getY() - b.getX() * a.getY();
            }
            area = Math.abs(area) / 2;
            ConvexHull h = ConvexHull.of(pts);
            assertEquals(area, h.volume(), 1e-10 * area);
            assertEquals(v.length, h.vertices().length);
        }
    }

    @Test
    void ballVolumeApproachesTheFormulaIn3d() {
        // 4000 points on the unit sphere: the hull volume is just under 4/3 pi
        Random r = new Random(5);
        double[][] pts = new double[4000][3];
        for (double[] x : pts) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                x[j] = r.nextGaussian();
                s += x[j] * x[j];
            }
            for (int j = 0; j < 3; j++) {
                x[j] /= Math.sqrt(s);
            }
        }
        ConvexHull h = ConvexHull.of(pts);
        assertEquals(4000, h.vertices().length);
        // Euler for a triangulated sphere: F = 2V - 4
        assertEquals(2 * 4000 - 4, h.facetCount());
        assertTrue(h.volume() < 4 * Math.PI / 3 && h.volume() > 0.995 * 4 * Math.PI / 3, "" + h.volume());
    }

    @Test
    void everyPointIsInsideOrOnTheHull() {
        Random r = new Random(7);
        int k = 5;
        double[][] pts = new double[400][k];
        for (double[] x : pts) {
            for (int j = 0; j < k; j++) {
                x[j] = r.nextGaussian();
            }
        }
        ConvexHull h = ConvexHull.of(pts);
        double[] c = new double[k];
        for (double[] x : pts) {
            for (int j = 0; j < k; j++) {
                c[j] += x[j] / pts.length;
            }
        }
        // each facet: all points on the side of the centroid
        // orientation test: det(v1 - x, v2 - v1, ..., vk - v1) has the centroid's sign, or is zero
        for (int[] f : h.facets()) {
            double sc = orientation(pts, f, c);
            for (double[] x : pts) {
                double sx = orientation(pts, f, x);
                assertTrue(sx * sc >= -1e-9, "point outside facet");
            }
        }
    }

    private static double orientation(double[][] pts, int[] f, double[] x) {
        int k = x.length;
        double[][] m = new double[k][k];
        for (int j = 0; j < k; j++) {
            m[0][j] = pts[f[0]][j] - x[j];
        }
        for (int a = 1; a < k; a++) {
            for (int j = 0; j < k; j++) {
                m[a][j] = pts[f[a]][j] - pts[f[0]][j];
            }
        }
        return ConvexHull.determinant(m, k);
    }

    @Test
    void degenerateInputIsRejectedClearly() {
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> ConvexHull.of(new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}}));
        assertTrue(few.getMessage().contains("need at least k+1 affinely independent points"), few.getMessage());
        // 10 points on a plane in 3-D
        double[][] flat = new double[10][3];
        Random r = new Random(1);
        for (double[] x : flat) {
            x[0] = r.nextDouble();
            x[1] = r.nextDouble();
            x[2] = 2 * x[0] - x[1] + 1;
        }
        IllegalArgumentException plane = assertThrows(IllegalArgumentException.class, () -> ConvexHull.of(flat));
        assertTrue(plane.getMessage().contains("need at least k+1 affinely independent points"));
        assertTrue(plane.getMessage().contains("span only 2 dimensions"), plane.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvexHull.of(new double[][] {{1}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> ConvexHull.of(new double[][] {{0, 0}, {1, Double.NaN},
            {0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> ConvexHull.of(new double[0][]));
    }

    @Test
    void oneDimensionalHullIsTheRange() {
        ConvexHull h = ConvexHull.of(new double[][] {{3}, {-1}, {2}, {7}});
        assertEquals(8, h.volume());
        assertArrayEquals(new int[] {1, 3}, h.vertices());
    }
}
