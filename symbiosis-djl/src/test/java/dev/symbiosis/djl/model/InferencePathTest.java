package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The forward pass runs with a graph recorded (training, saliency) or without one (scoring, generation, where every
 * block's intermediates are freed when the block ends): both must give the same numbers, bit for bit.
 */
class InferencePathTest {

    @Test
    void inPlaceInferenceEqualsTheGraphRecordingForwardBitForBit() throws Exception {
        Gpt2Config cfg = Gpt2Config.of(64, 16, 24, 2, 3, 63);
        int b = 2;
        int t = 7;
        Random random = new Random(11);
        long[] ids = new long[b * t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = random.nextInt(cfg.vocabSize());
            }
        }
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                Gpt2Model model = Gpt2Model.create(root, Device.cpu(), cfg, Gpt2Model.initialTensors(cfg, 5),
                        "test", false, LoraConfig.of(4, 8), null, null, 9)) {
            float[] inference;
            try (NDScope scope = new NDScope(); NDManager scratch = model.manager().newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray in = Training.owned(scratch.create(ids, new Shape(b, t)));
                inference = model.forwardLogits(scratch, in, false, null).toFloatArray();
            }
            float[] recorded;
            try (NDScope scope = new NDScope();
                    NDManager scratch = model.manager().newSubManager();
                    GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                scope.suppressNotUsedWarning();
                NDArray in = Training.owned(scratch.create(ids, new Shape(b, t)));
                recorded = model.forwardLogits(scratch, in, true, null).toFloatArray();
            } finally {
                Training.noGrad();
            }
            assertArrayEquals(recorded, inference);
            int v = cfg.vocabSize();
            assertFalse(Arrays.equals(Arrays.copyOfRange(inference, 0, v), Arrays.copyOfRange(inference, t * v,
                    (t + 1) * v)), "rows differ: the check is not vacuous");
        }
    }
}
