package dev.symbiosis.core;

import org.jspecify.annotations.NullMarked;

/**
 * The version of the numerics: which records (results.jsonl, per-item results, synthetic data, statistics) a
 * given input and configuration produce.
 *
 * <p><b>Bump {@link #VERSION} in the commit whose change alters records</b> (a different floating-point order in
 * a kernel, a new sampling rule, a changed default that is not in the configuration), and only then. A run folder
 * stores the version it was started with; a later build with another version refuses to resume it, so a long run
 * survives ordinary commits but never mixes records of two numerics. The smoke preset's records before and after
 * a change tell whether it alters records.
 *
 * <p>History: 1 = the numerics of the module split (issue 14), byte-identical to the fused-kernel engine before it.
 * 2 = every generated row of the loop has its own seed (master seed, iteration, step, row) and is decoded
 * independently of its batch (time axis padded to multiples of 16, at least 8 rows; issue 14 points 4 and 5): the
 * sampled text of Steps A and D and of the baselines changes, evaluation and real-data training do not; LoRA
 * dropout masks are seeded per mask. Landed together with Step C's window rules (a short last piece joins the
 * window before it, at most one kept window per stretch of a document; issue 16 point 2), which change the hard
 * examples, and the minimal-pair and entity-cloze tasks in the embedded suite (issue 16 point 3), which add
 * evaluation figures.
 * 3 = every record carries the loop's current Generator's held-out figures ({@code generator.bpb.*}); the embedded
 * default becomes the headroom regime (issue 16 point 1: new Student 0 and Generator 0, the bundle's validation
 * split carved out of its seed split, full fine-tuning of the Student); landed with the evaluation's and the
 * measurement's added figures of issue 16 points 3 and 6.
 */
@NullMarked
public final class Numerics {

    /** The current numerics version. */
    public static final int VERSION = 3;

    private Numerics() {}
}
