package dev.symbiosis.core.model;

import java.util.List;

/**
 * Optional capability of a {@link Student}: how much training on a candidate text would help on a target text, to
 * first order, from the gradients of its loss with respect to its <b>trainable</b> parameters (the LoRA matrices of
 * a LoRA Student, else every weight): the cosine between the gradient of the target's loss and the gradient of each
 * candidate's loss.
 *
 * <p>Why the cosine: a plain-SGD step of size {@code eta} on a candidate {@code c} changes the target's loss by
 * {@code -eta <g_t, g_c> + O(eta^2)}, so the alignment of the two gradients is the first-order benefit. The cosine
 * keeps the direction and drops the candidate's gradient norm, because the Student's trainer (AdamW with global
 * norm clipping) makes steps whose size hardly depends on that norm, and a text the Student finds merely odd (high
 * loss, large gradient) should not win by magnitude. The exact alternative, the drop of the target's loss after one
 * virtual SGD step on each candidate, needs a copy of the trainable weights (or an undo of the step) and a second
 * forward pass over the target per candidate: per candidate one forward and backward pass plus one forward pass
 * and two weight writes, against one forward and backward pass here (the target's own pass is shared by every
 * candidate).
 *
 * <p>Cost: one forward and one backward pass over the target and over each candidate; no optimizer step, no copy
 * of the model. The parameters are unchanged by the call and hold no gradient after it.
 */
public interface ParameterGradients {

    /**
     * The cosine between the gradient of the target's mean next-token loss and that of each candidate's, both with
     * respect to the trainable parameters and with the texts framed as {@link Student#score} frames them (no
     * end-of-text token). A gradient of zero norm (e.g. a LoRA adapter whose B matrices are still zero gives a
     * zero gradient for A) has cosine 0 with everything. Deterministic for the same model state and inputs.
     * Implementations are not required to be thread-safe.
     *
     * @param target a non-empty text of at least two tokens (the loss to lower)
     * @param candidates non-empty texts of at least two tokens; an empty list gives an empty array
     * @return one cosine in {@code [-1, 1]} per candidate, in input order
     * @throws IllegalArgumentException if a text is empty or has fewer than two tokens
     */
    double[] gradientCosines(String target, List<String> candidates);
}
