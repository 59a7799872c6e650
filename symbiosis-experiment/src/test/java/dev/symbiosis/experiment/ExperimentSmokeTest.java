package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.RunStore;
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
        List<IterationRecord> records = new ExperimentRunner(cfg, out, DefaultComponents::loadModel,
                (c, ref, model) -> DefaultComponents.measure(c, ref, model, new java.util.ArrayList<>()),
                System.err).run();

        Set<String> strategies = records.stream().map(IterationRecord::strategy).collect(Collectors.toSet());
        assertEquals(Set.copyOf(cfg.strategies()), strategies);
        assertEquals(cfg.strategies().size() * (cfg.iterations() + 1), records.size());
        for (IterationRecord r : records) {
            assertTrue(Double.isFinite(r.headlineValue()) && r.headlineValue() > 0, r.toString());
            assertNotNull(r.evaluation().get("mc.acc.macro"));
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

        // a second run resumes: nothing is redone, the records are the same
        String before = Files.readString(out.resolve("results.jsonl"));
        new ExperimentRunner(cfg, out, (p, t, s) -> {
            throw new AssertionError("a complete run must not load models for training again: " + p);
        }, null, System.err).run();
        assertEquals(before, Files.readString(out.resolve("results.jsonl")));

        // a folder of another configuration is refused
        ExperimentConfig other = ExperimentConfig.preset("default");
        IOException e = assertThrows(IOException.class, () -> new RunStore(out, other.toJson()));
        assertTrue(e.getMessage().contains("another configuration"));
        assertFalse(Files.exists(out.resolve("results.jsonl.tmp")));
    }
}
