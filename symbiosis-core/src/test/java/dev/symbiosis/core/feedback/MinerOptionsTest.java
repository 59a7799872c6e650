package dev.symbiosis.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.testing.TinyLoop;
import dev.symbiosis.core.text.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The random-selection and gradient-hint options of {@link UncertaintyFeedbackMiner}. */
class MinerOptionsTest {

    static final CharBigramModel STUDENT =
            CharBigramModel.trainedOn("s", List.of("the cat sat on the mat. the cat sat on the mat."));
    private static final List<Document> POOL = TinyLoop.POOL.subList(0, 8);

    static UncertaintyFeedbackMiner.Builder base() {
        return UncertaintyFeedbackMiner.builder().optTopK(5).optWindowChars(60);
    }

    @Test
    void gradientHintsAreAttachedWhenTheStudentHasThem() {
        Feedback f = base().optGradientHints(2, 3).build().mine(STUDENT, POOL, 1);
        assertEquals(5, f.hardExamples().size());
        for (HardExample h : f.hardExamples()) {
            List<TokenHint> expected = STUDENT.gradientHints(List.of(h.document().text()), 2, 3).get(0);
            assertEquals(expected, h.hints());
            assertEquals(2, h.hints().size());
        }
        // the rest of the feedback is that of the miner without hints
        Feedback plain = base().build().mine(STUDENT, POOL, 1);
        for (int i = 0; i < 5; i++) {
            assertEquals(plain.hardExamples().get(i).document(), f.hardExamples().get(i).document());
            assertEquals(plain.hardExamples().get(i).salientSpans(), f.hardExamples().get(i).salientSpans());
            assertTrue(plain.hardExamples().get(i).hints().isEmpty());
        }
        assertTrue(base().optGradientHints(2, 3).build().usesGradientHints());
        assertTrue(!base().optGradientHints(2, 3).optNoGradientHints().build().usesGradientHints());
    }

    @Test
    void aStudentWithoutGradientHintsGivesNoHints() {
        Student plain = TinyLoop.withoutGradientHints().get();
        Feedback f = base().optGradientHints(2, 3).build().mine(plain, POOL, 1);
        assertEquals(5, f.hardExamples().size());
        assertTrue(f.hardExamples().stream().allMatch(h -> h.hints().isEmpty()));
    }

    @Test
    void randomSelectionIsSeededAndKeepsTheCount() {
        Feedback hardest = base().build().mine(STUDENT, POOL, 1);
        Feedback a = base().optRandomSelection(11).build().mine(STUDENT, POOL, 1);
        Feedback b = base().optRandomSelection(11).build().mine(STUDENT, POOL, 1);
        Feedback c = base().optRandomSelection(12).build().mine(STUDENT, POOL, 1);
        assertEquals(a, b);
        assertEquals(5, a.hardExamples().size());
        assertNotEquals(ids(a), ids(c));
        assertNotEquals(ids(hardest), ids(a));
        assertEquals(hardest.poolMeanEntropy(), a.poolMeanEntropy(), 0.0, "every window is still scored");
        assertTrue(mean(a) < mean(hardest), "random windows are easier on average than the hardest");
        assertEquals(ids(hardest), ids(base().optRandomSelection(11).optHardestSelection().build()
                .mine(STUDENT, POOL, 1)));
    }

    @Test
    void toBuilderKeepsEveryOption() {
        UncertaintyFeedbackMiner m = base().optSignal(UncertaintyFeedbackMiner.Signal.LOW_LOG_LIKELIHOOD)
                .optSaliency(false).optSpanTokens(3).optSpansPerExample(1).optBatchSize(2).optRandomSelection(5)
                .optGradientHints(1, 2).build();
        assertEquals(m.mine(STUDENT, POOL, 2), m.toBuilder().build().mine(STUDENT, POOL, 2));
        assertThrows(IllegalArgumentException.class, () -> base().optGradientHints(0, 1));
        assertThrows(IllegalArgumentException.class, () -> base().optGradientHints(1, 0));
    }

    private static List<String> ids(Feedback f) {
        return f.hardExamples().stream().map(h -> h.document().id()).toList();
    }

    private static double mean(Feedback f) {
        return f.hardExamples().stream().mapToDouble(HardExample::meanEntropy).average().orElseThrow();
    }
}
