package dev.symbiosis.metrics.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CosineDistancesTest {

    /** The O(N^2 d) definition. */
    static double naive(double[][] x) {
        double s = 0;
        int pairs = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int k = 0; k < x[i].length; k++) {
                    dot += x[i][k] * x[j][k];
                    ni += x[i][k] * x[i][k];
                    nj += x[j][k] * x[j][k];
                }
                s += 1 - dot / Math.sqrt(ni * nj);
                pairs++;
            }
        }
        return s / pairs;
    }

    @Test
    void handComputedExample() {
        // u1 = (1,0), u2 = (0,1), u3 = (1,1)/sqrt2:
        // distances 1, 1 - 1/sqrt2, 1 - 1/sqrt2 -> mean = 1 - (2/sqrt2)/3 = 1 - sqrt2/3
        double[][] x = {{1, 0}, {0, 2}, {3, 3}};
        double expected = 1 - Math.sqrt(2) / 3;
        assertEquals(expected, naive(x), 1e-15);
        assertEquals(expected, CosineDistances.meanPairwiseDistance(Embeddings.of(x)), 1e-15);
        // formula by hand: s = (1 + 0 + 1/sqrt2, 0 + 1 + 1/sqrt2), ||s||^2 = 2 (1 + 1/sqrt2)^2, N = 3
        double ss = 2 * Math.pow(1 + 1 / Math.sqrt(2), 2);
        assertEquals(expected, 1 - (ss - 3) / 6, 1e-15);
    }

    @Property(tries = 50)
    void formulaEqualsTheDefinition(@ForAll @IntRange(min = 2, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 20) int d, @ForAll long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian() + 0.3;
            }
        }
        assertEquals(naive(x), CosineDistances.meanPairwiseDistance(Embeddings.of(x)), 1e-12);
    }

    @Property(tries = 50)
    void identicalDirectionsHaveDistanceZero(@ForAll @IntRange(min = 2, max = 30) int n, @ForAll long seed) {
        Random r = new Random(seed);
        double[] u = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), 1};
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            double s = 0.5 + r.nextDouble() * 3;
            x[i] = new double[] {u[0] * s, u[1] * s, u[2] * s, u[3] * s};
        }
        assertEquals(0, CosineDistances.meanPairwiseDistance(Embeddings.of(x)), 1e-12);
        assertEquals(0, CosineDistances.samplePairs(Embeddings.of(x), 100, seed).max(), 1e-12);
    }

    @Test
    void orthonormalVectorsHaveDistanceOne() {
        double[][] x = new double[5][5];
        for (int i = 0; i < 5; i++) {
            x[i][i] = 1;
        }
        assertEquals(1, CosineDistances.meanPairwiseDistance(Embeddings.of(x)), 1e-15);
    }

    @Test
    void degenerateInput() {
        assertTrue(Double.isNaN(CosineDistances.meanPairwiseDistance(Embeddings.of(new double[][] {{1, 2}}))));
        assertTrue(Double.isNaN(CosineDistances.meanPairwiseDistance(Embeddings.empty(3))));
        assertThrows(IllegalArgumentException.class,
                () -> CosineDistances.meanPairwiseDistance(Embeddings.of(new double[][] {{1, 2}, {0, 0}})));
        CosineDistances.DistanceDistribution none = CosineDistances.samplePairs(Embeddings.empty(3), 10, 1);
        assertEquals(0, none.count());
        assertTrue(Double.isNaN(none.mean()));
        assertThrows(IllegalArgumentException.class,
                () -> CosineDistances.samplePairs(Embeddings.of(new double[][] {{1}, {2}}), 0, 1));
    }

    @Test
    void smallSetsUseEveryPairExactly() {
        double[][] x = {{1, 0}, {0, 2}, {3, 3}};
        CosineDistances.DistanceDistribution dist = CosineDistances.samplePairs(Embeddings.of(x), 1000, 9);
        assertEquals(3, dist.count());
        assertEquals(1 - Math.sqrt(2) / 3, dist.mean(), 1e-15);
        assertEquals(1 - 1 / Math.sqrt(2), dist.min(), 1e-15);
        assertEquals(1, dist.max(), 1e-15);
        assertEquals(1 - 1 / Math.sqrt(2), dist.median(), 1e-15);
        // sd of {a, a, 1} with a = 1 - 1/sqrt2
        double a = 1 - 1 / Math.sqrt(2);
        double m = (2 * a + 1) / 3;
        double sd = Math.sqrt((2 * (a - m) * (a - m) + (1 - m) * (1 - m)) / 2);
        assertEquals(sd, dist.sd(), 1e-15);
    }

    @Test
    void sampledDistributionIsSeededAndCentredOnTheExactMean() {
        Random r = new Random(4);
        double[][] x = new double[300][16];
        for (double[] row : x) {
            for (int j = 0; j < 16; j++) {
                row[j] = r.nextGaussian() + (j == 0 ? 1 : 0);
            }
        }
        Embeddings e = Embeddings.of(x);
        CosineDistances.DistanceDistribution a = CosineDistances.samplePairs(e, 5000, 42);
        CosineDistances.DistanceDistribution b = CosineDistances.samplePairs(e, 5000, 42);
        assertEquals(a, b);
        assertEquals(5000, a.count());
        double exact = CosineDistances.meanPairwiseDistance(e);
        assertEquals(exact, a.mean(), 4 * a.sd() / Math.sqrt(5000));
        assertTrue(a.min() <= a.q05() && a.q05() <= a.q25() && a.q25() <= a.median() && a.median() <= a.q75()
                && a.q75() <= a.q95() && a.q95() <= a.max());
    }

    @Test
    void typeSevenQuantiles() {
        double[] v = {1, 2, 3, 4};
        assertEquals(2.5, CosineDistances.DistanceDistribution.quantile(v, 0.5), 1e-15);
        assertEquals(1.15, CosineDistances.DistanceDistribution.quantile(v, 0.05), 1e-15);
        assertEquals(3.85, CosineDistances.DistanceDistribution.quantile(v, 0.95), 1e-15);
    }
}
