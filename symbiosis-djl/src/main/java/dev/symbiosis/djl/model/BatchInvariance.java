package dev.symbiosis.djl.model;

/**
 * The batch shapes under which a row's forward passes give the same numbers, to the bit, whichever rows share its
 * batch (measured with PyTorch 2.7.1's CPU kernels): generation relies on them so that a row's sample depends on its
 * prompt and seed only. {@code BatchInvarianceTest} checks them for every family on the machine that runs the
 * tests.
 *
 * <ul>
 *   <li>The time axis of a left-padded batch is a multiple of {@value #ALIGN} positions: a row's keys then sit at the
 *       same offsets modulo the kernels' vector width in every batch, and the attention's reductions over keys add
 *       the same numbers in the same lanes (the extra padded keys contribute exact zeros).</li>
 *   <li>A batch has at least {@value #MIN_ROWS} rows: matrix products of few rows run other kernels, which round
 *       differently (below 4 rows for GPT-2 256 wide; below 8 for a Llama 16 wide).</li>
 * </ul>
 * A batch whose rows are all recomputed (a window slide) changes the numbers of the rows that would not have been
 * recomputed alone, so rows that slide are decoded only with rows that slide at the same steps.
 *
 * <p>Stateless; thread-safe.
 */
public final class BatchInvariance {

    /** Multiple of positions the time axis of a generation forward is padded to. */
    public static final int ALIGN = 16;
    /** Fewest rows of a generation forward (dummy rows fill up). */
    public static final int MIN_ROWS = 8;

    private BatchInvariance() {}

    /** {@code length} rounded up to a multiple of {@link #ALIGN}. */
    public static int alignedLength(int length) {
        return (length + ALIGN - 1) / ALIGN * ALIGN;
    }
}
