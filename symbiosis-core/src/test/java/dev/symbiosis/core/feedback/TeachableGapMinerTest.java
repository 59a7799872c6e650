package dev.symbiosis.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link UncertaintyFeedbackMiner.Signal#TEACHABLE_GAP}: windows ranked by the Student's bits per byte minus the
 * Generator's. The test double is a character bigram model (one token per ASCII char, so one byte per token): the
 * Student knows park text, the Generator park and sea text, so the sea window is what the Generator knows and the
 * Student does not, while scrambled letters are hard for both (hardest for the Student, no gap).
 */
class TeachableGapMinerTest {

    private static final String PARK = "the cat sat on a mat while the dog ran to the park and a bird sang in the "
            + "old tree by the river where children played with a red ball";
    private static final String SEA = "ship sails north over cold grey water as sailors haul ropes and the captain "
            + "shouts orders into wind and rain";
    private static final CharBigramModel STUDENT = CharBigramModel.trainedOn("s", List.of(PARK, PARK));
    private static final CharBigramModel GENERATOR = CharBigramModel.trainedOn("g", List.of(PARK, PARK, SEA, SEA));

    private static final Document KNOWN_TO_BOTH = doc("park", "the dog sat on the mat and the cat ran to the old tree");
    private static final Document KNOWN_TO_GENERATOR = doc("sea", "the captain shouts orders as sailors haul cold ropes");
    private static final Document KNOWN_TO_NONE = doc("noise", "qzvx kfjw bvqz xjkv wqfz jvxq zkbw vfqj xwzk qbvj");
    private static final List<Document> POOL = List.of(KNOWN_TO_BOTH, KNOWN_TO_NONE, KNOWN_TO_GENERATOR);

    private static Document doc(String id, String text) {
        return new Document(id, text, Provenance.of("pool"));
    }

    private static UncertaintyFeedbackMiner.Builder miner() {
        return UncertaintyFeedbackMiner.builder().optWindowChars(0).optStretchChars(0).optTopK(3);
    }

    /** Bits per byte computed here from the double's log-likelihoods: ASCII, one byte per char, first char given. */
    private static double bpb(CharBigramModel m, String text) {
        TokenScores s = m.score(List.of(text)).get(0);
        return -s.sumLogProb() / Math.log(2) / (text.length() - 1);
    }

    @Test
    void theWindowTheGeneratorKnowsAndTheStudentDoesNotRanksFirst() {
        Feedback f = miner().optSignal(UncertaintyFeedbackMiner.Signal.TEACHABLE_GAP).build()
                .mine(STUDENT, GENERATOR, POOL, 2);
        assertEquals(3, f.hardExamples().size());
        assertEquals("sea", f.hardExamples().get(0).document().id());

        // the reference: every window's gap from the two models' own scores, ranked here
        List<Document> expected = new ArrayList<>(POOL);
        expected.sort(Comparator.comparingDouble((Document d) -> bpb(STUDENT, d.text()) - bpb(GENERATOR, d.text()))
                .reversed());
        assertEquals(expected, f.hardExamples().stream().map(HardExample::document).toList());
        for (HardExample h : f.hardExamples()) {
            String t = h.document().text();
            assertEquals(bpb(STUDENT, t), h.studentBitsPerByte(), 1e-12);
            assertEquals(bpb(GENERATOR, t), h.generatorBitsPerByte(), 1e-12);
            assertEquals(h.studentBitsPerByte() - h.generatorBitsPerByte(), h.hardness(), 1e-12);
            assertTrue(h.hasGeneratorComparison());
            assertFalse(h.salientSpans().isEmpty(), "saliency on the chosen windows as with the other signals");
        }
        // scrambled letters are the Student's hardest text, yet no teachable gap: the Generator fares no better
        assertTrue(bpb(STUDENT, KNOWN_TO_NONE.text()) > bpb(STUDENT, KNOWN_TO_GENERATOR.text()));
        Feedback byLikelihood = miner().optSignal(UncertaintyFeedbackMiner.Signal.LOW_LOG_LIKELIHOOD).build()
                .mine(STUDENT, POOL, 2);
        assertEquals("noise", byLikelihood.hardExamples().get(0).document().id());
        assertTrue(f.hardExamples().get(0).hardness() > f.hardExamples().get(2).hardness());
    }

    @Test
    void withoutTheGeneratorTheGapIsRefusedWithAClearMessage() {
        UncertaintyFeedbackMiner gap = miner().optSignal(UncertaintyFeedbackMiner.Signal.TEACHABLE_GAP).build();
        IllegalStateException a = assertThrows(IllegalStateException.class, () -> gap.mine(STUDENT, POOL, 1));
        assertTrue(a.getMessage().contains("TEACHABLE_GAP") && a.getMessage().contains("Generator"), a.getMessage());
        IllegalStateException b = assertThrows(IllegalStateException.class,
                () -> gap.mine(STUDENT, null, POOL, 1));
        assertEquals(a.getMessage(), b.getMessage());
    }

    @Test
    void theOtherSignalsNeitherScoreTheGeneratorNorChange() {
        AtomicInteger calls = new AtomicInteger();
        TextScorer counting = texts -> {
            calls.incrementAndGet();
            return GENERATOR.score(texts);
        };
        for (UncertaintyFeedbackMiner.Signal s : List.of(UncertaintyFeedbackMiner.Signal.ENTROPY,
                UncertaintyFeedbackMiner.Signal.LOW_LOG_LIKELIHOOD)) {
            UncertaintyFeedbackMiner m = miner().optSignal(s).build();
            Feedback with = m.mine(STUDENT, counting, POOL, 1);
            Feedback without = m.mine(STUDENT, POOL, 1);
            assertEquals(without, with, s.name());
            assertTrue(with.hardExamples().stream().noneMatch(HardExample::hasGeneratorComparison));
            assertTrue(Double.isNaN(with.hardExamples().get(0).studentBitsPerByte()));
        }
        assertEquals(0, calls.get(), "only the gap scores the Generator");
        // a miner that knows nothing of Generators gets the three-argument call from the default method
        FeedbackMiner plain = (student, pool, iteration) -> Feedback.none(iteration);
        assertEquals(Feedback.none(4), plain.mine(STUDENT, counting, POOL, 4));
        assertEquals(0, calls.get());
    }
}
