package dev.symbiosis.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.symbiosis.core.model.LanguageModel;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the real DJL models on CPU: the same seed and configuration give a byte-identical results.jsonl, and a run
 * that dies part-way and is started again on its folder ends with the same bytes as one that never died.
 */
class ExperimentDeterminismTest {

    private static ExperimentConfig config() {
        ExperimentConfig s = ExperimentConfig.preset("smoke");
        return s.toBuilder().optPreset("determinism").optStrategies(List.of("symbiosis", "recursive-replace"))
                .optEvalItemsPerTask(8).optHeldOutDocsPerDomain(2).optMeasure(s.measureSample(), false).build();
    }

    private static String run(Path out, ExperimentRunner.ModelLoader loader) throws IOException {
        ExperimentRunner.builder(config()).optOutput(out).optModelLoader(loader).build().run();
        return Files.readString(out.resolve("results.jsonl"));
    }

    @Test
    void sameSeedSameBytesAndAResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path a, @TempDir Path b)
            throws IOException {
        String whole = run(a, DefaultComponents::loadModel);
        // the broken run dies at its 3rd training call over all models: Student iteration 1, Generator Step D
        // iteration 1, then the Student's iteration 2 throws (after iteration 1's checkpoint and record)
        AtomicInteger calls = new AtomicInteger();
        ExperimentRunner.ModelLoader dying = (p, t, s) -> new Dying(DefaultComponents.loadModel(p, t, s), calls, 3);
        assertThrows(IllegalStateException.class, () -> run(b, dying));
        assertEquals(whole, run(b, DefaultComponents::loadModel));
    }

    /** Delegates to a model; the {@code failAt}-th training call of all instances sharing the counter throws. */
    private record Dying(LanguageModel m, AtomicInteger calls, int failAt) implements LanguageModel {
        private void tick() {
            if (calls.incrementAndGet() == failAt) {
                throw new IllegalStateException("simulated crash");
            }
        }

        @Override
        public TrainingReport train(List<TrainingText> texts) {
            tick();
            return m.train(texts);
        }

        @Override
        public TrainingReport fineTune(List<PromptCompletion> examples) {
            tick();
            return m.fineTune(examples);
        }

        @Override
        public int countTokens(String text) {
            return m.countTokens(text);
        }

        @Override
        public int[] tokenIds(String text) {
            return m.tokenIds(text);
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
        public void save(Path dir) throws IOException {
            m.save(dir);
        }

        @Override
        public void restore(Path dir) throws IOException {
            m.restore(dir);
        }

        @Override
        public void close() {
            m.close();
        }
    }
}
