package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.eval.EvalSuite;
import dev.symbiosis.core.eval.MultipleChoiceItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code evaluator.minimalPairsPerKind} sizes the minimal-pair tasks; {@code evalItemsPerTask} the others. */
class MinimalPairsSamplingTest {

    private static EvalSuite suite() {
        List<MultipleChoiceItem> items = new ArrayList<>();
        for (String task : List.of("quiz", "minimal-pairs-is-are", "minimal-pairs-a-an")) {
            for (int i = 0; i < 50; i++) {
                items.add(new MultipleChoiceItem(task + "-" + i, task, "context " + i, List.of("x", "y"), i % 2,
                        "src"));
            }
        }
        return EvalSuite.of(items);
    }

    @Test
    void pairsAndOtherTasksAreSampledWithTheirOwnCounts() {
        EvalSuite s = ExperimentData.sampleTasks(suite(), t -> t.startsWith(
                ExperimentConfig.Evaluator.MINIMAL_PAIRS_PREFIX) ? 0 : 7, 42);
        assertEquals(7, s.task("quiz").orElseThrow().items().size());
        assertEquals(50, s.task("minimal-pairs-is-are").orElseThrow().items().size(), "0: every pair");
        EvalSuite small = ExperimentData.sampleTasks(suite(), t -> t.startsWith("minimal-pairs-") ? 16 : 7, 42);
        assertEquals(16, small.task("minimal-pairs-a-an").orElseThrow().items().size());
        // a task's sample does not depend on the count of the others
        assertEquals(small.task("quiz").orElseThrow().items(), s.task("quiz").orElseThrow().items());
        assertEquals(ExperimentData.sampleTasks(suite(), 7, 42).task("quiz"), s.task("quiz"));
    }

    @Test
    void presetsAndValidation() {
        assertEquals(8, ExperimentConfig.preset("smoke").evaluator().minimalPairsPerKind());
        assertEquals(ExperimentConfig.DEFAULT_MINIMAL_PAIRS_PER_KIND,
                ExperimentConfig.preset("default").evaluator().minimalPairsPerKind());
        assertEquals(300, ExperimentConfig.DEFAULT_MINIMAL_PAIRS_PER_KIND, "1,500 pairs over the five kinds");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig
                .builder("smoke").optEvaluator(ExperimentConfig.Evaluator.DEFAULTS.withMinimalPairsPerKind(-1))
                .build());
        assertTrue(e.getMessage().contains("minimalPairsPerKind"), e.getMessage());
    }
}
