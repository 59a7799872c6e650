package dev.symbiosis.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.TextsFile;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.testing.TinyLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblationStrategiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Strategy> symbiosisFamily() {
        List<Strategy> out = new ArrayList<>();
        out.add(Strategies.symbiosis(Strategies.SYMBIOSIS));
        for (String a : Strategies.ABLATIONS) {
            out.add(Strategies.symbiosis(a));
        }
        return out;
    }

    private static List<JsonNode> lines(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    private static Map<String, IterationRecord> byStrategy(List<IterationRecord> records, int iteration) {
        return records.stream().filter(r -> r.iteration() == iteration)
                .collect(Collectors.toMap(IterationRecord::strategy, r -> r));
    }

    @Test
    void everyNameBuildsTheStrategyOfThatNameAndUnknownNamesAreRefused() {
        assertEquals(Strategies.NAMES.size(), Set.copyOf(Strategies.NAMES).size());
        for (String name : Strategies.NAMES) {
            assertEquals(name, Strategies.byName(name, TinyLoop.SEED, 3).name());
            assertTrue(Strategies.isKnown(name));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.byName("symbiosis-typo", List.of(), 1));
        assertTrue(e.getMessage().contains("symbiosis-typo") && e.getMessage().contains("symbiosis-random-pool"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strategies.symbiosis("recursive-replace"));
        assertFalse(Strategies.isKnown("symbiosis-typo"));
    }

    @Test
    void ablationsRunTheSameBudgetAndChangeOnlyTheirComponent(@TempDir Path dir) throws IOException {
        List<IterationRecord> records = TinyLoop.loop(dir, TinyLoop.config(2), TinyLoop.model("s0"),
                TinyLoop.curriculum()).run(symbiosisFamily());
        assertEquals(6 * 3, records.size());
        for (IterationRecord r : records) {
            if (r.iteration() > 0) {
                assertTrue(r.trainingTokens() <= 1200 && r.trainingTokens() >= 1000,
                        r.strategy() + " trained on " + r.trainingTokens() + " tokens");
                assertNotNull(r.feedback(), r.strategy());
                assertEquals(4, r.feedback().hardExamples(), r.strategy());
            }
        }
        Map<String, IterationRecord> first = byStrategy(records, 1);
        Map<String, IterationRecord> second = byStrategy(records, 2);

        // Iteration 1 has no teaching material yet: every variant trained the same Student on the same data.
        for (IterationRecord r : first.values()) {
            assertEquals(first.get("symbiosis").evaluation(), r.evaluation(), r.strategy());
        }
        // Step D runs only where the Generator learns.
        assertNotNull(second.get("symbiosis").generatorTraining());
        assertNotNull(second.get("symbiosis-no-saliency").generatorTraining());
        assertNotNull(second.get("symbiosis-random-pool").generatorTraining());
        assertNotNull(second.get("symbiosis-hotflip-hints").generatorTraining());
        assertNull(second.get("symbiosis-frozen-generator").generatorTraining());
        assertNull(second.get("symbiosis-hard-to-student").generatorTraining());

        // Random pool windows are on average easier than the hardest ones of the same Student and pool sample.
        assertTrue(first.get("symbiosis-random-pool").feedback().hardMeanEntropy()
                < first.get("symbiosis").feedback().hardMeanEntropy());
        // Without saliency the hard examples have no spans; with it they have.
        for (JsonNode h : lines(dir.resolve("symbiosis-no-saliency/iter-1/hard-examples.jsonl"))) {
            assertEquals(0, h.get("salient_spans").size());
        }
        for (JsonNode h : lines(dir.resolve("symbiosis/iter-1/hard-examples.jsonl"))) {
            assertTrue(h.get("salient_spans").size() > 0);
            assertNull(h.get("hints"));
        }
        // Hints are attached and rendered into the teaching prompts.
        for (JsonNode h : lines(dir.resolve("symbiosis-hotflip-hints/iter-1/hard-examples.jsonl"))) {
            assertEquals(2, h.get("hints").size());
            assertEquals(3, h.get("hints").get(0).get("candidates").size());
        }
        List<Prompt> hinted = TextsFile.readPrompts(
                dir.resolve("symbiosis-hotflip-hints/checkpoint-2/state/teaching-prompts.jsonl"));
        assertTrue(hinted.stream().anyMatch(p -> p.text().startsWith("Related words: ")), hinted.toString());
        List<Prompt> plain = TextsFile.readPrompts(dir.resolve("symbiosis/checkpoint-2/state/teaching-prompts.jsonl"));
        assertTrue(plain.stream().noneMatch(p -> p.text().contains("Related words")));

        // The hard examples reach the Student directly: about the teaching share of iteration 2 is real pool text.
        assertEquals(0.5, second.get("symbiosis-hard-to-student").realShare(), 0.05);
        assertEquals(0.0, second.get("symbiosis").realShare());
        List<TrainingText> hardTexts = TextsFile.readTexts(
                dir.resolve("symbiosis-hard-to-student/checkpoint-2/state/hard-texts.jsonl"));
        assertEquals(4, hardTexts.size());
        Set<String> hardIds = lines(dir.resolve("symbiosis-hard-to-student/iter-2/hard-examples.jsonl")).stream()
                .map(h -> h.get("id").asText()).collect(Collectors.toSet());
        assertEquals(hardIds, hardTexts.stream().map(t -> t.provenance().attributes().get("doc"))
                .collect(Collectors.toSet()));
        assertNotEquals(first.get("symbiosis").evaluation(), second.get("symbiosis-hard-to-student").evaluation());
    }

    @Test
    void randomPoolSelectionIsSeededPerIteration(@TempDir Path a, @TempDir Path b) throws IOException {
        TinyLoop.loop(a, TinyLoop.config(2), TinyLoop.model("s0"), TinyLoop.curriculum())
                .run(SymbiosisStrategy.randomPool());
        TinyLoop.loop(b, TinyLoop.config(2), TinyLoop.model("s0"), TinyLoop.curriculum())
                .run(SymbiosisStrategy.randomPool());
        String hard = "symbiosis-random-pool/iter-1/hard-examples.jsonl";
        assertEquals(Files.readString(a.resolve(hard)), Files.readString(b.resolve(hard)));
        assertEquals(Files.readString(a.resolve("results.jsonl")), Files.readString(b.resolve("results.jsonl")));
    }

    @Test
    void interruptedAblationsResumeToTheSameResults(@TempDir Path whole, @TempDir Path broken) throws IOException {
        TinyLoop.loop(whole, TinyLoop.config(3), TinyLoop.crashingOnTrainCall(-1), TinyLoop.curriculum())
                .run(symbiosisFamily());
        for (int crashAt : new int[] {2, 3}) {
            assertThrows(IllegalStateException.class, () -> TinyLoop.loop(broken, TinyLoop.config(3),
                    TinyLoop.crashingOnTrainCall(crashAt), TinyLoop.curriculum()).run(symbiosisFamily()));
        }
        TinyLoop.loop(broken, TinyLoop.config(3), TinyLoop.crashingOnTrainCall(-1), TinyLoop.curriculum())
                .run(symbiosisFamily());
        assertEquals(Files.readString(whole.resolve("results.jsonl")),
                Files.readString(broken.resolve("results.jsonl")));
    }

    @Test
    void hotflipHintsRefuseAStudentWithoutGradientHints(@TempDir Path dir) throws IOException {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TinyLoop.loop(dir,
                TinyLoop.config(1), TinyLoop.withoutGradientHints(), TinyLoop.curriculum())
                .run(SymbiosisStrategy.hotflipHints()));
        assertTrue(e.getMessage().contains("GradientHints"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymbiosisStrategy.hotflipHints(0, 3));
    }
}
