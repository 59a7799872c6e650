package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.symbiosis.core.model.PreferencePair;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPO in the engine ({@link DjlLanguageModel#fineTunePreferences}): the first step's loss is log 2 (policy =
 * reference), the second step's loss equals the DPO loss computed by hand from the logits of the model after one
 * step and before it, and training raises the chosen completion over the rejected one.
 */
class PreferenceTrainingTest {

    private static final Gpt2Config CFG = TinyModels.config(32, 16, 1, 2);
    private static final PreferencePair PAIR = new PreferencePair("the", " cat sat", " dog ran");
    private static final double BETA = 0.5;

    @TempDir
    Path tmp;

    private static TrainerConfig trainer(int epochs) {
        return new TrainerConfig(5e-3, 0, 0.0, 4, epochs, 1.0, 9L);
    }

    /**
     * The summed log-probability of {@code completion} and the end-of-text token after {@code prompt}, as the
     * engine frames a pair for training (byte tokens: every character one id), from the model's logits.
     */
    private static double completionLogProb(DjlLanguageModel m, String prompt, String completion) {
        String text = prompt + completion;
        int[] ids = new int[text.length() + 1];
        for (int i = 0; i < text.length(); i++) {
            ids[i] = text.charAt(i);
        }
        ids[text.length()] = TinyModels.EOS;
        float[][] logits = m.logits(java.util.Arrays.copyOf(ids, ids.length - 1));
        double lp = 0;
        for (int t = prompt.length(); t < ids.length; t++) {
            float[] row = logits[t - 1];
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (float v : row) {
                z += Math.exp(v - max);
            }
            lp += row[ids[t]] - max - Math.log(z);
        }
        return lp;
    }

    private static double margin(DjlLanguageModel m) {
        return completionLogProb(m, PAIR.prompt(), PAIR.chosen()) - completionLogProb(m, PAIR.prompt(),
                PAIR.rejected());
    }

    @Test
    void theFirstStepIsLogTwoAndTheSecondTheHandComputedDpoLoss() throws Exception {
        Path ckpt = TinyModels.randomCheckpoint(tmp, CFG, 3);
        try (DjlLanguageModel oneStep = DjlLanguageModel.builder(ckpt).optTrainer(trainer(1)).build();
                DjlLanguageModel twoSteps = DjlLanguageModel.builder(ckpt).optTrainer(trainer(2)).build()) {
            double lpc0 = completionLogProb(oneStep, PAIR.prompt(), PAIR.chosen());
            double lpr0 = completionLogProb(oneStep, PAIR.prompt(), PAIR.rejected());
            TrainingReport first = oneStep.fineTunePreferences(List.of(PAIR), BETA);
            assertEquals(1, first.steps());
            assertEquals(Math.log(2), first.meanLoss(), 1e-5, "policy = reference at the first step");
            assertEquals(2 * (PAIR.chosen().length() + 1), first.tokens(), "completion and end, both sequences");

            // the step of a 2-epoch call starts from the state after one step (same seed, same lr at step 0)
            double m1 = (completionLogProb(oneStep, PAIR.prompt(), PAIR.chosen()) - lpc0)
                    - (completionLogProb(oneStep, PAIR.prompt(), PAIR.rejected()) - lpr0);
            double expected = Math.log1p(Math.exp(-BETA * m1));
            TrainingReport two = twoSteps.fineTunePreferences(List.of(PAIR), BETA);
            assertEquals(2, two.steps());
            assertEquals(expected, two.finalLoss(), 1e-4, "-log sigmoid(beta * margin after one step)");
            assertTrue(m1 > 0, "one step raises the chosen over the rejected: " + m1);
            assertTrue(two.finalLoss() < Math.log(2));
        }
    }

    @Test
    void trainingRaisesTheMarginThroughALoraAdapterAndAnEmptyCallChangesNothing() throws Exception {
        Path ckpt = TinyModels.randomCheckpoint(tmp, CFG, 4);
        try (DjlLanguageModel m = DjlLanguageModel.builder(ckpt).optLora(LoraConfig.of(2, 4)).optTrainer(trainer(3))
                .build()) {
            double before = margin(m);
            assertEquals(TrainingReport.empty(), m.fineTunePreferences(List.of(), BETA));
            assertEquals(before, margin(m), 0.0);
            assertThrows(IllegalArgumentException.class, () -> m.fineTunePreferences(List.of(PAIR), 0.0));
            TrainingReport r = m.fineTunePreferences(List.of(PAIR, new PreferencePair("a", " b c", " d e")), BETA);
            assertEquals(2, r.examples());
            assertEquals(3, r.steps(), "one batch of two pairs per epoch");
            assertTrue(margin(m) > before, before + " -> " + margin(m));
        }
    }
}
