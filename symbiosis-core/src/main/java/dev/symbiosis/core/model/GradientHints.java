package dev.symbiosis.core.model;

import java.util.List;

/**
 * Optional capability of a {@link Student}: HotFlip-style substitution hints from the direction of the gradient of
 * its loss with respect to its input embeddings (see {@link TokenHint} for the formula).
 *
 * <p>A feedback miner asks for hints only when the Student implements this interface; the saliency norms of
 * {@link Student#saliency(List)} are the same quantity's magnitude.
 */
public interface GradientHints {

    /**
     * Hints for each text: its {@code positions} most salient tokens (largest gradient norm first; fewer when the
     * text has fewer tokens), each with up to {@code candidates} vocabulary entries. Entries that decode to empty or
     * whitespace-only text and special tokens are never candidates. Deterministic for the same model state and
     * inputs; builds no parameter gradients.
     *
     * @param texts non-empty texts
     * @param positions number of salient tokens per text, >= 1
     * @param candidates number of candidates per token, >= 1
     * @return one list per text, in input order
     * @throws IllegalArgumentException if a text is empty or a count is < 1
     */
    List<List<TokenHint>> gradientHints(List<String> texts, int positions, int candidates);
}
