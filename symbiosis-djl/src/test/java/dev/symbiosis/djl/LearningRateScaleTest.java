package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.djl.model.Gpt2Config;
import dev.symbiosis.djl.model.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fineTune(examples, scale)} (issue 17's slower Generator) is fine-tuning with the configured learning rate
 * times the scale: the same weights as a model configured with that rate.
 */
class LearningRateScaleTest {

    @TempDir
    Path tmp;

    private static final List<PromptCompletion> PAIRS = List.of(new PromptCompletion("Q: ping? A:", " pong"),
            new PromptCompletion("Q: pong? A:", " ping"));

    private static float[] weights(Path dir, TrainerConfig tc, double scale) throws Exception {
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(tc).build()) {
            if (scale == 0) {
                m.fineTune(PAIRS);
            } else {
                m.fineTune(PAIRS, scale);
            }
            return m.network().baseTensors().get("transformer.h.0.mlp.c_fc.weight").data();
        }
    }

    @Test
    void aScaledRateIsTheConfiguredRateTimesTheScale() throws Exception {
        Gpt2Config cfg = TinyModels.config(32, 32, 1, 2);
        Path dir = TinyModels.checkpoint(tmp, cfg, 41);
        TrainerConfig base = new TrainerConfig(3e-3, 2, 0.0, 8, 2, 1.0, 1L);
        TrainerConfig quarter = new TrainerConfig(3e-3 * 0.25, 2, 0.0, 8, 2, 1.0, 1L);
        float[] scaled = weights(dir, base, 0.25);
        assertArrayEquals(weights(dir, quarter, 0), scaled, "scale 0.25 = a configured rate of a quarter");
        float[] unscaled = weights(dir, base, 0);
        assertArrayEquals(unscaled, weights(dir, base, 1.0), "scale 1 = fineTune as configured");
        assertFalse(java.util.Arrays.equals(unscaled, scaled));
        try (DjlLanguageModel m = DjlLanguageModel.builder(dir).optTrainer(base).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fineTune(PAIRS, -1));
            assertEquals("learning rate scale must be finite and > 0, got -1.0", e.getMessage());
        }
    }
}
