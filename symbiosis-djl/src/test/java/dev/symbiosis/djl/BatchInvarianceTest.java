package dev.symbiosis.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.symbiosis.djl.model.AttentionCache;
import dev.symbiosis.djl.model.BatchInvariance;
import dev.symbiosis.djl.model.CausalLm;
import dev.symbiosis.djl.model.CausalLms;
import dev.symbiosis.djl.model.LoraConfig;
import dev.symbiosis.djl.model.ModelConfig;
import dev.symbiosis.djl.model.Training;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The premise of batch-independent generation ({@link BatchInvariance}), on the kernels this machine runs: with the
 * time axis padded to a multiple of {@link BatchInvariance#ALIGN} and at least {@link BatchInvariance#MIN_ROWS}
 * rows, a row's next-token logits after the prefill and after every cached decoding step are the same, to the bit,
 * alone and inside batches of other rows of other lengths.
 */
class BatchInvarianceTest {

    @TempDir
    Path tmp;

    /** Row lengths around the alignment: 1, 3, 15, 16, 17, 22, 33 tokens. */
    private static final int[] LENGTHS = {1, 3, 15, 16, 17, 22, 33, 2, 9, 31, 32, 40};
    private static final int STEPS = 8;

    private Path checkpoint(int which) throws Exception {
        return switch (which) {
            case 0 -> TinyModels.randomCheckpoint(tmp, TinyModels.config(64, 64, 2, 4), 3);
            case 1 -> RotaryCheckpoints.write(tmp.resolve("neox"), RotaryCheckpoints.neox(true),
                    RotaryCheckpoints.randomTensors(RotaryCheckpoints.neox(true), 4));
            default -> RotaryCheckpoints.write(tmp.resolve("llama"), RotaryCheckpoints.llama(false),
                    RotaryCheckpoints.randomTensors(RotaryCheckpoints.llama(false), 5));
        };
    }

    @ParameterizedTest(name = "family {0}")
    @ValueSource(ints = {0, 1, 2})
    void aRowsLogitsDoNotDependOnItsBatch(int which) throws Exception {
        Path dir = checkpoint(which);
        ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
        Random r = new Random(which);
        int[][] rows = new int[LENGTHS.length][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = r.ints(LENGTHS[i], 0, 256).toArray();
        }
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Training.noGrad();
            for (LoraConfig lora : new LoraConfig[] {null, LoraConfig.of(4, 8)}) {
                try (CausalLm m = CausalLms.load(root, Device.cpu(), cfg, dir, CausalLms.defaultDtype(Device.cpu()),
                        lora == null, lora, null, null, 9)) {
                    float[][][] together = decode(m, rows);
                    float[][][] pair = decode(m, new int[][] {rows[6], rows[1]});
                    for (int i = 0; i < rows.length; i++) {
                        float[][] alone = decode(m, new int[][] {rows[i]})[0];
                        for (int s = 0; s <= STEPS; s++) {
                            assertArrayEquals(alone[s], together[i][s], "row " + i + " step " + s + " lora " + lora);
                        }
                    }
                    for (int s = 0; s <= STEPS; s++) {
                        assertArrayEquals(together[6][s], pair[0][s], "pair, step " + s);
                        assertArrayEquals(together[1][s], pair[1][s], "pair, step " + s);
                    }
                    assertFalse(Arrays.equals(together[0][0], together[1][0]), "rows differ: not vacuous");
                }
            }
        }
    }

    /**
     * The logits of every row after the prefill and after each of {@link #STEPS} cached steps (each row is fed
     * tokens of its own), decoded as generation does: left padding to an aligned length, dummy rows up to the
     * minimum.
     */
    private static float[][][] decode(CausalLm m, int[][] real) {
        int[][] rows = Arrays.copyOf(real, Math.max(real.length, BatchInvariance.MIN_ROWS));
        for (int i = real.length; i < rows.length; i++) {
            rows[i] = real[0];
        }
        int b = rows.length;
        int t = 0;
        for (int[] row : rows) {
            t = Math.max(t, row.length);
        }
        t = BatchInvariance.alignedLength(t);
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        int[] pad = new int[b];
        for (int i = 0; i < b; i++) {
            pad[i] = t - rows[i].length;
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = j < pad[i] ? TinyModels.EOS : rows[i][j - pad[i]];
                pos[i * t + j] = Math.max(0, j - pad[i]);
            }
        }
        float[][][] out = new float[real.length][STEPS + 1][];
        try (AttentionCache cache = m.newCache()) {
            float[][] logits = m.lastLogits(ids, pos, pad, b, t, cache);
            for (int s = 0; ; s++) {
                for (int i = 0; i < real.length; i++) {
                    out[i][s] = logits[i];
                }
                if (s == STEPS) {
                    return out;
                }
                int tk = (int) cache.length() + 1;
                long[] next = new long[b];
                long[] at = new long[b];
                int[] stepPad = new int[b];
                for (int i = 0; i < b; i++) {
                    int length = rows[i].length + s + 1;
                    next[i] = (rows[i][0] + 31L * s) % 256;
                    at[i] = length - 1;
                    stepPad[i] = tk - length;
                }
                logits = m.lastLogits(next, at, stepPad, b, 1, cache);
            }
        }
    }
}
