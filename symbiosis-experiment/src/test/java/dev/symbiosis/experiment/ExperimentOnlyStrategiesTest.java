package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.testkit.RunFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ExperimentRunner.Builder#optOnlyStrategies}: the (strategy, run seed) units of two seeds and two strategies
 * run one process after another, the later strategy of the configuration first, leave the files of one serial run
 * (records in strategy order, per-item results, releases), and the last run of every unit writes the aggregate of a
 * serial run without loading a model. Test-double models: fast.
 */
class ExperimentOnlyStrategiesTest {

    private static ExperimentConfig config() {
        return ExperimentConfig.builder("smoke").optPreset("only-strategies").optIterations(2).optSeeds(2)
                .optTokenBudget(128).optEarlyStopping(0, 0.0)
                .optStrategies(List.of("static-synthetic", "real-upper-bound")).optEvalItemsPerTask(2)
                .optHeldOutDocsPerDomain(1).build();
    }

    /** The runner with test-double models, counting the models it opens. */
    private static ExperimentRunner.Builder runner(Path out, AtomicInteger opened) {
        return TestDoubleRuns.runner(config(), out, opened);
    }

    @Test
    void unitsRunApartLeaveTheFilesOfOneSerialRun(@TempDir Path serial, @TempDir Path apart) throws IOException {
        runner(serial, new AtomicInteger()).build().run();

        AtomicInteger opened = new AtomicInteger();
        ExperimentResult first = runner(apart, opened).optOnlyStrategies(List.of("real-upper-bound")).build().run();
        assertTrue(first.statistics().isEmpty(), "no aggregate while a strategy is missing");
        assertEquals(2 * 3, first.records().size(), "2 seeds x iterations 0..2 of one strategy");
        assertTrue(first.records().stream().allMatch(r -> r.strategy().equals("real-upper-bound")));
        assertFalse(Files.exists(apart.resolve("stats.json")));
        runner(apart, opened).optOnlyStrategies(Set.of("static-synthetic")).optOnlySeeds(List.of(43L)).build().run();
        ExperimentResult third = runner(apart, opened).optOnlyStrategies(Set.of("static-synthetic"))
                .optOnlySeeds(List.of(42L)).build().run();
        assertEquals(List.of("static-synthetic", "real-upper-bound"), third.records().stream()
                .map(IterationRecord::strategy).distinct().toList(), "records back in the configuration's order");
        assertFalse(Files.exists(apart.resolve("stats.json")));

        int before = opened.get();
        ExperimentResult all = runner(apart, opened).build().run();
        assertEquals(before, opened.get(), "every unit complete: no model opened");
        assertTrue(all.statistics().isPresent());

        List<String> files = RunFolders.assertSameRecords(serial, apart);
        assertTrue(files.contains("seed-43/static-synthetic/iter-2/items.jsonl"), files.toString());
    }

    @Test
    void emptyOrUnknownStrategiesAreRefused(@TempDir Path out) {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> runner(out, new AtomicInteger()).optOnlyStrategies(List.of()).build());
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> runner(out, new AtomicInteger()).optOnlyStrategies(List.of("symbiosis")).build());
        assertTrue(unknown.getMessage().contains("'symbiosis'"), unknown.getMessage());
    }
}
