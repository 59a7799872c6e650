package dev.symbiosis.core.model;

import java.util.List;

/**
 * Optional capability of a {@link Student}: HotFlip-style substitution hints from the direction of the gradient of
 * its loss with respect to its input embeddings (see {@link TokenHint} for the formula).
 *
 * <p>A feedback miner asks for hints only when the Student implements this interface; the saliency norms of
 * {@link Student#saliency(List)} are the same quantity's magnitude, and {@link #saliencyWithHints} returns both
 * from one call.
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

    /**
     * {@link Student#saliency} and {@link #gradientHints} of the same texts in one call, with the same results as the
     * two calls: an implementation can then compute the gradient once and take both the norms and the hints from
     * it (a feedback miner wants both for every hard example). The default makes the two calls.
     *
     * @throws UnsupportedOperationException by default, if this object is not a {@link Student}
     * @throws IllegalArgumentException as {@link #gradientHints}
     */
    default SaliencyWithHints saliencyWithHints(List<String> texts, int positions, int candidates) {
        if (!(this instanceof Student student)) {
            throw new UnsupportedOperationException(getClass().getName() + " is not a Student: it has no saliency");
        }
        List<SaliencyMap> maps = student.saliency(texts);
        return new SaliencyWithHints(maps, gradientHints(texts, positions, candidates));
    }
}
