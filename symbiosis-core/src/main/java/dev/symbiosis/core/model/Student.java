package dev.symbiosis.core.model;

import java.util.List;

/**
 * The Student role: learns from training texts (Step B), and exposes what it finds hard: per-token
 * log-likelihood and entropy ({@link #score}), and gradient saliency w.r.t. its input embeddings
 * ({@link #saliency}) for Step C.
 *
 * <p>Implementations are not required to be thread-safe.
 */
public interface Student extends TextScorer, Checkpointable {

    /**
     * Trains on the texts with next-token cross-entropy, each text's loss scaled by its weight. A text with a
     * {@link TrainingText#context() context} is read after its context and trained on its own tokens only (the
     * first of them predicted from the context); the context carries no loss.
     *
     * @param texts the texts; an empty list changes nothing and returns {@link TrainingReport#empty()}
     * @return what was done
     * @throws IllegalStateException if the loss becomes NaN or infinite (the state before the call is kept)
     */
    TrainingReport train(List<TrainingText> texts);

    /**
     * Input saliency of each text: per token, the L2 norm of the gradient of the mean next-token loss with respect
     * to the token's input embedding. Model parameters are not changed and receive no gradient.
     *
     * @param texts texts of at least two tokens; an empty list gives an empty result
     * @return one map per text, in order
     */
    List<SaliencyMap> saliency(List<String> texts);
}
