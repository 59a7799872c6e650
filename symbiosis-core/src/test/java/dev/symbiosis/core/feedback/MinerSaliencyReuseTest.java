package dev.symbiosis.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.symbiosis.core.model.GradientHints;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.SaliencyWithHints;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenHint;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.testing.TinyLoop;
import dev.symbiosis.core.text.Document;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With saliency and hints both on, the miner asks for them in one {@link GradientHints#saliencyWithHints} call per
 * batch of hard examples (so that a Student computes the gradient once for both), and the feedback is what the two
 * separate calls give.
 */
class MinerSaliencyReuseTest {

    private static final List<Document> POOL = TinyLoop.POOL.subList(0, 8);

    /** {@link MinerOptionsTest#STUDENT} behind a wrapper that counts the gradient calls. */
    private static final class Counting implements Student, GradientHints {
        final CharBigramModel inner = MinerOptionsTest.STUDENT;
        int saliencyCalls;
        int hintCalls;
        int bothCalls;
        final boolean combined;

        Counting(boolean combined) {
            this.combined = combined;
        }

        @Override
        public List<TokenScores> score(List<String> texts) {
            return inner.score(texts);
        }

        @Override
        public TrainingReport train(List<TrainingText> texts) {
            return inner.train(texts);
        }

        @Override
        public List<SaliencyMap> saliency(List<String> texts) {
            saliencyCalls++;
            return inner.saliency(texts);
        }

        @Override
        public List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates) {
            hintCalls++;
            return inner.gradientHints(texts, positions, candidates);
        }

        @Override
        public SaliencyWithHints saliencyWithHints(List<String> texts, int positions, int candidates) {
            bothCalls++;
            if (!combined) {
                return GradientHints.super.saliencyWithHints(texts, positions, candidates);
            }
            return new SaliencyWithHints(inner.saliency(texts), inner.gradientHints(texts, positions, candidates));
        }

        @Override
        public void save(Path dir) throws IOException {
            inner.save(dir);
        }

        @Override
        public void restore(Path dir) throws IOException {
            inner.restore(dir);
        }
    }

    @Test
    void saliencyAndHintsComeFromOneCallPerBatchWithTheResultsOfTwo() {
        UncertaintyFeedbackMiner miner = MinerOptionsTest.base().optBatchSize(2).optGradientHints(2, 3).build();
        Counting one = new Counting(true);
        Feedback f = miner.mine(one, POOL, 1);
        assertEquals(5, f.hardExamples().size());
        assertEquals(3, one.bothCalls, "one call per batch of two hard examples (5 -> 3 batches)");
        assertEquals(0, one.saliencyCalls, "no separate saliency call");
        assertEquals(0, one.hintCalls, "no separate hints call");
        // the same feedback as a Student answering with the two separate calls
        Counting two = new Counting(false);
        assertEquals(f, miner.mine(two, POOL, 1));
        assertEquals(3, two.saliencyCalls);
        assertEquals(3, two.hintCalls);
        for (HardExample h : f.hardExamples()) {
            assertEquals(MinerOptionsTest.STUDENT.saliency(List.of(h.document().text())).get(0), h.saliency());
            assertEquals(MinerOptionsTest.STUDENT.gradientHints(List.of(h.document().text()), 2, 3).get(0),
                    h.hints());
            assertFalse(h.hints().isEmpty());
        }
    }

    @Test
    void withoutSaliencyOnlyTheHintsAreAskedFor() {
        Counting c = new Counting(true);
        Feedback f = MinerOptionsTest.base().optSaliency(false).optGradientHints(2, 3).build().mine(c, POOL, 1);
        assertEquals(0, c.bothCalls);
        assertEquals(0, c.saliencyCalls);
        assertEquals(1, c.hintCalls);
        f.hardExamples().forEach(h -> assertEquals(null, h.saliency()));
    }
}
