package dev.symbiosis.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.TextsFile;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.testing.TinyLoop;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Student-rewarded teaching (issue 17, point 2) and its best-of-k controls on the tiny loop. */
class StudentRewardedTeachingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, IterationRecord> byStrategy(List<IterationRecord> records, int iteration) {
        return records.stream().filter(r -> r.iteration() == iteration)
                .collect(Collectors.toMap(IterationRecord::strategy, r -> r));
    }

    /** Sum of each strategy's compute figure {@code key} over iterations >= 1. */
    private static Map<String, Long> compute(Path dir, String key) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String l : Files.readAllLines(dir.resolve("timings.jsonl"))) {
            JsonNode o = JSON.readTree(l);
            if (o.get("iteration").asInt() >= 1) {
                out.merge(o.get("strategy").asText(), o.path("compute").path(key).asLong(), Long::sum);
            }
        }
        return out;
    }

    @Test
    void restAndDpoChooseByTheStudentTrainTheGeneratorAndTeachTheStudentTheChosen(@TempDir Path dir)
            throws IOException {
        List<Strategy> arms = List.of(Strategies.symbiosis("symbiosis"), SymbiosisStrategy.rest(),
                SymbiosisStrategy.dpo(), SymbiosisComponents.combination("symbiosis-frozen-generator+rest+k3"));
        List<IterationRecord> records = TinyLoop.loop(dir, TinyLoop.config(2), TinyLoop.model("s0"),
                TinyLoop.curriculum()).run(arms);
        Map<String, IterationRecord> first = byStrategy(records, 1);
        Map<String, IterationRecord> second = byStrategy(records, 2);

        // Iteration 1 has no teaching material yet: every arm trained the same Student on the same data.
        for (IterationRecord r : first.values()) {
            assertEquals(first.get("symbiosis").evaluation(), r.evaluation(), r.strategy());
            assertEquals(first.get("symbiosis").trainingTokens(), r.trainingTokens(), r.strategy());
        }
        // ReST fine-tunes on one kept continuation per teaching prompt; DPO on pairs; the frozen arm only chooses.
        int teaching = TextsFile.readPrompts(dir.resolve("symbiosis/checkpoint-2/state/teaching-prompts.jsonl"))
                .size();
        assertTrue(teaching >= 4, "teaching prompts: " + teaching);
        IterationRecord rest = first.get("symbiosis-rest");
        assertNotNull(rest.generatorTraining());
        assertTrue(rest.generatorTraining().examples() >= 1, rest.generatorTraining().toString());
        assertNotNull(first.get("symbiosis-dpo").generatorTraining());
        assertEquals(Math.log(2), first.get("symbiosis-dpo").generatorTraining().meanLoss(), 1e-12);
        assertNull(first.get("symbiosis-frozen-generator+rest+k3").generatorTraining());

        // The kept continuations are in the state with their score and candidate index ...
        for (String arm : List.of("symbiosis-rest", "symbiosis-dpo", "symbiosis-frozen-generator+rest+k3")) {
            List<Sample> chosen = TextsFile.readSamples(dir.resolve(arm + "/checkpoint-2/state/chosen-teaching.jsonl"));
            assertFalse(chosen.isEmpty(), arm);
            int k = arm.endsWith("k3") ? 3 : 4;
            for (Sample s : chosen) {
                Map<String, String> a = s.provenance().attributes();
                double score = Double.parseDouble(a.get(SymbiosisStrategy.REWARD_KEY));
                int candidate = Integer.parseInt(a.get(SymbiosisStrategy.CANDIDATE_KEY));
                assertTrue(score >= -1 && score <= 1, arm + ": " + score);
                assertTrue(candidate >= 0 && candidate < k, arm + ": " + candidate);
            }
        }
        // ... and iteration 2 trains the Student on those of iteration 1 (released with the iteration's samples).
        for (String arm : List.of("symbiosis-rest", "symbiosis-frozen-generator+rest+k3")) {
            long rewarded = Files.readAllLines(dir.resolve(arm + "/iter-2/synthetic.jsonl")).stream()
                    .filter(l -> l.contains("\"" + SymbiosisStrategy.REWARD_KEY + "\"")).count();
            assertTrue(rewarded >= 1, arm);
            assertTrue(second.get(arm).trainingTokens() >= 1000, arm);
        }

        // Scoring costs Student backward passes and k candidates cost generation: counted.
        Map<String, Long> studentBackward = compute(dir, "tokens.backward.student");
        Map<String, Long> generatorForward = compute(dir, "tokens.forward.generator");
        assertTrue(studentBackward.get("symbiosis-rest") > studentBackward.get("symbiosis"), studentBackward.toString());
        assertTrue(generatorForward.get("symbiosis-rest") > generatorForward.get("symbiosis"),
                generatorForward.toString());
    }

    @Test
    void settingsNameTheRewardAndLeaveTheExistingArmsAsTheyWere() {
        SortedMap<String, Object> plain = Strategies.symbiosis("symbiosis").settings();
        assertEquals(List.of("hintCandidates", "hintPositions", "variant"), List.copyOf(plain.keySet()));
        SortedMap<String, Object> rest = SymbiosisStrategy.rest().settings();
        assertEquals(4, rest.get("rewardCandidates"));
        assertEquals("REST", rest.get("rewardUpdate"));
        assertEquals(StudentReward.SCORE, rest.get("rewardScore"));
        assertFalse(rest.containsKey("dpoBeta"));
        SortedMap<String, Object> dpo = SymbiosisComponents.combination("symbiosis+dpo+k8").settings();
        assertEquals(8, dpo.get("rewardCandidates"));
        assertEquals(0.1, dpo.get("dpoBeta"));
        SortedMap<String, Object> best = Strategies.byName("symbiosis-frozen-generator-best-of-k", List.of(), 1)
                .settings();
        assertEquals(4, best.get("bestOfK"));
        assertEquals(BestOfK.GENERATOR_LIKELIHOOD, best.get("bestOfKChoice"));
        assertEquals(List.of("sizeInBudgets", "writer"),
                List.copyOf(Strategies.byName("static-synthetic", List.of(), 2).settings().keySet()));
        assertEquals(4, Strategies.byName("static-synthetic-best-of-k", List.of(), 2).settings().get("bestOfK"));
    }

    @Test
    void combinationsParseTheirComponentsAndRefuseWhatTheyCannotBe() {
        assertEquals("symbiosis+rest", SymbiosisComponents.combination("symbiosis+rest").name());
        assertEquals("symbiosis-no-saliency+dpo", SymbiosisComponents.combination("symbiosis-no-saliency+dpo").name());
        for (String bad : List.of("symbiosis+k8", "symbiosis+rest+dpo", "symbiosis+rest+rest", "symbiosis+gapx",
                "symbiosis-hard-to-student+rest", "static-synthetic+rest", "symbiosis+rest+k1", "symbiosis")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SymbiosisComponents.combination(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertTrue(SymbiosisComponents.isCombination("symbiosis+rest"));
        assertFalse(SymbiosisComponents.isCombination("symbiosis-rest"));
        assertThrows(IllegalArgumentException.class,
                () -> SymbiosisStrategy.hardToStudent().withStudentReward("x", StudentReward.rest()));
        assertThrows(IllegalArgumentException.class, () -> new StudentReward(1, StudentReward.GeneratorUpdate.REST,
                0.1));
        assertThrows(IllegalArgumentException.class, () -> StudentReward.dpo().withBeta(0));
    }

    @Test
    void aStudentWithoutParameterGradientsIsAClearError(@TempDir Path dir) throws IOException {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TinyLoop.loop(dir,
                TinyLoop.config(1), TinyLoop.withoutGradientHints(), TinyLoop.curriculum())
                .run(List.of(SymbiosisStrategy.rest())));
        assertTrue(e.getMessage().contains("ParameterGradients"), e.getMessage());
    }

    private static TokenScores scores(String text, double... logProbs) {
        int n = text.length();
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = i;
            ends[i] = i + 1;
        }
        return new TokenScores(text, ImmutableIntArray.copyOf(new int[n]), ImmutableIntArray.copyOf(starts),
                ImmutableIntArray.copyOf(ends), ImmutableDoubleArray.copyOf(logProbs),
                ImmutableDoubleArray.copyOf(new double[n - 1]), ImmutableIntArray.of());
    }

    @Test
    void bestOfKKeepsTheMostLikelyCompletionGivenThePromptAndCandidateZeroOnTies() {
        // "ab" + completion: tokens at or after character 2 count
        assertEquals(-0.5, BestOfK.meanCompletionLogProb(scores("abcd", -9, -0.4, -0.6), 2), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, BestOfK.meanCompletionLogProb(scores("ab", -1), 2));
        Prompt p = new Prompt("ab", Provenance.of("t"));
        List<List<Sample>> candidates = List.of(
                List.of(sample(p, "cd"), sample(p, "xy"), sample(p, "")),
                List.of(sample(p, "cd"), sample(p, "cd")));
        Map<String, double[]> table = Map.of("abcd", new double[] {-9, -2, -2}, "abxy", new double[] {-9, -1, -1},
                "ab", new double[] {-0.1});
        List<List<String>> asked = new ArrayList<>();
        int[] chosen = BestOfK.byLikelihood(texts -> {
            asked.add(texts);
            return texts.stream().map(t -> scores(t, table.get(t))).toList();
        }).choose(candidates);
        assertEquals(1, chosen[0]);
        assertEquals(0, chosen[1]);
        assertEquals(List.of(List.of("abcd", "abxy", "ab", "abcd", "abcd")), asked);
    }

    private static Sample sample(Prompt p, String completion) {
        return new Sample(p, completion, completion.length(), Provenance.of("g"));
    }
}
