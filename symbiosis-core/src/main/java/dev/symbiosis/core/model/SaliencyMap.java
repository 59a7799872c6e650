package dev.symbiosis.core.model;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.text.Span;
import java.util.Objects;

/**
 * Gradient saliency of one text: for every token, the L2 norm of the gradient of the model's mean next-token loss
 * over the text with respect to that token's input embedding. Large values mark the tokens whose representation
 * the loss is most sensitive to.
 *
 * <p>Immutable and thread-safe.
 *
 * @param text the text
 * @param ids token ids, {@code n >= 1}
 * @param starts start character offset of each token
 * @param ends end character offset (exclusive) of each token
 * @param norms {@code n} gradient norms, each finite and {@code >= 0}
 */
public record SaliencyMap(
        String text, ImmutableIntArray ids, ImmutableIntArray starts, ImmutableIntArray ends,
        ImmutableDoubleArray norms) {

    public SaliencyMap {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(starts, "starts");
        Objects.requireNonNull(ends, "ends");
        Objects.requireNonNull(norms, "norms");
        int n = ids.length();
        if (n < 1 || starts.length() != n || ends.length() != n || norms.length() != n) {
            throw new IllegalArgumentException("saliency needs n >= 1 tokens with one offset pair and norm each");
        }
        for (int i = 0; i < n; i++) {
            if (starts.get(i) < 0 || ends.get(i) < starts.get(i) || ends.get(i) > text.length()) {
                throw new IllegalArgumentException("token " + i + " has invalid offsets");
            }
            double v = norms.get(i);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("norm " + i + " must be finite and >= 0, got " + v);
            }
        }
    }

    public int size() {
        return ids.length();
    }

    /**
     * The window of {@code width} consecutive tokens with the largest summed saliency (the first such window on
     * ties), as a character span.
     *
     * @param width window length in tokens, {@code >= 1}; clipped to the number of tokens
     */
    public Span mostSalientSpan(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        int w = Math.min(width, size());
        double sum = 0;
        for (int i = 0; i < w; i++) {
            sum += norms.get(i);
        }
        double best = sum;
        int bestStart = 0;
        for (int i = w; i < size(); i++) {
            sum += norms.get(i) - norms.get(i - w);
            if (sum > best) {
                best = sum;
                bestStart = i - w + 1;
            }
        }
        return new Span(starts.get(bestStart), ends.get(bestStart + w - 1));
    }
}
