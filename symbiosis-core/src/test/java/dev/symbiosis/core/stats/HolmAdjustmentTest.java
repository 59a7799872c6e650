package dev.symbiosis.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HolmAdjustmentTest {

    @Test
    void textbookExample() {
        // sorted 0.01, 0.02, 0.03, 0.04 with m = 4: 0.04, 0.06, 0.06 (monotone), 0.06
        assertArrayEquals(new double[] {0.06, 0.04, 0.06, 0.06}, HolmAdjustment.of(0.03, 0.01, 0.04, 0.02), 1e-15);
        assertArrayEquals(new double[] {1.0, 1.0}, HolmAdjustment.of(0.6, 0.9), 1e-15);
        double[] withNan = HolmAdjustment.of(0.01, Double.NaN, 0.04);
        assertEquals(0.02, withNan[0], 1e-15);
        assertEquals(Double.NaN, withNan[1]);
        assertEquals(0.04, withNan[2], 1e-15);
        assertEquals(0, HolmAdjustment.of().length);
        assertThrows(IllegalArgumentException.class, () -> HolmAdjustment.of(1.5));
    }
}
