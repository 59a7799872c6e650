package dev.symbiosis.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.curriculum.TemplateCurriculum;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.strategy.RecursiveCollapse;
import dev.symbiosis.core.strategy.SymbiosisStrategy;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.testing.TinyLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackAnalyticsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> hard(Path dir, String strategy, int t) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve(strategy + "/iter-" + t + "/hard-examples.jsonl"))) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    private static IterationRecord record(List<IterationRecord> rs, String strategy, int t) {
        return rs.stream().filter(r -> r.strategy().equals(strategy) && r.iteration() == t).findFirst()
                .orElseThrow();
    }

    private static Set<String> ids(List<JsonNode> set) {
        return set.stream().map(h -> h.get("id").asText()).collect(Collectors.toSet());
    }

    @Test
    void analyticsMatchTheReleasedHardSetsAndTheStudent(@TempDir Path dir) throws IOException {
        List<IterationRecord> rs = TinyLoop.loop(dir, TinyLoop.config(2), TinyLoop.model("s0"),
                TinyLoop.curriculum()).run(List.of(SymbiosisStrategy.create(), SymbiosisStrategy.hardToStudent(),
                        RecursiveCollapse.replace(), new RealUpperBound()));
        assertEquals(rs, new RunStore(dir, "{\"test\": 1}").records(), "records round-trip through results.jsonl");
        String results = Files.readString(dir.resolve("results.jsonl"));
        assertTrue(results.contains("\"analytics\":{\"hardSetLoss\":") && results.contains("\"nearDuplicatesDropped\":0"),
                results);
        assertNull(record(rs, "symbiosis", 0).analytics());

        IterationRecord.FeedbackAnalytics first = record(rs, "symbiosis", 1).analytics();
        assertTrue(first.hardSetLoss().isEmpty());
        assertNull(first.hardJaccard());
        assertEquals(Map.of("topic", 1.0), first.syntheticKinds());
        assertTrue(first.teachingDomains().isEmpty());
        assertTrue(TemplateCurriculum.DEFAULT_TOPICS.containsAll(first.syntheticTopics().keySet()));
        assertEquals(1.0, first.syntheticTopics().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);

        IterationRecord.FeedbackAnalytics second = record(rs, "symbiosis", 2).analytics();
        // the loss on iteration 1's hard set, recomputed from the Student of checkpoint 2
        CharBigramModel student2 = new CharBigramModel("check");
        student2.restore(dir.resolve("symbiosis/checkpoint-2/student"));
        List<JsonNode> set1 = hard(dir, "symbiosis", 1);
        double sum = 0;
        for (TokenScores s : student2.score(set1.stream().map(h -> h.get("text").asText()).toList())) {
            sum -= s.meanLogProb();
        }
        assertEquals(Set.of(1), second.hardSetLoss().keySet());
        assertEquals(sum / set1.size(), second.hardSetLoss().get(1), 1e-12);

        Set<String> a = ids(set1);
        Set<String> b = ids(hard(dir, "symbiosis", 2));
        Set<String> inter = new HashSet<>(a);
        inter.retainAll(b);
        assertEquals((double) inter.size() / (a.size() + b.size() - inter.size()), second.hardJaccard(), 1e-12);
        assertTrue(second.hardJaccardDocuments() >= second.hardJaccard(), "documents overlap at least as windows");

        Map<String, Double> domains = new TreeMap<>();
        List<JsonNode> set2 = hard(dir, "symbiosis", 2);
        for (JsonNode h : set2) {
            domains.merge(h.get("provenance").get("source").asText(), 1.0 / set2.size(), Double::sum);
        }
        assertEquals(domains.keySet(), second.hardDomains().keySet());
        domains.forEach((k, v) -> assertEquals(v, second.hardDomains().get(k), 1e-12));

        assertTrue(second.syntheticKinds().get("teaching") > 0.2, second.syntheticKinds().toString());
        assertTrue(Set.of("real:park", "real:sea").containsAll(second.teachingDomains().keySet()));
        assertEquals(1.0, second.teachingDomains().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);

        // Hard examples given to the Student directly are fixed: its loss on them fell after training on them.
        IterationRecord h1 = record(rs, "symbiosis-hard-to-student", 1);
        IterationRecord h2 = record(rs, "symbiosis-hard-to-student", 2);
        assertTrue(h2.analytics().hardSetLoss().get(1) < -h1.feedback().hardMeanLogProb(),
                h2.analytics().hardSetLoss() + " vs " + -h1.feedback().hardMeanLogProb());

        // Baselines mine nothing: no hard-set figures, but the composition of their synthetic data.
        IterationRecord.FeedbackAnalytics rec = record(rs, "recursive-replace", 2).analytics();
        assertTrue(rec.hardSetLoss().isEmpty() && rec.hardDomains().isEmpty());
        assertNull(rec.hardJaccard());
        assertEquals(Map.of("topic", 1.0), rec.syntheticKinds());
        assertTrue(record(rs, "real-upper-bound", 2).analytics().syntheticKinds().isEmpty());
    }

    @Test
    void jaccardAndSharesHandleEmptyInput() {
        assertEquals(1.0, SymbiosisLoop.jaccard(Set.of(), Set.of()));
        assertEquals(0.0, SymbiosisLoop.jaccard(Set.of("a"), Set.of()));
        assertEquals(1.0 / 3, SymbiosisLoop.jaccard(Set.of("a", "b"), Set.of("b", "c")), 1e-12);
        assertTrue(SymbiosisLoop.shares(List.of()).isEmpty());
        assertEquals(Map.of("x", 0.75, "y", 0.25), SymbiosisLoop.shares(List.of("x", "y", "x", "x")));
    }

    @Test
    void interruptedRunsResumeToTheSameAnalytics(@TempDir Path whole, @TempDir Path broken) throws IOException {
        // a fresh strategy per run: strategies hold their cross-iteration state in memory
        TinyLoop.loop(whole, TinyLoop.config(3), TinyLoop.model("s0"), TinyLoop.curriculum())
                .run(SymbiosisStrategy.create());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> TinyLoop.loop(broken,
                TinyLoop.config(3), TinyLoop.crashingOnTrainCall(3), TinyLoop.curriculum())
                .run(SymbiosisStrategy.create()));
        List<IterationRecord> resumed = TinyLoop.loop(broken, TinyLoop.config(3), TinyLoop.model("s0"),
                TinyLoop.curriculum()).run(List.of(SymbiosisStrategy.create()));
        assertEquals(Files.readString(whole.resolve("results.jsonl")),
                Files.readString(broken.resolve("results.jsonl")));
        IterationRecord third = resumed.get(3);
        assertNotNull(third.analytics().hardJaccard());
        assertEquals(Set.of(1, 2), third.analytics().hardSetLoss().keySet());
    }
}
