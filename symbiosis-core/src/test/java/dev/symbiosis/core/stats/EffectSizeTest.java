package dev.symbiosis.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

class EffectSizeTest {

    @Test
    void closedForms() {
        // d = (1, 2, 3): mean 2, s = 1
        assertEquals(2.0, EffectSize.pairedDz(new double[] {1, 2, 3}), 1e-15);
        assertEquals(2.0, EffectSize.pairedDz(new double[] {2, 4, 6}, new double[] {1, 2, 3}), 1e-15);
        // J(m) = 1 - 3 / (4m - 1) approximately; exactly J(2) = Gamma(1) / (1 * Gamma(1/2)) = 1 / sqrt(pi)
        assertEquals(1 / Math.sqrt(Math.PI), EffectSize.correction(2), 1e-12);
        assertEquals(2.0 / Math.sqrt(Math.PI), EffectSize.hedgesGz(new double[] {1, 2, 3}), 1e-12);
        assertEquals(1 - 3.0 / (4 * 100 - 1), EffectSize.correction(100), 1e-5);
        assertTrue(Double.isNaN(EffectSize.pairedDz(new double[] {1})));
        assertTrue(Double.isNaN(EffectSize.pairedDz(new double[] {0, 0, 0})));
        assertTrue(Double.isInfinite(EffectSize.pairedDz(new double[] {1, 1, 1})));
        assertThrows(IllegalArgumentException.class, () -> EffectSize.pairedDz(new double[] {1}, new double[2]));
    }

    @Test
    void dzTimesRootNIsThePairedTStatistic() {
        Random r = new Random(7);
        for (int n : new int[] {3, 10, 57}) {
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextGaussian() + 0.3;
                b[i] = r.nextGaussian();
            }
            assertEquals(new TTest().pairedT(a, b), EffectSize.pairedDz(a, b) * Math.sqrt(n), 1e-10);
        }
    }
}
