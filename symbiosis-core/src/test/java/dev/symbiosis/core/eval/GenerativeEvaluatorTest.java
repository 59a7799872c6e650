package dev.symbiosis.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Provenance;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GenerativeEvaluatorTest {

    // ------------------------------------------------------------------ pass@k

    private static BigInteger choose(int n, int k) {
        if (k < 0 || k > n) {
            return BigInteger.ZERO;
        }
        BigInteger r = BigInteger.ONE;
        for (int i = 1; i <= k; i++) {
            r = r.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
        }
        return r;
    }

    /** 1 - C(n-c, k) / C(n, k) with exact binomials (the closed form the product formula must equal). */
    private static double closedForm(int n, int c, int k) {
        BigInteger num = choose(n - c, k);
        BigInteger den = choose(n, k);
        return 1.0 - new java.math.BigDecimal(num).divide(new java.math.BigDecimal(den), java.math.MathContext.DECIMAL64)
                .doubleValue();
    }

    @Test
    void passAtKSmallCasesByHand() {
        assertEquals(0.0, PassAtK.estimate(5, 0, 1));
        assertEquals(0.4, PassAtK.estimate(5, 2, 1), 1e-15); // c / n
        assertEquals(0.7, PassAtK.estimate(5, 2, 2), 1e-15); // 1 - C(3,2)/C(5,2) = 1 - 3/10
        assertEquals(1.0, PassAtK.estimate(5, 4, 2)); // n - c < k
        assertEquals(1.0 - 1.0 / 6, PassAtK.estimate(4, 2, 2), 1e-15); // 1 - C(2,2)/C(4,2)
        assertEquals(1.0, PassAtK.estimate(1, 1, 1));
    }

    @Property(tries = 300)
    void passAtKEqualsTheClosedForm(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 0, max = 40)
            int c, @ForAll @IntRange(min = 1, max = 40) int k) {
        if (c > n || k > n) {
            assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(n, c, k));
            return;
        }
        assertEquals(closedForm(n, c, k), PassAtK.estimate(n, c, k), 1e-12);
    }

    // ------------------------------------------------------------------ extraction and normalisation

    @Test
    void squadNormalisationTable() {
        String[][] table = {
            {"The Eiffel Tower!", "eiffel tower"},
            {"  an   Apple a day ", "apple day"},
            {"Washington, D.C.", "washington dc"},
            {"the", ""},
            {"Théâtre", "théâtre"},
            {"theory", "theory"},
            {"A-B", "ab"},
            {"\tOne\nTwo ", "one two"},
            {"", ""},
        };
        for (String[] row : table) {
            assertEquals(row[1], AnswerNormalization.text(row[0]), row[0]);
        }
    }

    @Test
    void numberNormalisationTable() {
        assertEquals("1000", AnswerNormalization.number("1,000").orElseThrow());
        assertEquals("1000.5", AnswerNormalization.number("$1,000.50").orElseThrow());
        assertEquals("42", AnswerNormalization.number(" 42.0 ").orElseThrow());
        assertEquals("-7", AnswerNormalization.number("-7").orElseThrow());
        assertEquals("0", AnswerNormalization.number("-0.0").orElseThrow());
        assertEquals("120", AnswerNormalization.number("120").orElseThrow());
        assertTrue(AnswerNormalization.number("42 apples").isEmpty());
        assertTrue(AnswerNormalization.number("1,00").isEmpty());
        assertTrue(AnswerNormalization.number("").isEmpty());
    }

    @Test
    void extractionTable() {
        AnswerExtractor last = AnswerExtractor.lastNumber();
        assertEquals("72", last.extract("She sold 48/2 = 24 clips in May.\n48+24 = 72\n#### 72"));
        assertEquals("1,200", last.extract("so 12 times 100 is 1,200."));
        assertEquals("5", last.extract("#### 5 and then 7")); // strict match after '####' wins
        assertEquals("", last.extract("no digits here"));
        assertEquals("-$3.50", last.extract("it costs -$3.50."));
        AnswerExtractor first = AnswerExtractor.firstNumber();
        assertEquals("84", first.extract(" 84 books. Emma has 3 more"));
        assertEquals("", first.extract(" many"));
        AnswerExtractor line = AnswerExtractor.firstLine();
        assertEquals("Paris", line.extract(" Paris\nQuestion: What"));
        assertEquals("Paris.", line.extract("\n\n  Paris.  \nmore"));
        assertEquals("", line.extract("   "));
        assertEquals(AnswerExtractor.firstNumber(), AnswerExtractor.named("First-Number"));
        assertThrows(IllegalArgumentException.class, () -> AnswerExtractor.named("regex"));
    }

    @Test
    void exactMatchChoosesTheExtractorPerItem() {
        ExactMatch em = ExactMatch.create();
        GenerativeItem numeric = new GenerativeItem("n", "t", "Q?", List.of("72"), "s");
        GenerativeItem text = new GenerativeItem("x", "t", "Q?", List.of("Paris", "Paris, France"), "s");
        GenerativeItem first = new GenerativeItem("f", "t", "Q?", List.of("84"), "s", Map.of("extract", "first_number"));
        assertTrue(em.check(numeric, "48 + 24 = 72.0").correct());
        assertFalse(em.check(numeric, "72 is not right, 71 is").correct());
        assertTrue(em.check(text, " the paris\nnext").correct());
        assertTrue(em.check(text, "PARIS, FRANCE!").correct());
        assertFalse(em.check(text, "Paris is nice").correct());
        assertEquals("84", em.check(first, " 84 books. Emma has 3").answer());
        assertTrue(em.check(first, " 84 books. Emma has 3").correct());
        assertFalse(em.withExtractor(AnswerExtractor.lastNumber()).check(first, " 84 books. Emma has 3").correct());
        // an empty extraction matches nothing, not even a reference that normalises to empty
        assertFalse(ExactMatch.matches("", List.of("the")));
        assertThrows(IllegalArgumentException.class,
                () -> new GenerativeItem("b", "t", "Q?", List.of("1"), "s", Map.of("extract", "nope")));
    }

    // ------------------------------------------------------------------ the evaluator

    /** Answers from a table: completion number {@code s} of a prompt is {@code answers.get(prompt).get(s)}. */
    private static class ScriptedGenerator implements Generator {
        final Map<String, List<String>> answers;
        final List<SamplingConfig> calls = new ArrayList<>();

        ScriptedGenerator(Map<String, List<String>> answers) {
            this.answers = answers;
        }

        @Override
        public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
            calls.add(sampling);
            List<Sample> out = new ArrayList<>();
            Map<String, Integer> seen = new java.util.HashMap<>();
            for (Prompt p : prompts) {
                int s = seen.merge(p.text(), 1, Integer::sum) - 1;
                out.add(new Sample(p, answers.get(p.text()).get(s), 1, Provenance.of("scripted")));
            }
            return out;
        }

        @Override
        public TrainingReport fineTune(List<PromptCompletion> examples) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void save(Path dir) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restore(Path dir) {
            throw new UnsupportedOperationException();
        }
    }

    private static List<GenerativeItem> threeItems() {
        return List.of(
                new GenerativeItem("a1", "arith", "2+2=", List.of("4"), "s"),
                new GenerativeItem("a2", "arith", "3+3=", List.of("6"), "s"),
                new GenerativeItem("q1", "quiz", "Capital of France?", List.of("Paris"), "s"));
    }

    @Test
    void exactMatchAndPassAtKAsComputedByHand() throws Exception {
        ScriptedGenerator g = new ScriptedGenerator(Map.of(
                "2+2=", List.of("5", "4", "4", "3"),
                "3+3=", List.of("6", "6", "6", "6"),
                "Capital of France?", List.of(" Lyon", " Lyon", " Nice", " Lyon")));
        GenerativeEvaluator ev = GenerativeEvaluator.create().withSamples(4, 1, 2, 4).withBatchSize(2)
                .withMaxNewTokens(5);
        List<long[]> progress = new ArrayList<>();
        GenerativeResult r = ev.evaluate(g, threeItems(), (d, t) -> progress.add(new long[] {d, t}));

        GenerativeTaskResult arith = r.task("arith").orElseThrow();
        assertEquals(2, arith.n());
        assertEquals(4, arith.samples());
        assertEquals(1, arith.exactMatch().successes()); // a1's first sample is wrong, a2's right
        // a1: c = 2 of 4 -> pass@1 0.5, pass@2 1 - C(2,2)/C(4,2) = 5/6, pass@4 1; a2: c = 4 -> 1, 1, 1
        assertEquals((0.5 + 1) / 2, arith.passAtK().get(1), 1e-15);
        assertEquals((5.0 / 6 + 1) / 2, arith.passAtK().get(2), 1e-15);
        assertEquals(1.0, arith.passAtK().get(4), 1e-15);
        GenerativeTaskResult quiz = r.task("quiz").orElseThrow();
        assertEquals(0, quiz.exactMatch().successes());
        assertEquals(0.0, quiz.passAtK().get(4));
        assertEquals((0.5 + 0.0) / 2, r.macroExactMatch(), 1e-15);

        GenerativeItemResult a1 = r.items().get(0);
        assertEquals(List.of("5", "4", "4", "3"), a1.completions());
        assertEquals(List.of(false, true, true, false), a1.correct());
        assertEquals(2, a1.correctCount());

        // two batches: sampled (not greedy) with the configured temperature, seed + batch index, max tokens
        assertEquals(2, g.calls.size());
        assertEquals(0.8, g.calls.get(0).temperature());
        assertEquals(0L, g.calls.get(0).seed());
        assertEquals(1L, g.calls.get(1).seed());
        assertEquals(5, g.calls.get(1).maxNewTokens());
        assertEquals(List.of(2L, 3L), progress.stream().map(p -> p[0]).toList());
        assertEquals(3L, progress.get(0)[1]);

        Map<String, Double> f = r.figures();
        assertEquals(0.5, f.get("em.arith"));
        assertEquals(arith.exactMatch().lower(), f.get("em.arith.lower95"));
        assertEquals(5.0 / 6 / 2 + 0.5, f.get("pass@2.arith"), 1e-15);
        assertEquals(1.0, f.get("n.quiz"));
        assertEquals(0.25, f.get("em.macro"));

        // Jackson round trip, as the run records need
        ObjectMapper m = new ObjectMapper();
        assertEquals(r, m.readValue(m.writeValueAsString(r), GenerativeResult.class));
    }

    @Test
    void oneSampleIsGreedy() {
        ScriptedGenerator g = new ScriptedGenerator(Map.of("2+2=", List.of("4"), "3+3=", List.of("7"),
                "Capital of France?", List.of(" Paris\nQ")));
        GenerativeResult r = GenerativeEvaluator.create().evaluate(g, threeItems());
        assertTrue(g.calls.get(0).isGreedy());
        assertEquals(GenerativeEvaluator.DEFAULT_MAX_NEW_TOKENS, g.calls.get(0).maxNewTokens());
        assertEquals(0.5, r.task("arith").orElseThrow().exactMatch().value());
        assertEquals(1.0, r.task("quiz").orElseThrow().exactMatch().value());
        assertEquals(List.of(1), List.copyOf(r.task("quiz").orElseThrow().passAtK().keySet()));
        assertEquals("Paris", r.items().get(2).answers().get(0));
    }

    @Test
    void userCheckerDecides() {
        ScriptedGenerator g = new ScriptedGenerator(Map.of("2+2=", List.of("x", "yy"), "3+3=", List.of("zz", "w"),
                "Capital of France?", List.of("a", "b")));
        // "execution-based" stand-in: a completion passes when it has two characters
        AnswerChecker twoChars = (item, completion) -> new AnswerChecker.Verdict(completion.length() == 2,
                "len=" + completion.length());
        GenerativeResult r = GenerativeEvaluator.create().withSamples(2, 1, 2).withChecker(twoChars)
                .evaluate(g, threeItems());
        assertEquals(List.of("len=1", "len=2"), r.items().get(0).answers());
        assertEquals(0.5, r.task("arith").orElseThrow().exactMatch().value());
        assertEquals(1.0, r.task("arith").orElseThrow().passAtK().get(2));
        assertEquals(0.0, r.task("quiz").orElseThrow().passAtK().get(2));
    }

    @Test
    void badInputIsRefused() {
        GenerativeEvaluator ev = GenerativeEvaluator.create();
        CharBigramModel m = new CharBigramModel("m");
        IllegalArgumentException kAboveN = assertThrows(IllegalArgumentException.class, () -> ev.withSamples(3, 1, 5));
        assertTrue(kAboveN.getMessage().contains("k = 5 with 3 samples"), kAboveN.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ev.withSamples(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ev.withSamples(2));
        assertThrows(IllegalArgumentException.class, () -> ev.withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> ev.withMaxNewTokens(0));
        assertThrows(IllegalArgumentException.class, () -> ev.withSampling(SamplingConfig.greedy(4)));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> ev.evaluate(m, List.of()));
        assertTrue(empty.getMessage().contains("no generative items"));
        GenerativeItem a = new GenerativeItem("same", "t", "p", List.of("1"), "s");
        assertThrows(IllegalArgumentException.class, () -> ev.evaluate(m, List.of(a, a)));
        assertThrows(IllegalArgumentException.class, () -> new GenerativeItem("i", "t", "p", List.of(), "s"));
        assertThrows(IllegalArgumentException.class, () -> new GenerativeItem("i", "t", "p", List.of(" "), "s"));
        assertThrows(IllegalArgumentException.class, () -> new GenerativeItem("i", "t", " ", List.of("1"), "s"));
        // a generator that breaks its contract
        Generator shortChanged = new ScriptedGenerator(Map.of()) {
            @Override
            public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
                return List.of();
            }
        };
        assertThrows(IllegalStateException.class, () -> ev.evaluate(shortChanged, List.of(a)));
    }

    @Test
    void charBigramModelRun() {
        // the model learns "=4" after "2+2" style text; greedy continuation of a prompt is the bigram argmax chain
        CharBigramModel m = CharBigramModel.trainedOn("bigram", List.of("ab ab ab ab", "x=4\n", "y=4\n", "z=4\n"));
        List<GenerativeItem> items = List.of(
                new GenerativeItem("i1", "eq", "x=", List.of("4"), "s"),
                new GenerativeItem("i2", "eq", "q=", List.of("5"), "s"),
                new GenerativeItem("i3", "eq", "what", List.of("4"), "s"),
                new GenerativeItem("i4", "txt", "a", List.of("b"), "s"));
        GenerativeEvaluator ev = GenerativeEvaluator.create().withMaxNewTokens(3);
        GenerativeResult r1 = ev.withBatchSize(1).evaluate(m, items);
        GenerativeResult r3 = ev.withBatchSize(3).evaluate(m, items);
        assertEquals(r1, r3); // greedy: independent of the batch size
        // the checker's verdicts agree with the completions the model itself gives
        List<Sample> own = m.generate(items.stream().map(it -> new Prompt(it.prompt(), Provenance.of("s"))).toList(),
                SamplingConfig.greedy(3));
        for (int i = 0; i < items.size(); i++) {
            GenerativeItemResult ir = r1.items().get(i);
            assertEquals(own.get(i).completion(), ir.completions().get(0));
            assertEquals(ExactMatch.create().check(items.get(i), own.get(i).completion()).correct(), ir.firstCorrect());
        }
        // "=" is always followed by "4" in training: both "x=" and "q=" continue with 4
        assertTrue(r1.items().get(0).firstCorrect());
        assertFalse(r1.items().get(1).firstCorrect());
        assertEquals("b", r1.items().get(3).answers().get(0).substring(0, 1));
        // sampled runs are reproducible for the same seed
        GenerativeEvaluator sampled = ev.withSamples(6, 1, 3).withSampling(SamplingConfig.defaults().withSeed(7));
        assertEquals(sampled.evaluate(m, items), sampled.evaluate(m, items));
        double p1 = sampled.evaluate(m, items).task("eq").orElseThrow().passAtK().get(1);
        assertTrue(p1 >= 0 && p1 <= 1);
    }
}
