package dev.symbiosis.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /** The mask's values with -0.0 read as 0.0 (both add the same). */
    private static float[] values(ai.djl.ndarray.NDArray mask) {
        float[] v = mask.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] == 0f ? 0f : v[i];
        }
        return v;
    }

    @Test
    void prefillDecodeAndChunkMasksMatchTheDefinition() {
        int[][] pads = {{0, 2, 5}, {0, 0}, {3}};
        int[][] shapes = {{6, 6}, {1, 9}, {3, 8}}; // prefill, one decoding step, a chunk after cached keys
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (int[] pad : pads) {
                for (int[] s : shapes) {
                    float[] got = values(PaddingMask.of(m, pad, s[0], s[1]));
                    float[] want = reference(pad, s[0], s[1]);
                    assertArrayEquals(want, got, java.util.Arrays.toString(pad) + " t=" + s[0] + " tk=" + s[1]);
                }
            }
        }
        assertTrue(PaddingMask.none(new int[] {0, 0}));
        assertFalse(PaddingMask.none(new int[] {0, 1}));
    }

    @Test
    void selectPrefersTheCausalMaskAndNoMaskWhereNothingIsPadded() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ai.djl.ndarray.NDArray causal = m.zeros(new ai.djl.ndarray.types.Shape(1, 1, 5, 5));
            assertSame(causal, PaddingMask.select(m, new int[] {0, 0}, 5, 5, t -> causal), "unpadded prefill");
            assertNull(PaddingMask.select(m, new int[] {0, 0}, 1, 9, t -> causal), "unpadded decoding step");
            assertArrayEquals(reference(new int[] {0, 0}, 3, 8),
                    values(PaddingMask.select(m, new int[] {0, 0}, 3, 8, t -> causal)),
                    "a chunk after cached keys needs the offset mask");
            assertArrayEquals(reference(new int[] {0, 2}, 5, 5),
                    values(PaddingMask.select(m, new int[] {0, 2}, 5, 5, t -> causal)),
                    "padded prefill");
        }
    }
}
