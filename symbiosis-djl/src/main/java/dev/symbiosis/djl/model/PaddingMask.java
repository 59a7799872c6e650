package dev.symbiosis.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.IntFunction;

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
     * The mask for one forward of {@code t} queries over {@code tk} keys, the cheapest form first: without padding,
     * the pass's own causal mask when queries and keys coincide (attention then runs the causal kernel) and none for
     * a single query (it sees every key); else {@link #of}.
     *
     * @param causalMask the pass's causal mask of a length
     * @return the mask, or null for none
     */
    static NDArray select(NDManager scratch, int[] pad, int t, int tk, IntFunction<NDArray> causalMask) {
        if (none(pad)) {
            if (tk == t) {
                return causalMask.apply(t);
            }
            if (t == 1) {
                return null;
            }
        }
        return of(scratch, pad, t, tk);
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
