package dev.symbiosis.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.testing.TinyLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baselines as the literature runs them (issue 16, point 4) and the controls (point 5), on the tiny loop:
 * who writes each arm's data, how much of it is real, and that each control changes only what it names.
 */
class BaselineVariantsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The models that wrote an iteration's released synthetic samples (the samples' provenance source). */
    private static Set<String> writers(Path dir, String strategy, int iteration) throws IOException {
        Set<String> out = new HashSet<>();
        for (String l : Files.readAllLines(dir.resolve(strategy + "/iter-" + iteration + "/synthetic.jsonl"))) {
            out.add(JSON.readTree(l).get("provenance").get("source").asText());
        }
        return out;
    }

    private static Map<String, IterationRecord> at(List<IterationRecord> records, int iteration) {
        return records.stream().filter(r -> r.iteration() == iteration)
                .collect(Collectors.toMap(IterationRecord::strategy, r -> r));
    }

    @Test
    void theFirstTeacherIsExplicit(@TempDir Path dir) throws IOException {
        List<IterationRecord> records = TinyLoop.loop(dir, TinyLoop.config(2), TinyLoop.model("s0"),
                TinyLoop.curriculum()).run(List.of(RecursiveCollapse.replace(), RecursiveCollapse.replaceSelf(),
                        new StaticSynthetic(2), StaticSynthetic.fromStudent0(2)));
        // iteration 1: Generator 0 teaches recursive-replace and static-synthetic, Student 0 the -self/-student0 arms
        assertEquals(Set.of("g0"), writers(dir, "recursive-replace", 1));
        assertEquals(Set.of("s0"), writers(dir, "recursive-replace-self", 1));
        assertEquals(Set.of("g0"), writers(dir, "static-synthetic", 1));
        assertEquals(Set.of("s0"), writers(dir, "static-synthetic-student0", 1));
        // iteration 2: both recursive arms sample their own (trained) Student
        assertEquals(Set.of("s0"), writers(dir, "recursive-replace", 2));
        assertEquals(Set.of("s0"), writers(dir, "recursive-replace-self", 2));
        assertEquals(RecursiveCollapse.FirstTeacher.STUDENT_0, RecursiveCollapse.replaceSelf().firstTeacher());
        assertEquals("GENERATOR_0", RecursiveCollapse.replace().settings().get("firstTeacher"));
        assertEquals("student-0", StaticSynthetic.fromStudent0(2).settings().get("writer"));
        Map<String, IterationRecord> first = at(records, 1);
        assertNotEquals(first.get("recursive-replace").evaluation(),
                first.get("recursive-replace-self").evaluation(), "a different teacher gives a different Student");
    }

    @Test
    void recursiveRealMixingTrainsOnTheGoldenShareOfFreshRealText(@TempDir Path dir) throws IOException {
        List<IterationRecord> records = TinyLoop.loop(dir, TinyLoop.config(3), TinyLoop.model("s0"),
                TinyLoop.curriculum()).run(List.of(RecursiveCollapse.realMixing(RealMixing.GOLDEN_REAL_SHARE),
                        RecursiveCollapse.replace()));
        for (IterationRecord r : records) {
            if (r.iteration() == 0) {
                continue;
            }
            double expected = r.strategy().equals("recursive-real-mixing") ? RealMixing.GOLDEN_REAL_SHARE : 0.0;
            assertEquals(expected, r.realShare(), 0.06, r.strategy() + " at " + r.iteration());
        }
        // the synthetic part comes from the parent: Generator 0 first, then the Student
        assertEquals(Set.of("g0"), writers(dir, "recursive-real-mixing", 1));
        assertEquals(Set.of("s0"), writers(dir, "recursive-real-mixing", 3));
        assertThrows(IllegalArgumentException.class, () -> RecursiveCollapse.realMixing(1.0));
    }

    @Test
    void theGrowingAccumulateSetHoldsOneRealBudgetAndEverySyntheticSet(@TempDir Path dir) throws IOException {
        List<IterationRecord> records = TinyLoop.loop(dir, TinyLoop.config(3), TinyLoop.model("s0"),
                TinyLoop.curriculum()).run(List.of(RecursiveCollapse.accumulateGrowing(TinyLoop.SEED),
                        RecursiveCollapse.accumulate(TinyLoop.SEED)));
        Map<Integer, IterationRecord> growing = records.stream()
                .filter(r -> r.strategy().equals("recursive-accumulate-growing"))
                .collect(Collectors.toMap(IterationRecord::iteration, r -> r));
        long budget = 1200;
        for (int t = 1; t <= 3; t++) {
            IterationRecord r = growing.get(t);
            // t + 1 budgets (each filled to within one text of the budget): exempt from the token budget
            assertTrue(r.trainingTokens() >= (t + 1) * (budget - 200) && r.trainingTokens() <= (t + 1) * budget,
                    "iteration " + t + ": " + r.trainingTokens() + " tokens");
            assertEquals(1.0 / (t + 1), r.realShare(), 0.08, "real share at " + t);
        }
        // the fixed-budget variant stays within the budget
        records.stream().filter(r -> r.strategy().equals("recursive-accumulate") && r.iteration() > 0)
                .forEach(r -> assertTrue(r.trainingTokens() <= budget, r.trainingTokens() + " tokens"));
        assertThrows(IllegalArgumentException.class, () -> RecursiveCollapse.accumulateGrowing(List.of()));
        assertEquals(true, RecursiveCollapse.accumulateGrowing(TinyLoop.SEED).settings().get("fromInitialWeights"));
    }

    @Test
    void theGrowingSetResumesToTheSameResults(@TempDir Path whole, @TempDir Path broken) throws IOException {
        TinyLoop.loop(whole, TinyLoop.config(3), TinyLoop.crashingOnTrainCall(-1), TinyLoop.curriculum())
                .run(RecursiveCollapse.accumulateGrowing(TinyLoop.SEED));
        assertThrows(IllegalStateException.class, () -> TinyLoop.loop(broken, TinyLoop.config(3),
                TinyLoop.crashingOnTrainCall(3), TinyLoop.curriculum())
                .run(RecursiveCollapse.accumulateGrowing(TinyLoop.SEED)));
        TinyLoop.loop(broken, TinyLoop.config(3), TinyLoop.crashingOnTrainCall(-1), TinyLoop.curriculum())
                .run(RecursiveCollapse.accumulateGrowing(TinyLoop.SEED));
        assertEquals(Files.readString(whole.resolve("results.jsonl")),
                Files.readString(broken.resolve("results.jsonl")));
    }

    @Test
    void randomSaliencyChangesOnlyTheSpans(@TempDir Path dir) throws IOException {
        TinyLoop.loop(dir, TinyLoop.config(1), TinyLoop.model("s0"), TinyLoop.curriculum())
                .run(List.of(SymbiosisStrategy.create(), SymbiosisStrategy.randomSaliency()));
        List<JsonNode> salient = hard(dir, "symbiosis");
        List<JsonNode> random = hard(dir, "symbiosis-random-saliency");
        assertEquals(salient.size(), random.size());
        int moved = 0;
        for (int i = 0; i < salient.size(); i++) {
            assertEquals(salient.get(i).get("id"), random.get(i).get("id"), "same hard windows");
            assertEquals(salient.get(i).get("salient_spans").size(), random.get(i).get("salient_spans").size());
            moved += salient.get(i).get("salient_spans").equals(random.get(i).get("salient_spans")) ? 0 : 1;
        }
        assertTrue(moved > 0, "random spans differ from the salient ones");
    }

    @Test
    void randomRealToStudentMatchesHardToStudentsRealShareWithRandomWindows(@TempDir Path dir) throws IOException {
        List<IterationRecord> records = TinyLoop.loop(dir, TinyLoop.config(2), TinyLoop.model("s0"),
                TinyLoop.curriculum()).run(List.of(SymbiosisStrategy.hardToStudent(),
                        SymbiosisStrategy.randomRealToStudent()));
        Map<String, IterationRecord> second = at(records, 2);
        assertEquals(second.get("symbiosis-hard-to-student").realShare(),
                second.get("random-real-to-student").realShare(), 0.05);
        assertNull(second.get("random-real-to-student").generatorTraining());
        assertTrue(second.get("random-real-to-student").feedback().hardMeanEntropy()
                < second.get("symbiosis-hard-to-student").feedback().hardMeanEntropy(),
                "random windows are easier than the hardest");
    }

    private static List<JsonNode> hard(Path dir, String strategy) throws IOException {
        return Files.readAllLines(dir.resolve(strategy + "/iter-1/hard-examples.jsonl")).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }
}
