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
        long[] pos = new long[b * t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = random.nextInt(cfg.vocabSize());
                pos[r * t + i] = i;
            }
        }
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                Gpt2Model model = Gpt2Model.create(root, Device.cpu(), cfg, Gpt2Model.initialTensors(cfg, 5),
                        "test", false, LoraConfig.of(4, 8), null, null, 9)) {
            float[][] inference = model.lastLogits(ids, pos, new int[b], b, t, null);

            float[] recorded;
            try (NDScope scope = new NDScope();
                    NDManager scratch = model.manager().newSubManager();
                    GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                scope.suppressNotUsedWarning();
                Gpt2Model.Pass pass = model.new Pass(scratch, true, null);
                NDArray in = Training.owned(scratch.create(ids, new Shape(b, t)));
                NDArray p = Training.owned(scratch.create(pos, new Shape(b, t)));
                NDArray m = pass.causalMask(t);
                NDArray hidden = pass.hidden(pass.embed(in), p, m, null);
                recorded = pass.logits(hidden.get(":, -1, :").reshape(b, 1, cfg.nEmbd()))
                        .toFloatArray();
            } finally {
                Training.noGrad();
            }
            for (int r = 0; r < b; r++) {
                float[] row = Arrays.copyOfRange(recorded, r * cfg.vocabSize(), (r + 1) * cfg.vocabSize());
                assertArrayEquals(row, inference[r], "row " + r);
            }
            assertFalse(Arrays.equals(inference[0], inference[1]), "rows differ: the check is not vacuous");
        }
    }
}
