package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's contamination findings ({@link ContaminationCheck}) survive what a study does to its run folders:
 * packed records leave the released data out, and a folder may be packed before its last unit finishes. Test-double
 * models: fast.
 */
class ExperimentContaminationTest {

    private static ExperimentConfig config(List<String> strategies) {
        return ExperimentConfig.builder("smoke").optPreset("contamination").optIterations(2).optTokenBudget(128)
                .optEarlyStopping(0, 0.0).optStrategies(strategies).optEvalItemsPerTask(2)
                .optHeldOutDocsPerDomain(1).build();
    }

    private static ExperimentRunner.Builder runner(ExperimentConfig config, Path out) {
        return TestDoubleRuns.runner(config, out, new AtomicInteger());
    }

    private static List<String> contamination(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(ContaminationCheck.FILE));
    }

    /** Deletes every released file, as restoring a study's packed records leaves a run folder. */
    private static void dropReleases(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("synthetic.jsonl")).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void findingsOfAUnitWhoseReleasesAreGoneAreKeptWhenTheFolderRunsAgain(@TempDir Path out) throws IOException {
        ExperimentConfig config = config(List.of("static-synthetic", "real-upper-bound"));
        runner(config, out).optOnlyStrategies(List.of("static-synthetic")).build().run();
        List<String> staticFindings = contamination(out);
        assertEquals(2, staticFindings.size(), "one line per iteration of static-synthetic: " + staticFindings);

        dropReleases(out);
        runner(config, out).build().run();

        assertEquals(staticFindings, contamination(out).stream().filter(l -> l.contains("\"static-synthetic\""))
                .toList(), "the findings made where the data was are kept");
    }

    @Test
    void aUnitThatFinishesIsCheckedBeforeTheRunEnds(@TempDir Path out) throws IOException {
        StrategyRegistry registry = StrategyRegistry.standard().register("breaks", c -> new Strategy() {
            @Override
            public String name() {
                return "breaks";
            }

            @Override
            public IterationData prepare(dev.symbiosis.core.loop.IterationContext ctx) {
                throw new IllegalStateException("this strategy always fails");
            }
        });
        ExperimentConfig config = config(List.of("static-synthetic", "breaks"));
        ExperimentRunner runner = runner(config, out).optRegistry(registry).build();

        Exception e = assertThrows(Exception.class, runner::run);
        assertTrue(String.valueOf(e.getMessage()).contains("always fails")
                || String.valueOf(e.getCause()).contains("always fails"), String.valueOf(e));
        List<String> lines = contamination(out);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.stream().allMatch(l -> l.contains("\"strategy\":\"static-synthetic\"")), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.contains("breaks")));
    }
}
