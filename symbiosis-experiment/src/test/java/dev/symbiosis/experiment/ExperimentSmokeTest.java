package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job end to end at the smoke preset: every strategy runs on the embedded models and data, the
 * records and the report are written, and a second run on the same folder resumes instead of redoing work.
 */
class ExperimentSmokeTest {

    @Test
    void theSmokePresetRunsEveryStrategyAndWritesTheReport(@TempDir Path out) throws IOException {
        ExperimentConfig cfg = ExperimentConfig.preset("smoke");
        ExperimentResult result = ExperimentRunner.builder(cfg).optOutput(out).build().run();
        List<IterationRecord> records = result.records();

        Set<String> strategies = records.stream().map(IterationRecord::strategy).collect(Collectors.toSet());
        assertEquals(Set.copyOf(cfg.strategies()), strategies);
        assertEquals(cfg.strategies().size() * (cfg.iterations() + 1), records.size());
        for (IterationRecord r : records) {
            assertTrue(Double.isFinite(r.headlineValue()) && r.headlineValue() > 0, r.toString());
            // the task families at iteration 0 and at the last (evaluator.tasksEvery), bits per byte always
            boolean tasks = r.iteration() % cfg.evaluator().tasksEvery() == 0 || r.iteration() == cfg.iterations();
            assertEquals(tasks, r.evaluation().containsKey("mc.acc.macro"), r.iteration() + ": " + r.evaluation());
            if (r.iteration() > 0) {
                assertTrue(r.trainingTokens() > 0.8 * cfg.tokenBudget(), r.strategy() + ": " + r.trainingTokens());
                assertTrue(r.synthetic().containsKey("lexical.ttr"), r.synthetic().keySet().toString());
                assertTrue(r.synthetic().containsKey("fidelity.bits_per_byte"));
            }
            if (r.strategy().equals("symbiosis") && r.iteration() > 0) {
                assertEquals(cfg.hardExamples(), r.feedback().hardExamples());
                assertNotNull(r.generatorTraining());
                assertTrue(Files.size(out.resolve("symbiosis/iter-" + r.iteration() + "/hard-examples.jsonl")) > 0);
            }
        }
        assertTrue(Files.exists(out.resolve("report.html")));
        assertTrue(Files.list(out.resolve("plots")).count() >= 5, "one plot per figure");
        assertTrue(Files.exists(out.resolve("headline-tasks.json")));
        assertTrue(Files.size(out.resolve("symbiosis/iter-1/synthetic.jsonl")) > 0);

        // typed results: the statistics of the one seed, read through the public API
        SeedStatistics stats = result.statistics().orElseThrow();
        assertEquals(List.of(42L), stats.seeds());
        SeedStatistics.PairedComparison c = stats.paired(HeldOutEvaluator.BPB_MACRO, "symbiosis",
                "real-upper-bound", cfg.iterations()).orElseThrow();
        double a = records.stream().filter(r -> r.strategy().equals("symbiosis") && r.iteration() == 2)
                .findFirst().orElseThrow().headlineValue();
        double b = records.stream().filter(r -> r.strategy().equals("real-upper-bound") && r.iteration() == 2)
                .findFirst().orElseThrow().headlineValue();
        assertEquals(a - b, c.meanDifference(), 1e-9);
        assertEquals(-c.meanDifference(), stats.paired(HeldOutEvaluator.BPB_MACRO, "real-upper-bound",
                "symbiosis", cfg.iterations()).orElseThrow().meanDifference(), 0.0);
        assertEquals(RunProvenance.current(42).version(), RunProvenance.read(out).version());

        // a second run resumes: nothing is redone (no model is loaded), the records are the same
        String before = Files.readString(out.resolve("results.jsonl"));
        ExperimentRunner.builder(cfg).optOutput(out).optModelLoader((p, t, s) -> {
            throw new AssertionError("a complete run must not load models for training again: " + p);
        }).build().run();
        assertEquals(before, Files.readString(out.resolve("results.jsonl")));

        // a folder of other settings is refused, naming the fields that differ
        ExperimentConfig other = cfg.toBuilder().optMiner(new ExperimentConfig.Miner("ENTROPY", 0, true, 8, 2, 240,
                16, 0, 0)).build();
        IOException e = assertThrows(IOException.class,
                () -> ExperimentRunner.builder(other).optOutput(out).build().run());
        assertTrue(e.getMessage().contains("experiment.miner.windowChars: 480 -> 240")
                && e.getMessage().contains("components.miner.settings.windowChars"), e.getMessage());
        assertEquals(before, Files.readString(out.resolve("results.jsonl")));
        assertFalse(Files.exists(out.resolve("results.jsonl.tmp")));
    }
}
