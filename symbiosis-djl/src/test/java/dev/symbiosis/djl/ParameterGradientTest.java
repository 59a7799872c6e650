package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.djl.io.SafeTensors.Tensor;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import dev.symbiosis.djl.model.Training;
import dev.symbiosis.core.text.Provenance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DjlLanguageModel#gradientCosines} and {@link DjlLanguageModel#parameterGradient}: the gradient against
 * central finite differences of the scored loss along random directions, the cosines against the flat gradients, and
 * the model unchanged (weights and what the next training step does) after the call.
 */
class ParameterGradientTest {

    private static final Gpt2Config CFG = TinyModels.config(24, 8, 1, 2);
    private static final TrainerConfig TRAINER = new TrainerConfig(1e-2, 0, 0.0, 4, 1, 1.0, 3L);

    @TempDir
    Path tmp;

    /** The scored loss: minus the mean log-probability of the text's predicted tokens. */
    private static double loss(DjlLanguageModel m, String text) {
        TokenScores s = m.score(List.of(text)).get(0);
        return -s.sumLogProb() / s.predictedCount();
    }

    /** Adds {@code scale * direction} to the trainable parameters in place (gradients off). */
    private static void move(DjlLanguageModel m, float[] direction, double scale) {
        Training.noGrad();
        int at = 0;
        for (NDArray p : m.network().trainable()) {
            int n = (int) p.size();
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = (float) (scale * direction[at + i]);
            }
            at += n;
            try (NDArray delta = p.getManager().create(d, p.getShape())) {
                p.addi(delta);
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void theGradientMatchesFiniteDifferencesOfTheScoredLoss() throws Exception {
        try (DjlLanguageModel m = DjlLanguageModel.builder(TinyModels.randomCheckpoint(tmp, CFG, 5))
                .optTrainer(TRAINER).build()) {
            String text = "the cat sat on the mat";
            float[] g = m.parameterGradient(text);
            assertEquals(m.network().trainableCount(), g.length);
            Random rnd = new Random(11);
            for (int trial = 0; trial < 3; trial++) {
                float[] d = new float[g.length];
                double norm = 0;
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) rnd.nextGaussian();
                    norm += (double) d[i] * d[i];
                }
                for (int i = 0; i < d.length; i++) {
                    d[i] /= (float) Math.sqrt(norm);
                }
                double eps = 1e-2;
                move(m, d, eps);
                double up = loss(m, text);
                move(m, d, -2 * eps);
                double down = loss(m, text);
                move(m, d, eps);
                double numeric = (up - down) / (2 * eps);
                double analytic = dot(g, d);
                assertEquals(numeric, analytic, 0.03 * Math.abs(numeric) + 2e-4, "trial " + trial);
            }
        }
    }

    @Test
    void cosinesAreThoseOfTheFlatGradientsAndChangeNothing() throws Exception {
        Path ckpt = TinyModels.randomCheckpoint(tmp, CFG, 6);
        List<String> candidates = List.of("the dog sat on the mat", "zq xv wk", "the cat sat on the mat");
        List<TrainingText> train = List.of(TrainingText.of("a cat and a dog", Provenance.of("t")));
        try (DjlLanguageModel m = DjlLanguageModel.builder(ckpt).optTrainer(TRAINER).build();
                DjlLanguageModel fresh = DjlLanguageModel.builder(ckpt).optTrainer(TRAINER).build()) {
            String target = "the cat sat on the mat";
            Map<String, Tensor> before = m.network().baseTensors();
            double[] cos = m.gradientCosines(target, candidates);
            float[] t = m.parameterGradient(target);
            for (int i = 0; i < candidates.size(); i++) {
                float[] c = m.parameterGradient(candidates.get(i));
                assertEquals(dot(t, c) / Math.sqrt(dot(t, t) * dot(c, c)), cos[i], 1e-5, candidates.get(i));
            }
            assertEquals(1.0, cos[2], 1e-5);
            assertTrue(cos[0] > cos[1], "a near paraphrase aligns better than noise: " + java.util.Arrays.toString(cos));
            Map<String, Tensor> after = m.network().baseTensors();
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name).data(), after.get(name).data(), 0f, name);
            }
            // no gradient left behind: the next training step is the one a fresh model takes
            m.train(train);
            fresh.train(train);
            assertArrayEquals(fresh.score(List.of(target)).get(0).logProbs().toArray(),
                    m.score(List.of(target)).get(0).logProbs().toArray(), 0.0);
            assertEquals(0, m.gradientCosines(target, List.of()).length);
            assertThrows(IllegalArgumentException.class, () -> m.gradientCosines(target, List.of("a")));
            assertThrows(IllegalArgumentException.class, () -> m.gradientCosines("", candidates));
        }
    }

    @Test
    void withLoraOnlyTheAdapterHasAGradientAndTheBaseIsUntouched() throws Exception {
        Path ckpt = TinyModels.randomCheckpoint(tmp, CFG, 7);
        try (DjlLanguageModel m = DjlLanguageModel.builder(ckpt).optLora(LoraConfig.of(2, 4)).optTrainer(TRAINER)
                .build()) {
            m.train(List.of(TrainingText.of("the cat sat on the mat and the dog ran", Provenance.of("t"))));
            Map<String, Tensor> base = m.network().baseTensors();
            Map<String, Tensor> adapter = m.network().adapterTensors();
            float[] g = m.parameterGradient("the dog sat");
            assertEquals(m.network().trainableCount(), g.length);
            assertTrue(g.length < m.network().baseTensors().values().stream().mapToInt(x -> x.data().length).sum());
            double[] cos = m.gradientCosines("the dog sat", List.of("the cat sat", "the dog sat"));
            assertEquals(1.0, cos[1], 1e-5);
            assertNotEquals(0.0, cos[0]);
            for (String name : base.keySet()) {
                assertArrayEquals(base.get(name).data(), m.network().baseTensors().get(name).data(), 0f, name);
            }
            for (String name : adapter.keySet()) {
                assertArrayEquals(adapter.get(name).data(), m.network().adapterTensors().get(name).data(), 0f, name);
            }
        }
    }
}
