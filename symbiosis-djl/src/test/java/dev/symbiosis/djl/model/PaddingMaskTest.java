package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The mask built in PyTorch from padding lengths against the element-by-element definition. */
class PaddingMaskTest {

    /** Query j of row i sits at key position tk - t + j; it sees keys pad[i] .. tk - t + j. */
    private static float[] reference(int[] pad, int t, int tk) {
        float[] m = new float[pad.length * t * tk];
        for (int i = 0; i < pad.length; i++) {
            for (int j = 0; j < t; j++) {
                for (int k = 0; k < tk; k++) {
                    m[(i * t + j) * tk + k] = k > tk - t + j || k < pad[i] ? -1e9f : 0f;
                }
            }
        }
        return m;
    }

    @Test
    void prefillDecodeAndChunkMasksMatchTheDefinition() {
        int[][] pads = {{0, 2, 5}, {0, 0}, {3}};
        int[][] shapes = {{6, 6}, {1, 9}, {3, 8}}; // prefill, one decoding step, a chunk after cached keys
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (int[] pad : pads) {
                for (int[] s : shapes) {
                    float[] got = PaddingMask.of(m, pad, s[0], s[1]).toFloatArray();
                    float[] want = reference(pad, s[0], s[1]);
                    for (int i = 0; i < got.length; i++) {
                        got[i] = got[i] == 0f ? 0f : got[i]; // -0.0 and 0.0 add the same
                    }
                    assertArrayEquals(want, got, java.util.Arrays.toString(pad) + " t=" + s[0] + " tk=" + s[1]);
                }
            }
        }
        assertTrue(PaddingMask.none(new int[] {0, 0}));
        assertFalse(PaddingMask.none(new int[] {0, 1}));
    }
}
