package dev.symbiosis.core.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSortedMap;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.IterationRecord;
import dev.symbiosis.core.loop.LoopConfig;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.loop.SymbiosisLoop;
import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.strategy.RealUpperBound;
import dev.symbiosis.core.testing.CharBigramModel;
import dev.symbiosis.core.text.Document;
import dev.symbiosis.core.text.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numerical faults at the loop level: a Student whose training diverges (it throws, as the DJL model does on a
 * non-finite loss) stops the run with that error; the last good checkpoint and the records before it stay intact
 * and verified, nothing of the failed iteration is recorded, and a later run resumes from that checkpoint. A model
 * cannot instead report a non-finite loss: {@link TrainingReport} refuses one, so a diverged run is never recorded.
 */
class NumericalFaultTest {

    private static final List<String> TEXTS = List.of("the cat sat on the mat and the dog ran to the park",
            "a bird sang in the old tree by the river", "children played with a red ball in the park");

    private static final StudentEvaluator EVAL = (student, progress) -> {
        double nll = 0;
        for (TokenScores s : student.score(TEXTS)) {
            nll -= s.sumLogProb();
        }
        return new Evaluation("nll", false, ImmutableSortedMap.of("nll", nll));
    };

    private static List<Document> stream() {
        List<Document> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            out.add(new Document("s" + i, TEXTS.get(i % 3) + " " + i, Provenance.of("stream")));
        }
        return out;
    }

    private static List<IterationRecord> run(Path dir, Supplier<LanguageModel> student) throws IOException {
        LoopConfig cfg = LoopConfig.builder().optIterations(3).optTokenBudget(200).optGenerationBatch(4)
                .optPoolSample(4).optSeed(5).build();
        return SymbiosisLoop.builder(cfg, student, student, EVAL, new RunStore(dir, "{\"nan\": 1}"))
                .optRealStream(stream()).build().run(new RealUpperBound());
    }

    private static LanguageModel fresh() {
        return CharBigramModel.trainedOn("s0", TEXTS.subList(0, 1));
    }

    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path whole, @TempDir Path thrown)
            throws IOException {
        List<IterationRecord> expected = run(whole, NumericalFaultTest::fresh);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(thrown, () -> new DivergingAtCall(fresh(), 2)));
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
        List<IterationRecord> kept = new RunStore(thrown, "{\"nan\": 1}").records();
        assertEquals(expected.subList(0, 2), kept, "records 0 and 1 only");
        assertTrue(new RunStore(thrown, "{\"nan\": 1}").hasCheckpoint("real-upper-bound", 1));
        assertFalse(Files.exists(thrown.resolve("real-upper-bound/checkpoint-2")));
        // resuming with a healthy model ends where the uninterrupted run did
        assertEquals(expected, run(thrown, NumericalFaultTest::fresh));
    }

    @Test
    void aReportOfANonFiniteLossCannotBeMade() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new TrainingReport(4, 2, 100, bad, 1.0));
            assertThrows(IllegalArgumentException.class, () -> new TrainingReport(4, 2, 100, 1.0, bad));
        }
    }

    /** Delegates; its n-th training call diverges and throws as the DJL model does. */
    private static final class DivergingAtCall implements LanguageModel {
        private final LanguageModel m;
        private final int at;
        private int calls;

        DivergingAtCall(LanguageModel m, int at) {
            this.m = m;
            this.at = at;
        }

        @Override
        public TrainingReport train(List<TrainingText> texts) {
            if (++calls == at) {
                throw new IllegalStateException("loss is not finite (NaN) at step 3 of 5; the model was restored");
            }
            return m.train(texts);
        }

        @Override
        public int countTokens(String text) {
            return m.countTokens(text);
        }

        @Override
        public List<TokenScores> score(List<String> texts) {
            return m.score(texts);
        }

        @Override
        public List<SaliencyMap> saliency(List<String> texts) {
            return m.saliency(texts);
        }

        @Override
        public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
            return m.generate(prompts, sampling);
        }

        @Override
        public TrainingReport fineTune(List<PromptCompletion> examples) {
            return m.fineTune(examples);
        }

        @Override
        public void save(Path dir) throws IOException {
            m.save(dir);
        }

        @Override
        public void restore(Path dir) throws IOException {
            m.restore(dir);
        }
    }
}
