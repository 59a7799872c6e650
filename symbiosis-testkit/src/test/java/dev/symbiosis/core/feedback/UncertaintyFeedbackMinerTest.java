package dev.symbiosis.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.testkit.FeedbackMinerContract;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import dev.symbiosis.core.text.Span;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class UncertaintyFeedbackMinerTest implements FeedbackMinerContract {

    private static final CharBigramModel STUDENT =
            CharBigramModel.trainedOn("s", List.of("the cat sat on the mat. the cat sat on the mat."));

    @Override
    public FeedbackMiner miner() {
        return UncertaintyFeedbackMiner.builder().optTopK(3).optWindowChars(60).build();
    }

    @Override
    public Student student() {
        return STUDENT;
    }

    @Override
    public OptionalInt maxHardExamples() {
        return OptionalInt.of(3);
    }

    private static Document doc(String id, String text) {
        return new Document(id, text, Provenance.of("pool"));
    }

    @Test
    void familiarTextIsEasyAndUnfamiliarTextIsHard() {
        List<Document> pool = List.of(doc("easy", "the cat sat on the mat."), doc("hard", "xqzv wkjy pfgb."));
        // the signals of the Student alone (TEACHABLE_GAP compares it with a Generator: TeachableGapMinerTest)
        for (UncertaintyFeedbackMiner.Signal s : List.of(UncertaintyFeedbackMiner.Signal.ENTROPY,
                UncertaintyFeedbackMiner.Signal.LOW_LOG_LIKELIHOOD)) {
            Feedback f = UncertaintyFeedbackMiner.builder().optSignal(s).optTopK(1).build().mine(STUDENT, pool, 0);
            assertEquals(1, f.hardExamples().size());
            assertEquals("hard", f.hardExamples().get(0).document().id(), "signal " + s);
            assertEquals(2, f.poolSize());
        }
    }

    @Test
    void fractionKeepsAPercentileAndSaliencyCanBeOff() {
        List<Document> pool = List.of(doc("a", "the cat sat."), doc("b", "xqzv wkjy."), doc("c", "on the mat."),
                doc("d", "zzqq jjxx."));
        Feedback f = UncertaintyFeedbackMiner.builder().optFraction(0.5).optSaliency(false).build()
                .mine(STUDENT, pool, 4);
        assertEquals(2, f.hardExamples().size());
        assertTrue(f.hardExamples().stream().allMatch(h -> h.salientSpans().isEmpty() && h.saliency() == null));
        Feedback g = UncertaintyFeedbackMiner.builder().optFraction(0.5).build().mine(STUDENT, pool, 4);
        assertTrue(g.hardExamples().stream().noneMatch(h -> h.salientSpans().isEmpty()));
    }

    @Test
    void longDocumentsAreCutIntoWindowsAtWhitespace() {
        String text = "alpha beta gamma delta epsilon zeta eta theta iota kappa";
        List<Document> w = UncertaintyFeedbackMiner.windows(doc("long", text), 20);
        assertTrue(w.size() >= 3);
        StringBuilder joined = new StringBuilder();
        for (Document d : w) {
            assertTrue(d.text().length() <= 20, d.text());
            assertFalse(d.text().startsWith(" ") || d.text().endsWith(" "));
            assertTrue(d.id().startsWith("long#"));
            joined.append(d.text()).append(' ');
        }
        assertEquals(text, joined.toString().strip());
        assertEquals(List.of(doc("short", "tiny")), UncertaintyFeedbackMiner.windows(doc("short", "tiny"), 20));
    }

    @Test
    void topSpansAreTheMostSalientNonOverlappingWindows() {
        // tokens of 2 chars each: "aabbccddeeff", norms peak at tokens 1-2 and at token 5
        String text = "aabbccddeeff";
        SaliencyMap m = new SaliencyMap(text, ImmutableIntArray.of(0, 1, 2, 3, 4, 5),
                ImmutableIntArray.of(0, 2, 4, 6, 8, 10), ImmutableIntArray.of(2, 4, 6, 8, 10, 12),
                ImmutableDoubleArray.of(0.1, 5, 4, 0.2, 0.3, 3));
        List<Span> spans = UncertaintyFeedbackMiner.topSpans(m, 2, 2);
        assertEquals(List.of(new Span(2, 6), new Span(8, 12)), spans);
        assertEquals(new Span(2, 6), m.mostSalientSpan(2));
        assertEquals(new Span(2, 4), m.mostSalientSpan(1)); // the single most salient token
    }

    @Test
    void invalidOptionsAreRefused() {
        var b = UncertaintyFeedbackMiner.builder();
        assertThrows(IllegalArgumentException.class, () -> b.optTopK(0));
        assertThrows(IllegalArgumentException.class, () -> b.optFraction(0));
        assertThrows(IllegalArgumentException.class, () -> b.optFraction(1.5));
        assertThrows(IllegalArgumentException.class, () -> b.optWindowChars(-1));
        assertThrows(IllegalArgumentException.class, () -> UncertaintyFeedbackMiner.create().mine(STUDENT,
                List.of(), -1));
    }
}
