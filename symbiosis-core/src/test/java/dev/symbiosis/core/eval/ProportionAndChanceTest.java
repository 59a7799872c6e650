package dev.symbiosis.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ProportionAndChanceTest {

    /** Reference bounds computed independently from the closed-form Wilson score interval (z = 1.959964). */
    @Test
    void wilsonIntervalMatchesReferenceValues() {
        double[][] cases = {
            {8, 10, 0.490162, 0.943318},
            {0, 10, 0.0, 0.277533},
            {10, 10, 0.722467, 1.0},
            {50, 100, 0.403832, 0.596168},
            {1, 3, 0.061492, 0.792340},
            {173, 250, 0.632227, 0.745962},
        };
        for (double[] c : cases) {
            Proportion p = Proportion.of((int) c[0], (int) c[1]);
            assertEquals(c[0] / c[1], p.value(), 1e-12);
            assertEquals(c[2], p.lower(), 1e-6, "lower of " + c[0] + "/" + c[1]);
            assertEquals(c[3], p.upper(), 1e-6, "upper of " + c[0] + "/" + c[1]);
            assertEquals(0.95, p.confidence());
        }
        assertTrue(Double.isNaN(Proportion.of(0, 0).value()));
        assertThrows(IllegalArgumentException.class, () -> Proportion.of(3, 2));
    }

    @Property(tries = 100)
    void intervalContainsTheEstimate(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(max = 5000) int k) {
        Proportion p = Proportion.of(Math.min(k, n), n);
        assertTrue(0 <= p.lower() && p.lower() <= p.value() && p.value() <= p.upper() && p.upper() <= 1, p::toString);
    }

    @Test
    void chanceLevelIsTheMeanOfOneOverChoices() {
        EvalSuite suite = EvalSuite.of(List.of(
                new MultipleChoiceItem("a", "t", "c", List.of("x", "y"), 0, "s"),
                new MultipleChoiceItem("b", "t", "c", List.of("w", "x", "y", "z"), 0, "s"),
                new MultipleChoiceItem("c", "u", "c", List.of("w", "x", "y", "z"), 0, "s")));
        assertEquals(0.375, ChanceLevel.of(suite.task("t").orElseThrow()), 1e-12);
        assertEquals(Map.of("t", 0.375, "u", 0.25), ChanceLevel.perTask(suite));
        assertEquals((0.375 + 0.25) / 2, ChanceLevel.macro(suite), 1e-12);
    }
}
