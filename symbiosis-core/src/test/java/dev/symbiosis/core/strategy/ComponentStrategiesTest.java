package dev.symbiosis.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.feedback.UncertaintyFeedbackMiner;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.LoopConfig;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.SymbiosisLoop;
import dev.symbiosis.core.loop.TextsFile;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.testing.TinyLoop;
import dev.symbiosis.core.text.ProvenanceKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17's components: their arms, their combination by name, and the full method left as it was. */
class ComponentStrategiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> lines(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    private static IterationRecord record(List<IterationRecord> records, String strategy, int iteration) {
        return records.stream().filter(r -> r.strategy().equals(strategy) && r.iteration() == iteration)
                .findFirst().orElseThrow(() -> new AssertionError(strategy + " " + iteration));
    }

    /** TinyLoop's loop with a Generator 0 supplier that counts how often Generator 0 is loaded. */
    private static SymbiosisLoop loop(Path dir, AtomicInteger generatorLoads) throws IOException {
        return loop(dir, generatorLoads, TinyLoop.model("s0"), 2);
    }

    private static SymbiosisLoop loop(Path dir, AtomicInteger generatorLoads, Supplier<LanguageModel> student,
            int iterations) throws IOException {
        Supplier<LanguageModel> g0 = () -> {
            generatorLoads.incrementAndGet();
            return TinyLoop.model("g0").get();
        };
        return SymbiosisLoop.builder(TinyLoop.config(iterations), g0, student, TinyLoop.EVAL,
                        new RunStore(dir, "{\"test\": 1}"))
                .optPool(TinyLoop.POOL).optRealStream(TinyLoop.STREAM)
                .optMiner(UncertaintyFeedbackMiner.builder().optTopK(4).optWindowChars(120).build())
                .optCurriculum(TinyLoop.curriculum()).build();
    }

    @Test
    void componentArmsRunTheirComponentAndLeaveTheFullMethodAsItWas(@TempDir Path all, @TempDir Path alone)
            throws IOException {
        List<Strategy> arms = List.of(SymbiosisStrategy.create(), SymbiosisStrategy.teachableGap(),
                SymbiosisStrategy.maskedContext(), SymbiosisComponents.byName("symbiosis+gap+masked+reset"));
        List<IterationRecord> records = loop(all, new AtomicInteger()).run(arms);
        assertEquals(4 * 3, records.size());
        List<IterationRecord> reference = loop(alone, new AtomicInteger()).run(List.of(SymbiosisStrategy.create()));
        assertEquals(reference, records.stream().filter(r -> r.strategy().equals("symbiosis")).toList(),
                "the full method's records do not depend on the arms beside it");
        assertEquals(Files.readString(alone.resolve("symbiosis/iter-2/synthetic.jsonl")),
                Files.readString(all.resolve("symbiosis/iter-2/synthetic.jsonl")));

        // teachable gap: the hard examples show the two figures their hardness is the difference of
        for (String arm : List.of("symbiosis-teachable-gap", "symbiosis+gap+masked+reset")) {
            for (JsonNode h : lines(all.resolve(arm + "/iter-1/hard-examples.jsonl"))) {
                double s = h.get("student_bpb").asDouble();
                double g = h.get("generator_bpb").asDouble();
                assertEquals(s - g, h.get("hardness").asDouble(), 1e-12, arm);
                assertTrue(h.get("salient_spans").size() > 0, arm);
            }
        }
        for (JsonNode h : lines(all.resolve("symbiosis/iter-1/hard-examples.jsonl"))) {
            assertNull(h.get("student_bpb"));
            assertNull(h.get("generator_bpb"));
        }

        // masked context: no teaching prompts in iteration 1, so no context; then the real prompts are context
        for (String arm : List.of("symbiosis-masked-context", "symbiosis+gap+masked+reset")) {
            assertNull(record(records, arm, 1).realContextTokens(), arm);
            IterationRecord second = record(records, arm, 2);
            assertNotNull(second.realContextTokens(), arm);
            assertTrue(second.realContextTokens() > 0, arm);
            assertTrue(second.trainingTokens() <= 1200 && second.trainingTokens() >= 1000,
                    arm + " trained on " + second.trainingTokens() + " tokens, contexts included");
            // the bigram double counts one token per char; only the contexts are real text
            assertEquals((double) second.realContextTokens() / second.trainingTokens(), second.realShare(), 1e-12);
            List<Prompt> prompts = TextsFile.readPrompts(all.resolve(arm + "/checkpoint-2/state/teaching-prompts.jsonl"));
            assertFalse(prompts.isEmpty());
            assertTrue(prompts.stream().allMatch(p -> "true".equals(p.provenance().attributes()
                    .get(ProvenanceKeys.REAL_CONTEXT))), arm);
        }
        assertNull(record(records, "symbiosis", 2).realContextTokens());
        assertEquals(0.0, record(records, "symbiosis", 2).realShare());
        assertNull(record(records, "symbiosis-teachable-gap", 2).realContextTokens());
    }

    @Test
    void anInterruptedCombinedArmResumesToTheSameResults(@TempDir Path dir) throws IOException {
        // with and without the reset: an evolving Generator is restored from the checkpoint
        for (String arm : List.of("symbiosis+gap+masked+reset+low-lr", "symbiosis+gap+masked+low-lr")) {
            Path whole = dir.resolve(arm + "-whole");
            Path broken = dir.resolve(arm + "-broken");
            loop(whole, new AtomicInteger(), TinyLoop.model("s0"), 3).run(List.of(Strategies.byName(arm, List.of(),
                    1)));
            for (int crashAt : new int[] {2, 2}) { // iteration 2, then (resumed after 1) iteration 3
                assertThrows(IllegalStateException.class, () -> loop(broken, new AtomicInteger(),
                        TinyLoop.crashingOnTrainCall(crashAt), 3).run(List.of(Strategies.byName(arm, List.of(), 1))));
            }
            loop(broken, new AtomicInteger(), TinyLoop.model("s0"), 3).run(List.of(Strategies.byName(arm, List.of(),
                    1)));
            assertEquals(Files.readString(whole.resolve("results.jsonl")),
                    Files.readString(broken.resolve("results.jsonl")), arm);
            assertTrue(Files.readString(whole.resolve("results.jsonl")).contains("realContextTokens"));
        }
    }

    @Test
    void theResetArmStartsEveryStepDFromGeneratorZero(@TempDir Path plain, @TempDir Path reset) throws IOException {
        AtomicInteger plainLoads = new AtomicInteger();
        loop(plain, plainLoads).run(List.of(SymbiosisStrategy.create()));
        assertEquals(1, plainLoads.get(), "the full method loads Generator 0 once and evolves it");
        AtomicInteger resetLoads = new AtomicInteger();
        List<IterationRecord> records = loop(reset, resetLoads).run(List.of(SymbiosisStrategy.generatorReset()));
        assertEquals(1 + 2, resetLoads.get(), "once for Step A of iteration 1, then once per Step D");
        assertNotNull(record(records, "symbiosis-generator-reset", 2).generatorTraining());

        // the reference: Generator 0 answers iteration 2's teaching prompts with Step D's row seeds and is
        // fine-tuned once on its answers; the arm's Generator after iteration 2 is exactly that
        Path arm = reset.resolve("symbiosis-generator-reset");
        List<Prompt> teaching = TextsFile.readPrompts(arm.resolve("checkpoint-2/state/teaching-prompts.jsonl"));
        assertFalse(teaching.isEmpty());
        LoopConfig cfg = TinyLoop.config(2);
        long[] seeds = new long[teaching.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = cfg.seedFor(2, "step-d teach/row " + i);
        }
        LanguageModel g0 = TinyLoop.model("g0").get();
        List<PromptCompletion> pairs = new ArrayList<>();
        for (Sample x : g0.generateSeeded(teaching, cfg.sampling(), seeds)) {
            if (!x.completion().isBlank()) {
                pairs.add(new PromptCompletion(x.prompt().text(), x.completion()));
            }
        }
        g0.fineTune(pairs);
        Path expected = reset.resolve("expected-generator");
        g0.save(expected);
        Path actual = arm.resolve("checkpoint-2/generator");
        try (var files = Files.list(expected)) {
            for (Path f : files.toList()) {
                assertEquals(-1L, Files.mismatch(f, actual.resolve(f.getFileName().toString())), f.toString());
            }
        }
        // the full method's Generator went through two rounds, so it differs
        Path evolved = plain.resolve("symbiosis/checkpoint-2/generator");
        try (var files = Files.list(expected)) {
            boolean differs = false;
            for (Path f : files.toList()) {
                differs |= Files.mismatch(f, evolved.resolve(f.getFileName().toString())) != -1L;
            }
            assertTrue(differs);
        }
    }

    @Test
    void theLowLearningRateArmFineTunesAtATenthOfTheRate(@TempDir Path dir) throws IOException {
        SymbiosisLoop loop = SymbiosisLoop.builder(TinyLoop.config(1), TinyLoop.model("g0"), TinyLoop.model("s0"),
                        TinyLoop.EVAL, new RunStore(dir, "{\"test\": 1}"))
                .optPool(TinyLoop.POOL).optRealStream(TinyLoop.STREAM)
                .optMiner(UncertaintyFeedbackMiner.builder().optTopK(4).optWindowChars(120).build())
                .optCurriculum(TinyLoop.curriculum()).build();
        loop.run(List.of(Strategies.byName("symbiosis-generator-low-lr", List.of(), 1)));
        // the reference: Generator 0 fine-tuned on its answers to iteration 1's teaching prompts at 0.1 of its rate
        Path arm = dir.resolve("symbiosis-generator-low-lr");
        List<Prompt> teaching = TextsFile.readPrompts(arm.resolve("checkpoint-1/state/teaching-prompts.jsonl"));
        LoopConfig cfg = TinyLoop.config(1);
        long[] seeds = new long[teaching.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = cfg.seedFor(1, "step-d teach/row " + i);
        }
        List<PromptCompletion> pairs = new ArrayList<>();
        for (Sample x : TinyLoop.model("g0").get().generateSeeded(teaching, cfg.sampling(), seeds)) {
            if (!x.completion().isBlank()) {
                pairs.add(new PromptCompletion(x.prompt().text(), x.completion()));
            }
        }
        LanguageModel slow = TinyLoop.model("g0").get();
        slow.fineTune(pairs, 0.1);
        slow.save(dir.resolve("slow"));
        LanguageModel full = TinyLoop.model("g0").get();
        full.fineTune(pairs);
        full.save(dir.resolve("full"));
        Path actual = arm.resolve("checkpoint-1/generator/bigram.txt");
        assertEquals(-1L, Files.mismatch(dir.resolve("slow/bigram.txt"), actual));
        assertTrue(Files.mismatch(dir.resolve("full/bigram.txt"), actual) != -1L);
        assertThrows(IllegalArgumentException.class,
                () -> SymbiosisStrategy.builder("x").optGeneratorLearningRateScale(0));
    }

    @Test
    void settingsNameTheComponentsAndAreUnchangedForTheOtherArms() {
        assertEquals(Map.of("variant", "FULL", "hintPositions", 0, "hintCandidates", 0),
                SymbiosisStrategy.create().settings());
        assertEquals(Map.of("variant", "FROZEN_GENERATOR", "hintPositions", 0, "hintCandidates", 0),
                SymbiosisStrategy.frozenGenerator().settings());
        assertEquals(Map.of("variant", "FULL", "hintPositions", 0, "hintCandidates", 0, "teachableGap", true,
                "maskedContext", true, "generatorReset", true),
                SymbiosisComponents.byName("symbiosis+gap+masked+reset").settings());
        assertEquals(Map.of("variant", "FULL", "hintPositions", 0, "hintCandidates", 0, "maskedContext", true),
                Strategies.byName("symbiosis-masked-context", List.of(), 1).settings());
        assertEquals(0.1, SymbiosisComponents.byName("symbiosis+reset+low-lr").settings()
                .get("generatorLearningRateScale"));
        SymbiosisStrategy s = SymbiosisComponents.byName("symbiosis+gap+reset");
        assertTrue(s.usesTeachableGap() && s.resetsGenerator() && !s.usesMaskedContext());
        assertTrue(s.evolvesGenerator());
    }

    @Test
    void combinationNamesAreParsedAndBadOnesRefusedNamingTheComponent() {
        assertEquals("symbiosis+gap+masked+reset", Strategies.byName("symbiosis+gap+masked+reset", List.of(), 1)
                .name());
        assertEquals("symbiosis+masked", SymbiosisComponents.combination("symbiosis+masked").name());
        assertTrue(Strategies.isKnown("symbiosis+gap+reset"));
        assertTrue(Strategies.NAMES.containsAll(List.of("symbiosis-teachable-gap", "symbiosis-masked-context",
                "symbiosis-generator-reset", "symbiosis-generator-low-lr")));
        assertEquals("symbiosis+gap+masked+reset+low-lr", Strategies.byName("symbiosis+gap+masked+reset+low-lr",
                List.of(), 1).name());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Strategies.byName("symbiosis+gap+typo", List.of(), 1));
        assertTrue(unknown.getMessage().contains("'typo'") && unknown.getMessage().contains("masked"),
                unknown.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> SymbiosisComponents.combination("symbiosis+gap+gap"));
        assertTrue(twice.getMessage().contains("'gap' twice"), twice.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> SymbiosisComponents.combination("symbiosis+reset+gap"));
        assertTrue(order.getMessage().contains("symbiosis+gap+reset"), order.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SymbiosisComponents.combination("symbiosis+gap+"));
        assertTrue(empty.getMessage().contains("empty component"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymbiosisComponents.combination("symbiosis"));
        assertThrows(IllegalArgumentException.class, () -> Strategies.byName("real-mixing+gap", List.of(), 1));
        assertFalse(Strategies.isKnown("symbiosis+typo"));
        assertFalse(Strategies.isKnown("symbiosis+reset+gap"));
    }

    @Test
    void everyBaseTakesTheComponentsItCanHaveThroughTheOneParser() {
        SymbiosisStrategy frozen = SymbiosisComponents.combination("symbiosis-frozen-generator+gap+rest+k3");
        assertEquals("symbiosis-frozen-generator+gap+rest+k3", frozen.name());
        assertEquals("FROZEN_GENERATOR", frozen.settings().get("variant"));
        assertEquals(true, frozen.settings().get("teachableGap"));
        assertEquals(3, frozen.settings().get("rewardCandidates"));
        assertFalse(frozen.evolvesGenerator());
        SymbiosisStrategy hints = SymbiosisComponents.combination("symbiosis-hotflip-hints+reset");
        assertEquals(SymbiosisStrategy.DEFAULT_HINT_POSITIONS, hints.settings().get("hintPositions"));
        assertTrue(hints.resetsGenerator());
        // the named single-component arms and their one-component combinations are the same arm under two names
        assertEquals(SymbiosisStrategy.rest().settings(), SymbiosisComponents.combination("symbiosis+rest")
                .settings());
        assertEquals(SymbiosisStrategy.dpo().settings(), SymbiosisComponents.combination("symbiosis+dpo+k4")
                .settings());
        assertEquals(SymbiosisStrategy.rest().settings(), SymbiosisStrategy.create()
                .withStudentReward("x", StudentReward.rest()).settings());

        Map<String, String> refused = Map.of(
                "symbiosis-frozen-generator+reset", "never fine-tunes the Generator",
                "symbiosis-frozen-generator+low-lr", "never fine-tunes the Generator",
                "symbiosis-random-pool+gap", "does not rank pool windows",
                "symbiosis-no-saliency+masked", "salient span",
                "symbiosis+rest+k8+gap", "comes last",
                "symbiosis+gap+k8", "after +rest or +dpo",
                "symbiosis+masked+rest", "not composed yet",
                "real-mixing+gap", "not a base",
                "symbiosis+dpo+k8+k4", "comes last");
        refused.forEach((name, why) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SymbiosisComponents.combination(name), name);
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains(why), e.getMessage());
            assertFalse(Strategies.isKnown(name), name);
        });
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> SymbiosisComponents.combination("symbiosis-random-saliency+rest+gap+k8"));
        assertTrue(order.getMessage().contains("symbiosis-random-saliency+gap+rest+k8"), order.getMessage());
    }
}
