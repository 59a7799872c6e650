package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The additive attention mask of a left-padded batch, built in PyTorch from the padding lengths: nothing of size
 * {@code B x T x Tk} is made in Java (at an 8k context a prefill's mask would be 256 MiB of Java array per row).
 */
final class PaddingMask {

    private PaddingMask() {}

    /** Whether no row is padded. */
    static boolean none(int[] pad) {
        for (int p : pad) {
            if (p != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The mask {@code (B, 1, T, Tk)} of {@code T} queries at key positions {@code Tk - T .. Tk - 1}: query {@code j}
     * of row {@code i} sees key {@code k} iff {@code pad[i] <= k <= Tk - T + j} (0), else {@code -1e9}.
     *
     * @param pad left-padding positions per row (the row's first {@code pad[i]} keys are padding)
     */
    static NDArray of(NDManager scratch, int[] pad, int t, int tk) {
        long[] p = new long[pad.length];
        for (int i = 0; i < pad.length; i++) {
            p[i] = pad[i];
        }
        NDArray keys = scratch.arange(0L, (long) tk, 1L, DataType.INT64).reshape(1, 1, 1, tk);
        NDArray queries = scratch.arange((long) (tk - t), (long) tk, 1L, DataType.INT64).reshape(1, 1, t, 1);
        NDArray padding = Training.owned(scratch.create(p, new Shape(pad.length, 1, 1, 1)));
        NDArray hidden = keys.gt(queries).logicalOr(keys.lt(padding));
        return hidden.toType(DataType.FLOAT32, false).mul(-1e9f);
    }
}
