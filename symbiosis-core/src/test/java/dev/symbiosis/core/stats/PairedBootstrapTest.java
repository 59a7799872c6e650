package dev.symbiosis.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    @Test
    void twoItemsHaveTheClosedFormDistribution() {
        // resampled means of {0, 1}: 0 (1/4), 0.5 (1/2), 1 (1/4); sd = sqrt(1/8)
        PairedBootstrap.Result r = PairedBootstrap.create().withResamples(40_000).ofDifferences(new double[] {0, 1});
        assertEquals(0.5, r.meanDifference());
        assertEquals(0.0, r.interval().lower());
        assertEquals(1.0, r.interval().upper());
        assertEquals(Math.sqrt(1.0 / 8), r.standardError(), 0.005);
        // P(m* <= 0) = 1/4, so p = 2 (1 + 10000) / 40001 = 0.5 within sampling error
        assertEquals(0.5, r.pValue(), 0.02);
    }

    @Test
    void itemsOnlyApproachesTheTInterval() {
        Random rnd = new Random(1);
        double[] d = new double[300];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextGaussian() * 2 + 0.5;
        }
        PairedBootstrap.Result r = PairedBootstrap.create().withResamples(20_000).ofDifferences(d);
        MeanInterval m = MeanInterval.of(d);
        // bootstrap se = sqrt((n-1)/n) s / sqrt(n)
        assertEquals(m.getStandardError() * Math.sqrt(299.0 / 300), r.standardError(), 0.03 * m.getStandardError());
        assertEquals(m.interval().lower(), r.interval().lower(), 0.1 * m.interval().halfWidth());
        assertEquals(m.interval().upper(), r.interval().upper(), 0.1 * m.interval().halfWidth());
        assertTrue(r.pValue() < 0.01, "a clear effect: " + r.pValue());
    }

    @Test
    void rowsAndColumnsBothCount() {
        // d[s][i] = c_s: item resampling changes nothing, seed resampling gives sd_pop(c) / sqrt(k)
        double[] c = {0.1, 0.5, 0.9, 0.3};
        double[][] seedOnly = new double[c.length][50];
        for (int s = 0; s < c.length; s++) {
            java.util.Arrays.fill(seedOnly[s], c[s]);
        }
        double popSd = Math.sqrt(MeanInterval.of(c).getStandardDeviation() * MeanInterval.of(c)
                .getStandardDeviation() * (c.length - 1) / c.length);
        PairedBootstrap b = PairedBootstrap.create().withResamples(40_000).withSeed(9);
        assertEquals(popSd / Math.sqrt(c.length), b.ofDifferences(seedOnly).standardError(), 0.01 * popSd);
        // identical rows: seed resampling changes nothing, the se equals the items-only one
        double[] row = new double[60];
        Random rnd = new Random(4);
        for (int i = 0; i < row.length; i++) {
            row[i] = rnd.nextGaussian();
        }
        double itemsOnly = b.ofDifferences(row).standardError();
        double sameRows = b.ofDifferences(new double[][] {row, row, row}).standardError();
        assertEquals(itemsOnly, sameRows, 0.03 * itemsOnly);
    }

    @Test
    void seededShapesCheckedAndNaN() {
        double[][] a = {{1, 2, 3}, {2, 3, 4}};
        double[][] b = {{0, 2, 1}, {1, 1, 1}};
        assertEquals(PairedBootstrap.create().withSeed(3).of(a, b), PairedBootstrap.create().withSeed(3).of(a, b));
        assertEquals(9.0 / 6, PairedBootstrap.create().of(a, b).meanDifference(), 1e-12); // (1+0+2+1+2+3)/6
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.create().of(a, new double[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.create().ofDifferences(
                new double[][] {{1, 2}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.create().ofDifferences(new double[0]));
        assertTrue(Double.isNaN(PairedBootstrap.create().ofDifferences(new double[] {1, Double.NaN}).pValue()));
    }

    @Property(tries = 30)
    void intervalHoldsTheEstimateAndShiftsWithTheData(@ForAll @IntRange(min = 1, max = 4) int rows,
            @ForAll @IntRange(min = 2, max = 30) int cols, @ForAll @DoubleRange(min = -3, max = 3) double shift,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        double[][] d = new double[rows][cols];
        double[][] shifted = new double[rows][cols];
        for (int s = 0; s < rows; s++) {
            for (int i = 0; i < cols; i++) {
                d[s][i] = rnd.nextGaussian();
                shifted[s][i] = d[s][i] + shift;
            }
        }
        PairedBootstrap b = PairedBootstrap.create().withSeed(seed);
        PairedBootstrap.Result r = b.ofDifferences(d);
        PairedBootstrap.Result rs = b.ofDifferences(shifted);
        assertTrue(r.interval().lower() <= r.interval().upper());
        assertTrue(r.pValue() > 0 && r.pValue() <= 1);
        // the same resamples: shifting the data shifts every resampled mean and the interval
        assertEquals(r.interval().lower() + shift, rs.interval().lower(), 1e-9);
        assertEquals(r.interval().upper() + shift, rs.interval().upper(), 1e-9);
        assertEquals(r.standardError(), rs.standardError(), 1e-9);
    }

    @Test
    void coverageOfTheItemsOnlyIntervalIsNearNominal() {
        // 400 data sets of 40 normal differences with true mean 0: about 95% of the intervals hold 0
        Random rnd = new Random(21);
        int covered = 0;
        int sets = 400;
        for (int k = 0; k < sets; k++) {
            double[] d = new double[40];
            for (int i = 0; i < d.length; i++) {
                d[i] = rnd.nextGaussian();
            }
            if (PairedBootstrap.create().withResamples(1000).withSeed(k).ofDifferences(d).interval().contains(0)) {
                covered++;
            }
        }
        // percentile intervals undercover a little at n = 40 (about 0.93-0.94); a binomial sd is 0.011
        assertTrue(covered >= 0.90 * sets && covered <= 0.98 * sets, "covered " + covered + " of " + sets);
        assertTrue(new TDistribution(39).cumulativeProbability(0) == 0.5);
    }
}
