package dev.symbiosis.core.model;

import java.util.List;

/**
 * Anything that gives per-token log-likelihoods and entropies for texts: a {@link Student}, a reference model for
 * fidelity, an n-gram model in a test.
 */
@FunctionalInterface
public interface TextScorer {

    /**
     * Scores each text.
     *
     * @param texts non-empty texts; an empty list gives an empty result
     * @return one {@link TokenScores} per text, in order
     * @throws IllegalArgumentException if a text is empty
     */
    List<TokenScores> score(List<String> texts);
}
