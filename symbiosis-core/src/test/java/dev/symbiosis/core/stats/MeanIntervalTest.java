package dev.symbiosis.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.junit.jupiter.api.Test;

class MeanIntervalTest {

    @Test
    void closedFormOfThreeValues() {
        // mean 2, s = 1, half width t(q, 2) / sqrt(3); with 2 degrees of freedom the t quantile has the closed
        // form t(q, 2) = (2q - 1) / sqrt(2 q (1 - q)): t(0.975, 2) = 4.302652729..., t(0.95, 2) = 2.919985580...
        Interval i = MeanInterval.of(1, 2, 3).interval();
        assertEquals(2.0, i.estimate(), 1e-15);
        double h = tTwo(0.975) / Math.sqrt(3);
        assertEquals(2 - h, i.lower(), 1e-12);
        assertEquals(2 + h, i.upper(), 1e-12);
        assertEquals(0.95, i.confidence());
        Interval i90 = MeanInterval.of(1, 2, 3).interval(0.90);
        assertEquals(tTwo(0.95) / Math.sqrt(3), i90.halfWidth(), 1e-12);
        assertEquals(4.302652729749464, tTwo(0.975), 1e-12);
    }

    private static double tTwo(double q) {
        return (2 * q - 1) / Math.sqrt(2 * q * (1 - q));
    }

    @Test
    void emptyAndSingleValues() {
        assertTrue(Double.isNaN(MeanInterval.create().getMean()));
        MeanInterval one = MeanInterval.of(5);
        assertEquals(5, one.getMean());
        assertTrue(Double.isNaN(one.getStandardDeviation()));
        assertTrue(Double.isNaN(one.interval().lower()));
        assertTrue(Double.isNaN(MeanInterval.of(1, Double.NaN, 3).getMean()));
        assertThrows(IllegalArgumentException.class, () -> MeanInterval.of(1, 2).interval(1.0));
    }

    @Property(tries = 200)
    void agreesWithCommonsMathAndCombines(@ForAll @Size(min = 2, max = 40) double[] raw,
            @ForAll @DoubleRange(min = 0.5, max = 0.99) double confidence) {
        double[] values = Arrays.stream(raw).map(v -> Double.isFinite(v) ? Math.max(-1e6, Math.min(1e6, v)) : 0)
                .toArray();
        SummaryStatistics ref = new SummaryStatistics();
        Arrays.stream(values).forEach(ref::addValue);
        MeanInterval m = MeanInterval.of(values);
        double tol = 1e-9 * (1 + Math.abs(ref.getMean()) + ref.getStandardDeviation());
        assertEquals(ref.getMean(), m.getMean(), tol);
        assertEquals(ref.getStandardDeviation(), m.getStandardDeviation(), tol);
        double t = new org.apache.commons.math3.distribution.TDistribution(values.length - 1)
                .inverseCumulativeProbability(1 - (1 - confidence) / 2);
        assertEquals(t * ref.getStandardDeviation() / Math.sqrt(values.length), m.interval(confidence).halfWidth(),
                tol * t);

        int cut = values.length / 2;
        MeanInterval left = MeanInterval.of(Arrays.copyOfRange(values, 0, cut));
        MeanInterval right = MeanInterval.of(Arrays.copyOfRange(values, cut, values.length));
        MeanInterval merged = left.combine(right);
        assertEquals(values.length, merged.getN());
        assertEquals(m.getMean(), merged.getMean(), tol);
        assertEquals(m.getStandardDeviation(), merged.getStandardDeviation(), tol);
    }
}
