package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.curriculum.TemplateCurriculum;
import dev.symbiosis.core.dedup.MinHash;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.strategy.RecursiveCollapse;
import dev.symbiosis.core.strategy.SymbiosisStrategy;
import dev.symbiosis.core.testing.TinyLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NearDuplicateLoopTest {

    private static final double THRESHOLD = 0.4;

    /** Low-temperature sampling from a bigram model repeats itself: near duplicates to drop. */
    private static LoopConfig config(int iterations) {
        return LoopConfig.builder().optIterations(iterations).optTokenBudget(1200).optGenerationBatch(4)
                .optSampling(new SamplingConfig(0.2, 0, 1.0, 1.0, 60, 0)).optPoolSample(10).optSeed(7).build();
    }

    private static TemplateCurriculum dedup() {
        return TemplateCurriculum.builder().optNearDuplicateThreshold(THRESHOLD).optShingleWords(2).build();
    }

    private static List<Strategy> strategies() {
        return List.of(SymbiosisStrategy.create(), RecursiveCollapse.replace());
    }

    @Test
    void nearDuplicatesAreDroppedCountedAndNeverReachTheStudent(@TempDir Path on, @TempDir Path off)
            throws IOException {
        List<IterationRecord> with = TinyLoop.loop(on, config(2), TinyLoop.model("s0"), dedup()).run(strategies());
        List<IterationRecord> without = TinyLoop.loop(off, config(2), TinyLoop.model("s0"), TinyLoop.curriculum())
                .run(strategies());
        int dropped = with.stream().mapToInt(IterationRecord::nearDuplicatesDropped).sum();
        assertTrue(dropped > 0, "the repetitive generator must produce near duplicates");
        assertEquals(0, without.stream().mapToInt(IterationRecord::nearDuplicatesDropped).sum());
        for (IterationRecord r : with) {
            if (r.iteration() > 0) {
                assertTrue(r.trainingTokens() >= 1000, "the budget is still filled: " + r.trainingTokens());
            }
            assertEquals(0, r.nearDuplicatesAdmitted());
        }
        // every pair of released synthetic texts of a strategy, across iterations, is below the threshold
        MinHash m = MinHash.of(MinHash.DEFAULT_HASHES, 2, config(2).seedFor(0, "near-duplicates"));
        ObjectMapper json = new ObjectMapper();
        for (String s : List.of("symbiosis", "recursive-replace")) {
            List<long[]> sigs = new ArrayList<>();
            for (int t = 1; t <= 2; t++) {
                for (String line : Files.readAllLines(on.resolve(s + "/iter-" + t + "/synthetic.jsonl"))) {
                    JsonNode o = json.readTree(line);
                    boolean teaching = "teaching".equals(o.get("prompt_provenance").get("attributes").path("kind")
                            .asText());
                    String text = teaching ? o.get("completion").asText()
                            : o.get("prompt").asText() + o.get("completion").asText();
                    sigs.add(m.signature(text.strip()));
                }
            }
            for (int i = 0; i < sigs.size(); i++) {
                for (int j = 0; j < i; j++) {
                    assertTrue(MinHash.estimate(sigs.get(i), sigs.get(j)) < THRESHOLD, s + " texts " + j + ", " + i);
                }
            }
        }
    }

    @Test
    void theFilterIsPartOfTheCheckpoint(@TempDir Path whole, @TempDir Path broken) throws IOException {
        TinyLoop.loop(whole, config(3), TinyLoop.model("s0"), dedup()).run(strategies());
        assertThrows(IllegalStateException.class, () -> TinyLoop.loop(broken, config(3),
                TinyLoop.crashingOnTrainCall(3), dedup()).run(strategies()));
        TinyLoop.loop(broken, config(3), TinyLoop.model("s0"), dedup()).run(strategies());
        assertEquals(Files.readString(whole.resolve("results.jsonl")),
                Files.readString(broken.resolve("results.jsonl")));
        assertTrue(Files.exists(broken.resolve("symbiosis/checkpoint-3/near-duplicates.bin")));
    }

    @Test
    void aCollapsedGeneratorsNearDuplicatesAreAdmittedToKeepTheBudget(@TempDir Path dir) throws IOException {
        // At 0.3 the recursively trained Student soon writes nothing but near duplicates of earlier samples.
        TemplateCurriculum strict = TemplateCurriculum.builder().optNearDuplicateThreshold(0.3).optShingleWords(2)
                .build();
        List<IterationRecord> rs = TinyLoop.loop(dir, config(3), TinyLoop.model("s0"), strict)
                .run(RecursiveCollapse.replace());
        IterationRecord last = rs.get(3);
        assertTrue(last.nearDuplicatesAdmitted() > 0, "admitted " + rs.stream().map(r -> r.nearDuplicatesDropped() + "/" + r.nearDuplicatesAdmitted()).toList());
        assertTrue(last.nearDuplicatesDropped() >= IterationContext.NEAR_DUPLICATE_ROUNDS,
                "dropped " + last.nearDuplicatesDropped());
        assertTrue(last.trainingTokens() >= 1000, "the budget is still filled: " + last.trainingTokens());
    }

    @Test
    void invalidThresholdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TemplateCurriculum.builder().optNearDuplicateThreshold(-0.1));
        assertThrows(IllegalArgumentException.class, () -> TemplateCurriculum.builder().optNearDuplicateThreshold(1.1));
        assertTrue(TemplateCurriculum.create().nearDuplicateFilter(1).isEmpty(), "off by default");
        assertTrue(dedup().nearDuplicateFilter(1).isPresent());
    }
}
