package dev.symbiosis.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symbiosis.core.model.TextScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MultipleChoiceEvaluatorTest {

    private static MultipleChoiceItem item(String id, String task, List<String> choices, int answer) {
        return new MultipleChoiceItem(id, task, "The context", choices, answer, "src");
    }

    /** Under -1 nat per char, a choice of L chars has log-likelihood -(L + 1): the space and its chars. */
    @Test
    void accAndAccNormAsComputedByHand() {
        // ll: "ab" -3, "abcd" -5, "a" -2; per choice chars: -1.5, -1.25, -2; per continuation chars: -1 each
        MultipleChoiceItem longWins = item("i1", "t", List.of("ab", "abcd", "a"), 1);
        // ll: -2, -4; per choice chars: -2, -1.333 -> acc picks 0 (right), acc_norm picks 1 (wrong)
        MultipleChoiceItem shortWins = item("i2", "t", List.of("x", "xyz"), 0);
        EvalSuite suite = EvalSuite.of(List.of(longWins, shortWins));

        EvalResult r = MultipleChoiceEvaluator.create().evaluate(CharScorer.minusOnePerChar(), suite);
        ItemResult a = r.items().get(0);
        assertEquals(List.of(-3.0, -5.0, -2.0), a.logLikelihoods());
        assertEquals(2, a.predicted());
        assertFalse(a.correct());
        assertEquals(1, a.predictedNorm());
        assertTrue(a.correctNorm());
        ItemResult b = r.items().get(1);
        assertEquals(0, b.predicted());
        assertEquals(1, b.predictedNorm());
        TaskResult t = r.task("t").orElseThrow();
        assertEquals(0.5, t.accuracy().value());
        assertEquals(0.5, t.accNorm().value());
        assertEquals((1.0 / 3 + 1.0 / 2) / 2, t.chance(), 1e-12);

        // normalising by " " + choice makes every choice of a -1-per-char scorer tie: the lowest index wins
        EvalResult c = MultipleChoiceEvaluator.create().withNormalization(LengthNormalization.CONTINUATION_CHARS)
                .evaluate(CharScorer.minusOnePerChar(), suite);
        assertEquals(0, c.items().get(0).predictedNorm());
        assertEquals(0, c.items().get(1).predictedNorm());
        assertEquals(0.5, c.tasks().get(0).accNorm().value());
        assertEquals(LengthNormalization.CONTINUATION_CHARS, c.normalization());
    }

    @Test
    void tiesGoToTheLowestIndex() {
        EvalSuite suite = EvalSuite.of(List.of(item("a", "t", List.of("xy", "zw", "uv"), 2)));
        EvalResult r = MultipleChoiceEvaluator.create().evaluate(CharScorer.minusOnePerChar(), suite);
        assertEquals(0, r.items().get(0).predicted());
        assertEquals(0, r.items().get(0).predictedNorm());
        assertEquals(0.0, r.macroAccuracy());
    }

    @Test
    void lengthIsCountedInCodePoints() {
        // "😀" is 2 UTF-16 chars, 1 code point: ll -3 (space + 2 chars) / 1 = -3 vs "ab": -3 / 2
        EvalSuite suite = EvalSuite.of(List.of(item("a", "t", List.of("😀", "ab"), 0)));
        EvalResult r = MultipleChoiceEvaluator.create().evaluate(CharScorer.minusOnePerChar(), suite);
        assertEquals(List.of(-3.0, -3.0), r.items().get(0).logLikelihoods());
        assertEquals(1, r.items().get(0).predictedNorm());
    }

    private static EvalSuite mixedSuite() {
        List<MultipleChoiceItem> items = new ArrayList<>();
        String[] words = {"apple", "be", "cat", "dove", "eagle", "f", "goose", "hen", "ibis"};
        for (int i = 0; i < 7; i++) {
            List<String> choices = new ArrayList<>();
            for (int c = 0; c < 2 + i % 3; c++) {
                choices.add(words[(i + c * 2) % words.length]);
            }
            items.add(new MultipleChoiceItem("q" + i, i < 4 ? "cloze" : "arc", "Context " + i, choices,
                    i % choices.size(), i % 2 == 0 ? "austen" : "web"));
        }
        return EvalSuite.of(items);
    }

    @Test
    void batchingChangesNothingAndSendsAllChoicesOfABatchInOneCall() {
        EvalSuite suite = mixedSuite();
        EvalResult reference = null;
        for (int bs : new int[] {1, 3, 64}) {
            CharScorer s = CharScorer.hashed(7);
            EvalResult r = MultipleChoiceEvaluator.create().withBatchSize(bs).evaluate(s, suite);
            if (reference == null) {
                reference = r;
            }
            assertEquals(reference, r, "batch size " + bs);
            assertEquals((7 + bs - 1) / bs, s.calls.size(), "calls for batch size " + bs);
        }
        CharScorer s = CharScorer.hashed(7);
        List<long[]> progress = new ArrayList<>();
        MultipleChoiceEvaluator.create().withBatchSize(3).evaluate(s, suite, (d, t) -> progress.add(new long[] {d, t}));
        // items 0..2 have 2, 3, 4 choices
        assertEquals(List.of("Context 0 apple", "Context 0 cat", "Context 1 be", "Context 1 dove", "Context 1 f"),
                s.calls.get(0).subList(0, 5));
        assertEquals(9, s.calls.get(0).size());
        assertEquals(List.of(3L, 6L, 7L), progress.stream().map(p -> p[0]).toList());
        assertTrue(progress.stream().allMatch(p -> p[1] == 7));
    }

    @Test
    void macroAverageOverHeadlineTasks() {
        EvalSuite suite = mixedSuite();
        EvalResult all = MultipleChoiceEvaluator.create().evaluate(CharScorer.hashed(3), suite);
        double cloze = all.task("cloze").orElseThrow().accuracy().value();
        double arc = all.task("arc").orElseThrow().accuracy().value();
        assertEquals((cloze + arc) / 2, all.macroAccuracy(), 1e-12);
        assertEquals(List.of("cloze", "arc"), all.macroTasks());
        EvalResult head = MultipleChoiceEvaluator.create().withHeadlineTasks(Set.of("arc"))
                .evaluate(CharScorer.hashed(3), suite);
        assertEquals(arc, head.macroAccuracy(), 1e-12);
        assertEquals(List.of("arc"), head.macroTasks());
        assertEquals(cloze, all.macroAccuracy(List.of("cloze")), 1e-12);
        assertEquals(all.figures().get("acc.arc"), arc);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultipleChoiceEvaluator.create().withHeadlineTasks(Set.of("mmlu")).evaluate(
                        CharScorer.hashed(3), suite));
        assertTrue(e.getMessage().contains("[mmlu]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> all.macroAccuracy(List.of("nope")));
    }

    @Test
    void accuracyCarriesWilsonIntervals() {
        List<MultipleChoiceItem> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // the short choice is right in 8 of 10 items
            items.add(item("w" + i, "t", List.of("s", "looooong"), i < 8 ? 0 : 1));
        }
        TaskResult t = MultipleChoiceEvaluator.create().evaluate(CharScorer.minusOnePerChar(), EvalSuite.of(items))
                .tasks().get(0);
        assertEquals(8, t.accuracy().successes());
        assertEquals(0.490162, t.accuracy().lower(), 1e-6);
        assertEquals(0.943318, t.accuracy().upper(), 1e-6);
    }

    @Test
    void resultRoundTripsThroughJackson() throws Exception {
        EvalResult r = MultipleChoiceEvaluator.create().evaluate(CharScorer.hashed(1), mixedSuite());
        ObjectMapper m = new ObjectMapper();
        String json = m.writeValueAsString(r);
        assertEquals(r, m.readValue(json, EvalResult.class));
        assertTrue(json.contains("\"predictedNorm\""), json);
        assertFalse(json.contains("figures"), json);
    }

    @Test
    void scorerBreakingItsContractIsNamed() {
        EvalSuite suite = mixedSuite();
        TextScorer short1 = texts -> CharScorer.minusOnePerChar().score(texts.subList(1, texts.size()));
        assertThrows(IllegalStateException.class, () -> MultipleChoiceEvaluator.create().evaluate(short1, suite));
        TextScorer other = texts -> CharScorer.minusOnePerChar().score(texts.stream().map(t -> t + "!").toList());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MultipleChoiceEvaluator.create().evaluate(other, suite));
        assertTrue(e.getMessage().contains("item 'q0' choice 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MultipleChoiceEvaluator.create().withBatchSize(0));
    }

    @Provide
    Arbitrary<List<MultipleChoiceItem>> items() {
        Arbitrary<List<String>> choices = Arbitraries.strings().withCharRange('a', 'h').ofMinLength(1).ofMaxLength(6)
                .set().ofMinSize(2).ofMaxSize(5).map(ArrayList::new);
        Arbitrary<MultipleChoiceItem> item = Combinators.combine(choices, Arbitraries.integers().between(0, 4),
                        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10),
                        Arbitraries.of("t1", "t2"))
                .as((c, a, ctx, task) -> new MultipleChoiceItem("x", task, ctx, c, a % c.size(), "s"));
        return item.list().ofMinSize(1).ofMaxSize(12).map(list -> {
            List<MultipleChoiceItem> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                MultipleChoiceItem it = list.get(i);
                out.add(new MultipleChoiceItem("id" + i, it.task(), it.context(), it.choices(), it.answer(), "s"));
            }
            return out;
        });
    }

    /** Permuting every item's choices (answer permuted along) changes neither acc nor acc_norm nor the picks. */
    @Property(tries = 60)
    void accuracyIsInvariantUnderChoicePermutation(@ForAll("items") List<MultipleChoiceItem> items,
            @ForAll long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        List<MultipleChoiceItem> permuted = new ArrayList<>();
        for (MultipleChoiceItem it : items) {
            int n = it.choices().size();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            permuted.add(it.permuted(order));
        }
        MultipleChoiceEvaluator ev = MultipleChoiceEvaluator.create().withBatchSize(1 + rnd.nextInt(5));
        EvalResult a = ev.evaluate(CharScorer.hashed(11), EvalSuite.of(items));
        EvalResult b = ev.evaluate(CharScorer.hashed(11), EvalSuite.of(permuted));
        for (int i = 0; i < a.tasks().size(); i++) {
            assertEquals(a.tasks().get(i).accuracy(), b.tasks().get(i).accuracy());
            assertEquals(a.tasks().get(i).accNorm(), b.tasks().get(i).accNorm());
        }
        for (int i = 0; i < items.size(); i++) {
            MultipleChoiceItem x = EvalSuite.of(items).items().get(i);
            MultipleChoiceItem y = EvalSuite.of(permuted).items().get(i);
            assertEquals(x.choices().get(a.items().get(i).predicted()), y.choices().get(b.items().get(i).predicted()));
            assertEquals(x.choices().get(a.items().get(i).predictedNorm()),
                    y.choices().get(b.items().get(i).predictedNorm()));
        }
        assertEquals(a.macroAccuracy(), b.macroAccuracy(), 0.0);
    }
}
