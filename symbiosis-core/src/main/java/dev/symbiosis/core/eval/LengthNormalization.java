package dev.symbiosis.core.eval;

/**
 * The length that acc_norm divides a choice's log-likelihood by. Lengths are counted in Unicode code points, as
 * Python's {@code len} counts them.
 */
public enum LengthNormalization {
    /**
     * Characters of the choice itself, without the {@code " "} delimiter: what lm-evaluation-harness does
     * ({@code completion_len = len(choice)} for each choice of {@code doc_to_choice}, although the scored continuation
     * is {@code " " + choice}). The default, so that acc_norm is comparable with published harness figures.
     */
    CHOICE_CHARS,
    /** Characters of the whole scored continuation {@code " " + choice} (one more than {@link #CHOICE_CHARS}). */
    CONTINUATION_CHARS
}
