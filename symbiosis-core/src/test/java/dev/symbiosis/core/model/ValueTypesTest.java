package dev.symbiosis.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** Every value type refuses invalid state with an IllegalArgumentException naming the field. */
class ValueTypesTest {

    private static final Provenance P = Provenance.of("test");

    @Test
    void samplingConfigValidatesEveryField() {
        SamplingConfig d = SamplingConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withTemperature(-0.1));
        assertThrows(IllegalArgumentException.class, () -> d.withTemperature(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withTopK(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withTopP(0));
        assertThrows(IllegalArgumentException.class, () -> d.withTopP(1.01));
        assertThrows(IllegalArgumentException.class, () -> d.withRepetitionPenalty(0.9));
        var e = assertThrows(IllegalArgumentException.class, () -> d.withMaxNewTokens(0));
        assertTrue(e.getMessage().contains("maxNewTokens"));
        assertTrue(SamplingConfig.greedy(3).isGreedy());
        assertEquals(5, d.withSeed(5).seed());
    }

    @Test
    void textsAndPairsRefuseEmptyTextAndBadWeights() {
        assertThrows(IllegalArgumentException.class, () -> TrainingText.of("", P));
        assertThrows(IllegalArgumentException.class, () -> new TrainingText("x", 0, P));
        assertThrows(IllegalArgumentException.class, () -> new TrainingText("x", Double.POSITIVE_INFINITY, P));
        assertThrows(IllegalArgumentException.class, () -> new PromptCompletion("p", ""));
        assertThrows(IllegalArgumentException.class, () -> new PromptCompletion("p", "c", -1));
        assertThrows(IllegalArgumentException.class, () -> new Document(" ", "text", P));
        assertThrows(IllegalArgumentException.class, () -> new Document("id", "", P));
        assertThrows(IllegalArgumentException.class, () -> new Sample(new Prompt("p", P), "c", -1, P));
        assertThrows(IllegalArgumentException.class, () -> new Span(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Provenance.of(" "));
        assertThrows(IllegalArgumentException.class, () -> Provenance.of("x", -2));
        assertThrows(IllegalArgumentException.class, () -> new TrainingReport(1, 1, 1, Double.NaN, 1));
    }

    @Test
    void provenanceAttributesAreSortedAndReplaceable() {
        Provenance p = P.with("b", "2").with("a", "1").with("b", "3");
        assertEquals("{a=1, b=3}", p.attributes().toString());
        assertEquals(P, Provenance.of("test"));
    }

    private static TokenScores scores(String text, int[] starts, int[] ends, double[] lp, double[] h) {
        int[] ids = new int[starts.length];
        return new TokenScores(text, ImmutableIntArray.copyOf(ids), ImmutableIntArray.copyOf(starts),
                ImmutableIntArray.copyOf(ends), ImmutableDoubleArray.copyOf(lp), ImmutableDoubleArray.copyOf(h));
    }

    @Test
    void tokenScoresCarryOptionalArgmaxIds() {
        ImmutableIntArray ids = ImmutableIntArray.of(5, 7, 9);
        ImmutableIntArray st = ImmutableIntArray.of(0, 1, 2);
        ImmutableIntArray en = ImmutableIntArray.of(1, 2, 3);
        ImmutableDoubleArray lp = ImmutableDoubleArray.of(-1, -2);
        ImmutableDoubleArray h = ImmutableDoubleArray.of(1, 1);
        TokenScores without = new TokenScores("abc", ids, st, en, lp, h);
        assertEquals(false, without.hasArgmax());
        assertThrows(IllegalStateException.class, () -> without.top1Correct(0));
        // position 0 predicts ids[1] = 7 (right), position 1 predicts ids[2] = 9 but the model's best is 3
        TokenScores with = new TokenScores("abc", ids, st, en, lp, h, ImmutableIntArray.of(7, 3));
        assertTrue(with.hasArgmax());
        assertTrue(with.top1Correct(0));
        assertEquals(false, with.top1Correct(1));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenScores("abc", ids, st, en, lp, h, ImmutableIntArray.of(7)));
    }

    @Test
    void tokenScoresSumAContinuationOverExactlyItsTokens() {
        // "ab cd": tokens "ab" [0,2), " c" [2,4), "d" [4,5); continuation starts at 2
        TokenScores s = scores("ab cd", new int[] {0, 2, 4}, new int[] {2, 4, 5}, new double[] {-1, -2},
                new double[] {0.5, 1.5});
        assertEquals(-3, s.sumLogProbFrom(2), 1e-12);
        assertEquals(2, s.countFrom(2));
        assertEquals(-2, s.sumLogProbFrom(4), 1e-12);
        assertEquals(-1.5, s.meanLogProb(), 1e-12);
        assertEquals(1.0, s.meanEntropy(), 1e-12);
        assertEquals(new Span(2, 4), s.span(1));
    }

    @Test
    void tokenScoresRefuseMisalignedOrOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class,
                () -> scores("ab", new int[] {0, 1}, new int[] {1, 2}, new double[] {-1, -1}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> scores("ab", new int[] {0, 1}, new int[] {1, 3}, new double[] {-1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> scores("ab", new int[] {0, 1}, new int[] {1, 2}, new double[] {0.5}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> scores("ab", new int[] {0, 1}, new int[] {1, 2}, new double[] {-1}, new double[] {-1}));
        assertTrue(Double.isNaN(scores("a", new int[] {0}, new int[] {1}, new double[0], new double[0])
                .meanLogProb()));
    }

    @Property(tries = 100)
    void saliencySpanCoversTheLargestWindow(@ForAll @DoubleRange(min = 0, max = 10) double a,
            @ForAll @DoubleRange(min = 0, max = 10) double b, @ForAll @DoubleRange(min = 0, max = 10) double c) {
        SaliencyMap m = new SaliencyMap("xyz", ImmutableIntArray.of(1, 2, 3), ImmutableIntArray.of(0, 1, 2),
                ImmutableIntArray.of(1, 2, 3), ImmutableDoubleArray.of(a, b, c));
        Span s = m.mostSalientSpan(2);
        double expectedStart = a + b >= b + c ? 0 : 1;
        assertEquals(expectedStart, s.start());
        assertEquals(2, s.length());
        assertEquals(new Span(0, 3), m.mostSalientSpan(10));
    }
}
