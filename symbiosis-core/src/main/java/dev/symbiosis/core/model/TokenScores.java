package dev.symbiosis.core.model;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import dev.symbiosis.core.text.Span;
import java.util.Objects;

/**
 * A language model's per-token view of one text: the token ids with their character offsets, and for every token
 * after the first the log-likelihood the model gave it and the entropy of the model's predictive distribution at
 * that position.
 *
 * <p>Alignment: for {@code n} tokens, {@code logProbs} and {@code entropies} have {@code n - 1} entries;
 * {@code logProbs.get(i) = log p(ids[i+1] | ids[0..i])} in nats, and {@code entropies.get(i)} is the entropy (nats)
 * of {@code p(. | ids[0..i])}. Nothing is prepended (no BOS) unless the model's tokenizer does so, in which case the
 * BOS token appears in {@code ids} with the empty span {@code [0, 0)}.
 *
 * <p>Optionally, {@code argmaxIds} holds for every predicted position the id the model found most likely
 * ({@code argmaxIds.get(i) = argmax_v p(v | ids[0..i])}, ties to the lowest id), so that top-1 next-token accuracy
 * needs no extra forward pass; an empty array means the model does not supply it ({@link #hasArgmax()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param text the scored text
 * @param ids token ids, {@code n >= 1}
 * @param starts start character offset of each token in {@code text}
 * @param ends end character offset (exclusive) of each token
 * @param logProbs {@code n - 1} log-likelihoods, each {@code <= 0}
 * @param entropies {@code n - 1} entropies, each {@code >= 0}
 * @param argmaxIds {@code n - 1} most likely ids, or empty when not available
 */
public record TokenScores(
        String text,
        ImmutableIntArray ids,
        ImmutableIntArray starts,
        ImmutableIntArray ends,
        ImmutableDoubleArray logProbs,
        ImmutableDoubleArray entropies,
        ImmutableIntArray argmaxIds) {

    /** Tolerance for floating-point noise on the bounds {@code logProb <= 0}, {@code entropy >= 0}. */
    private static final double EPS = 1e-4;

    public TokenScores {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(starts, "starts");
        Objects.requireNonNull(ends, "ends");
        Objects.requireNonNull(logProbs, "logProbs");
        Objects.requireNonNull(entropies, "entropies");
        Objects.requireNonNull(argmaxIds, "argmaxIds");
        int n = ids.length();
        if (n < 1) {
            throw new IllegalArgumentException("token scores need at least one token");
        }
        if (starts.length() != n || ends.length() != n) {
            throw new IllegalArgumentException("offsets must have one entry per token (" + n + ")");
        }
        if (logProbs.length() != n - 1 || entropies.length() != n - 1) {
            throw new IllegalArgumentException("logProbs and entropies must have n - 1 = " + (n - 1) + " entries, got "
                    + logProbs.length() + " and " + entropies.length());
        }
        if (!argmaxIds.isEmpty() && argmaxIds.length() != n - 1) {
            throw new IllegalArgumentException("argmaxIds must be empty or have n - 1 = " + (n - 1) + " entries, got "
                    + argmaxIds.length());
        }
        for (int i = 0; i < n; i++) {
            if (starts.get(i) < 0 || ends.get(i) < starts.get(i) || ends.get(i) > text.length()) {
                throw new IllegalArgumentException("token " + i + " has invalid offsets [" + starts.get(i) + ", "
                        + ends.get(i) + ") for text of length " + text.length());
            }
        }
        for (int i = 0; i < n - 1; i++) {
            double lp = logProbs.get(i);
            double h = entropies.get(i);
            if (Double.isNaN(lp) || lp > EPS) {
                throw new IllegalArgumentException("logProb " + i + " must be <= 0, got " + lp);
            }
            if (!(h >= -EPS) || Double.isInfinite(h)) {
                throw new IllegalArgumentException("entropy " + i + " must be finite and >= 0, got " + h);
            }
        }
    }

    /** Scores without the most likely ids ({@link #hasArgmax()} false). */
    public TokenScores(String text, ImmutableIntArray ids, ImmutableIntArray starts, ImmutableIntArray ends,
            ImmutableDoubleArray logProbs, ImmutableDoubleArray entropies) {
        this(text, ids, starts, ends, logProbs, entropies, ImmutableIntArray.of());
    }

    /**
     * Whether the model supplied its most likely id at every predicted position. A text of one token has no
     * predicted position, so it reports false (nothing to count).
     */
    public boolean hasArgmax() {
        return !argmaxIds.isEmpty();
    }

    /**
     * Whether the model's most likely token at predicted position {@code i} is the true next token
     * {@code ids[i + 1]}.
     *
     * @throws IllegalStateException if the model did not supply the most likely ids
     */
    public boolean top1Correct(int i) {
        if (!hasArgmax()) {
            throw new IllegalStateException("these scores carry no most likely ids");
        }
        return argmaxIds.get(i) == ids.get(i + 1);
    }

    /** Number of tokens. */
    public int size() {
        return ids.length();
    }

    /** Number of scored (predicted) tokens: {@code size() - 1}. */
    public int predictedCount() {
        return logProbs.length();
    }

    /** Mean log-likelihood per predicted token (nats); {@code NaN} when only one token. */
    public double meanLogProb() {
        return predictedCount() == 0 ? Double.NaN : sumLogProb() / predictedCount();
    }

    /** Sum of all predicted tokens' log-likelihoods (nats); 0 when only one token. */
    public double sumLogProb() {
        double s = 0;
        for (int i = 0; i < logProbs.length(); i++) {
            s += logProbs.get(i);
        }
        return s;
    }

    /** Mean predictive entropy per position (nats); {@code NaN} when only one token. */
    public double meanEntropy() {
        if (predictedCount() == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < entropies.length(); i++) {
            s += entropies.get(i);
        }
        return s / predictedCount();
    }

    /** Character span of token {@code i}. */
    public Span span(int i) {
        return new Span(starts.get(i), ends.get(i));
    }

    /**
     * Sum of the log-likelihoods of the predicted tokens that end after character {@code from}, i.e. every token
     * that overlaps {@code [from, text.length())}: the log-likelihood of a continuation scored jointly with its
     * context, as lm-evaluation-harness does. The first token of the text is never predicted and so never counted.
     *
     * @param from character offset where the continuation starts
     * @return the summed log-likelihood (nats), 0 if no predicted token overlaps
     */
    public double sumLogProbFrom(int from) {
        double s = 0;
        for (int i = 1; i < ids.length(); i++) {
            if (ends.get(i) > from) {
                s += logProbs.get(i - 1);
            }
        }
        return s;
    }

    /** Number of predicted tokens counted by {@link #sumLogProbFrom(int)}. */
    public int countFrom(int from) {
        int c = 0;
        for (int i = 1; i < ids.length(); i++) {
            if (ends.get(i) > from) {
                c++;
            }
        }
        return c;
    }
}
