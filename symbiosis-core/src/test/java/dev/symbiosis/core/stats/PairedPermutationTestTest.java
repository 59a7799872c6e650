package dev.symbiosis.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

class PairedPermutationTestTest {

    @Test
    void exactClosedForms() {
        // d = (1, 2, 3): signed sums 6, 4, 2, 0, 0, -2, -4, -6; |sum| >= 6 in 2 of 8
        PairedPermutationTest.Result r = PairedPermutationTest.create().testDifferences(new double[] {1, 2, 3});
        assertTrue(r.exact());
        assertEquals(0.25, r.pValue(), 1e-15);
        assertEquals(2.0, r.meanDifference(), 1e-15);
        // ten equal positive differences: only all-plus and all-minus reach |10|
        double[] ten = new double[10];
        java.util.Arrays.fill(ten, 0.1);
        assertEquals(2.0 / 1024, PairedPermutationTest.create().testDifferences(ten).pValue(), 1e-15);
        // symmetric differences: every assignment reaches |0|
        assertEquals(1.0, PairedPermutationTest.create().testDifferences(new double[] {1, -1}).pValue());
        assertEquals(1.0, PairedPermutationTest.create().testDifferences(new double[] {0, 0, 0}).pValue());
        // a against b
        assertEquals(0.25, PairedPermutationTest.create().test(new double[] {2, 4, 6}, new double[] {1, 2, 3})
                .pValue(), 1e-15);
        assertTrue(Double.isNaN(PairedPermutationTest.create().testDifferences(new double[] {1, Double.NaN})
                .pValue()));
        assertThrows(IllegalArgumentException.class, () -> PairedPermutationTest.create().testDifferences(
                new double[0]));
    }

    @Test
    void monteCarloAgreesWithExactAndIsSeeded() {
        Random rnd = new Random(3);
        double[] d = new double[14];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextGaussian() + 0.4;
        }
        double exact = PairedPermutationTest.create().testDifferences(d).pValue();
        PairedPermutationTest mc = PairedPermutationTest.create().withExactLimit(0).withResamples(40_000).withSeed(5);
        PairedPermutationTest.Result r = mc.testDifferences(d);
        assertFalse(r.exact());
        // binomial standard error of the estimate is at most 0.0025
        assertEquals(exact, r.pValue(), 0.01);
        assertEquals(r, mc.testDifferences(d));
    }

    @Test
    void largeSamplesApproachThePairedTTest() {
        Random rnd = new Random(11);
        int n = 200;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = rnd.nextGaussian();
            a[i] = b[i] + 0.15 + rnd.nextGaussian();
        }
        double t = new TTest().pairedTTest(a, b);
        double p = PairedPermutationTest.create().withResamples(40_000).test(a, b).pValue();
        assertTrue(t > 0.01 && t < 0.5, "the case should be neither trivial nor hopeless: " + t);
        assertEquals(t, p, 0.2 * t + 0.005);
    }
}
