package dev.symbiosis.core.model;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableDoubleArray;
import dev.symbiosis.core.text.Span;
import java.util.List;
import java.util.Objects;

/**
 * First-order substitution hints for one salient token of a text (the proposal's Step C2, "gradient direction, not
 * only its norm").
 *
 * <p>With {@code g} the gradient of the Student's mean next-token loss with respect to the input embedding at this
 * position and {@code e(v)} the embedding of vocabulary entry {@code v}, the first-order change of the loss when the
 * token {@code x} is replaced by {@code v} is {@code (e(v) - e(x)) . g} (Ebrahimi et al., "HotFlip", ACL 2018). The
 * candidates are the entries with the largest such change, best first: the substitutions the Student is most
 * sensitive to at a place where it is already uncertain. They say which words the teaching material should
 * contrast with the original one.
 *
 * @param tokenIndex index of the token in the text's tokenization
 * @param span the token's characters in the text
 * @param saliency L2 norm of the gradient at this token (what ranked it among the text's tokens)
 * @param candidates decoded vocabulary entries, best first, never the token itself; may be empty
 * @param scores first-order loss change of each candidate, same order, non-increasing
 */
public record TokenHint(
        int tokenIndex, Span span, double saliency, ImmutableList<String> candidates, ImmutableDoubleArray scores) {

    public TokenHint {
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(scores, "scores");
        if (tokenIndex < 0) {
            throw new IllegalArgumentException("tokenIndex must be >= 0, got " + tokenIndex);
        }
        if (!(saliency >= 0) || Double.isInfinite(saliency)) {
            throw new IllegalArgumentException("saliency must be finite and >= 0, got " + saliency);
        }
        if (candidates.size() != scores.length()) {
            throw new IllegalArgumentException(
                    candidates.size() + " candidates but " + scores.length() + " scores");
        }
        for (int i = 0; i < scores.length(); i++) {
            double s = scores.get(i);
            if (!Double.isFinite(s) || (i > 0 && s > scores.get(i - 1))) {
                throw new IllegalArgumentException("scores must be finite and non-increasing, score " + i + " = " + s);
            }
        }
    }

    /** Hint with candidates given as a list. */
    public static TokenHint of(int tokenIndex, Span span, double saliency, List<String> candidates, double[] scores) {
        return new TokenHint(
                tokenIndex, span, saliency, ImmutableList.copyOf(candidates), ImmutableDoubleArray.copyOf(scores));
    }

    /** The token's own text. */
    public String tokenText(String text) {
        return span.of(text);
    }
}
