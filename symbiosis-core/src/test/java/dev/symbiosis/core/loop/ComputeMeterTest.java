package dev.symbiosis.core.loop;

import static dev.symbiosis.core.testing.TinyLoop.config;
import static dev.symbiosis.core.testing.TinyLoop.loop;
import static dev.symbiosis.core.testing.TinyLoop.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.strategy.StaticSynthetic;
import dev.symbiosis.core.strategy.SymbiosisStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model work per strategy and iteration in timings.jsonl ({@link ComputeMeter}). */
class ComputeMeterTest {

    private static List<Strategy> strategies() {
        return List.of(SymbiosisStrategy.create(), new StaticSynthetic(3), new RealUpperBound());
    }

    /** The compute object of every timing line, by "strategy/iteration". */
    private static Map<String, JsonNode> compute(Path dir) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (String l : Files.readAllLines(dir.resolve("timings.jsonl"))) {
            JsonNode o = Json.parse(l);
            out.put(o.get("strategy").asText() + "/" + o.get("iteration").asInt(), o.path("compute"));
        }
        return out;
    }

    @Test
    void everyArmCountsItsModelWork(@TempDir Path dir) throws IOException {
        List<IterationRecord> records = loop(dir, config(2), model("s0")).build().run(strategies());
        Map<String, JsonNode> compute = compute(dir);
        for (IterationRecord r : records) {
            if (r.iteration() == 0) {
                continue;
            }
            JsonNode c = compute.get(r.strategy() + "/" + r.iteration());
            long trained = r.studentTraining().tokens();
            assertTrue(trained > 0);
            switch (r.strategy()) {
                case "real-upper-bound" -> {
                    // real text only: the Student's training and nothing else
                    assertEquals(trained, c.get("tokens.forward.student").asLong(), c.toString());
                    assertEquals(trained, c.get("tokens.backward.student").asLong(), c.toString());
                    assertFalse(c.has("tokens.forward.generator"), c.toString());
                }
                case "static-synthetic" -> {
                    assertEquals(trained, c.get("tokens.backward.student").asLong(), c.toString());
                    assertFalse(c.has("tokens.backward.generator"), "a frozen Generator: " + c);
                    if (r.iteration() == 1) {
                        // the whole static set (three budgets) is sampled in the first iteration: prompts plus
                        // sampled tokens are at least three budgets' worth of what the Student trains on
                        assertTrue(c.get("tokens.forward.generator").asLong() >= 3 * trained, c.toString());
                    } else {
                        assertFalse(c.has("tokens.forward.generator"), "later rounds draw from the set: " + c);
                    }
                }
                case "symbiosis" -> {
                    // Step C scores the pool and takes the saliency of the hard examples with the Student
                    assertTrue(c.get("tokens.forward.student").asLong() > trained, c.toString());
                    assertTrue(c.get("tokens.backward.student").asLong() > trained, c.toString());
                    // Step D fine-tunes the Generator
                    assertEquals(r.generatorTraining().tokens(), c.get("tokens.backward.generator").asLong(),
                            c.toString());
                    assertTrue(r.generatorTraining().tokens() > 0);
                }
                default -> throw new AssertionError(r.strategy());
            }
        }
    }

    @Test
    void generationServedByTheCacheCountsAsIfSampledSoSerialAndConcurrentRunsCountTheSame(@TempDir Path serial,
            @TempDir Path concurrent, @TempDir Path uncached) throws IOException {
        loop(serial, config(2), model("s0")).optParallelism(1).build().run(strategies());
        loop(concurrent, config(2), model("s0")).optParallelism(3).build().run(strategies());
        loop(uncached, config(2), model("s0")).optParallelism(1).optGenerationCache(false).build().run(strategies());
        assertEquals(compute(serial), compute(concurrent));
        assertEquals(compute(serial), compute(uncached));
    }

    @Test
    void aNegativeCountIsRefused() {
        ComputeMeter m = new ComputeMeter();
        m.forward("student", 3);
        m.forward("student", 4);
        m.backward("generator", 0);
        assertEquals(Map.of("tokens.forward.student", 7.0, "tokens.backward.generator", 0.0), m.figures());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward("student", -1));
        assertTrue(e.getMessage().contains("tokens.forward.student"), e.getMessage());
    }
}
