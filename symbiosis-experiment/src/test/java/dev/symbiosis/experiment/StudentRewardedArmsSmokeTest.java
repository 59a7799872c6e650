package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.strategy.SymbiosisStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Student-rewarded teaching on the embedded models at smoke size: {@code symbiosis-rest} and {@code symbiosis-dpo}
 * for two iterations (the kept continuations of iteration 1 reach the Student in iteration 2), with the compute per
 * arm. (The best-of-k controls run on the tiny loop of symbiosis-core: four times the Step A generation would make
 * this test the slowest of the module.)
 */
// a few minutes of the embedded models: in the slow group, to keep the default suite within its budget
// (mvn -B verify -Dgroups=slow -Dtest=ComponentArmsSmokeTest,StudentRewardedArmsSmokeTest)
@Tag("slow")
class StudentRewardedArmsSmokeTest {

    @Test
    void restAndDpoRunOnTheEmbeddedModels(@TempDir Path out) throws IOException {
        List<String> arms = List.of("symbiosis-rest", "symbiosis-dpo");
        ExperimentConfig smoke = ExperimentConfig.preset("smoke");
        // the semantic metrics (MiniLM) are most of a smoke iteration's time and say nothing about these arms
        ExperimentConfig cfg = smoke.toBuilder().optStrategies(arms).optIterations(2)
                .optMeasure(smoke.measureSample(), false).build();
        ExperimentResult result = ExperimentRunner.builder(cfg).optOutput(out).build().run();
        Map<String, List<IterationRecord>> byArm = result.records().stream()
                .collect(Collectors.groupingBy(IterationRecord::strategy));
        assertEquals(Set.copyOf(arms), byArm.keySet());
        for (String arm : arms) {
            for (IterationRecord r : byArm.get(arm)) {
                assertTrue(Double.isFinite(r.headlineValue()), r.toString());
                if (r.iteration() > 0) {
                    assertTrue(r.trainingTokens() > 0.8 * cfg.tokenBudget(), arm + ": " + r.trainingTokens());
                    assertNotNull(r.generatorTraining(), arm + " " + r.iteration());
                }
            }
        }
        for (String arm : List.of("symbiosis-rest", "symbiosis-dpo")) {
            long rewarded = Files.readAllLines(out.resolve(arm + "/iter-2/synthetic.jsonl")).stream()
                    .filter(l -> l.contains("\"" + SymbiosisStrategy.REWARD_KEY + "\"")).count();
            assertTrue(rewarded >= 1, arm + ": the Student is taught the kept continuations");
        }
        List<ComputePerArm.Row> rows = ComputePerArm.of(List.of(out));
        Map<String, ComputePerArm.Row> compute = rows.stream()
                .collect(Collectors.toMap(ComputePerArm.Row::strategy, x -> x));
        for (String arm : arms) {
            // generation of the candidates, the Generator's training, the Student's training and scoring
            for (String key : List.of("tokens.forward.generator", "tokens.backward.generator",
                    "tokens.backward.student")) {
                assertTrue(compute.get(arm).tokens().getOrDefault(key, 0.0) > 0, arm + " " + key);
            }
        }
    }
}
