package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's components combined into one arm, named in the configuration, at smoke size on the embedded models
 * (two iterations, bits per byte only): every component does its part and the report shows the real context tokens.
 */
// a few minutes of the embedded models: in the slow group, to keep the default suite within its budget
// (mvn -B verify -Dgroups=slow -Dtest=ComponentArmsSmokeTest,StudentRewardedArmsSmokeTest)
@Tag("slow")
class ComponentArmsSmokeTest {

    private static final String ARM = "symbiosis+gap+masked+reset";

    @Test
    void theCombinedArmRunsOnTheEmbeddedModels(@TempDir Path out) throws IOException {
        // the smoke preset's models and sizes, with the evaluation cut to bits per byte (most of a run's cost)
        ExperimentConfig cfg = ExperimentConfig.builder("smoke").optPreset("components").optTokenBudget(512)
                .optStrategies(List.of(ARM)).optHeldOutDocsPerDomain(2).optMeasure(16, false)
                .optEvaluator(new ExperimentConfig.Evaluator(16, 24, 8, false, false, List.of())).build();
        ExperimentResult result = ExperimentRunner.builder(cfg).optOutput(out).build().run();
        List<IterationRecord> records = result.records();
        assertEquals(cfg.iterations() + 1, records.size());
        for (IterationRecord r : records) {
            assertEquals(ARM, r.strategy());
            assertTrue(r.evaluation().keySet().stream().anyMatch(k -> k.startsWith("generator.bpb.")),
                    "the Generator's held-out bits per byte every iteration: " + r.evaluation().keySet());
            if (r.iteration() == 0) {
                continue;
            }
            assertTrue(r.trainingTokens() > 0.8 * cfg.tokenBudget() && r.trainingTokens() <= cfg.tokenBudget(),
                    r.iteration() + ": " + r.trainingTokens());
            assertNotNull(r.generatorTraining(), "Step D ran from Generator 0");
            for (String line : Files.readAllLines(out.resolve(ARM + "/iter-" + r.iteration()
                    + "/hard-examples.jsonl"))) {
                JsonNode h = Json.parse(line);
                assertEquals(h.get("student_bpb").asDouble() - h.get("generator_bpb").asDouble(),
                        h.get("hardness").asDouble(), 1e-9, line);
            }
        }
        IterationRecord first = records.stream().filter(r -> r.iteration() == 1).findFirst().orElseThrow();
        IterationRecord last = records.stream().filter(r -> r.iteration() == cfg.iterations()).findFirst()
                .orElseThrow();
        assertNull(first.realContextTokens(), "no teaching prompts before the first Step C");
        assertTrue(last.realContextTokens() > 0, "the real prompts reached the Student as context");
        assertTrue(last.realShare() > 0 && last.realShare() < 1, "real tokens are the contexts only");
        SeedStatistics stats = result.statistics().orElseThrow();
        assertEquals(last.realContextTokens().doubleValue(), stats.summary("training", "real_context_tokens", ARM,
                cfg.iterations()).orElseThrow().mean(), 0.0);
        assertTrue(Files.readString(out.resolve("report.html")).contains("real_context_tokens"));
    }
}
