package dev.symbiosis.metrics.fidelity;

import dev.symbiosis.core.model.TextScorer;
import dev.symbiosis.core.model.TokenScores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fidelity of a text set: how probable a fixed reference language model finds it, as corpus perplexity and bits per
 * byte.
 *
 * <p><b>Definitions.</b> With {@code T} the total number of predicted tokens over all texts (every token but the
 * first of each text, see {@link TokenScores}), {@code L = sum log p} their log-likelihood in nats and {@code B}
 * the number of UTF-8 bytes those tokens cover,
 * <pre>
 *   nll        = -L / T                      (nats per token)
 *   perplexity = exp(nll)
 *   bpb        = -L / (B ln 2)               (bits per byte)
 * </pre>
 * Token-weighted over the whole set (a corpus perplexity, not the mean of per-text perplexities), as in
 * language-modelling practice. {@code B} counts the bytes of each text from the end of its first (unpredicted)
 * token to its end: all of the text when the scorer prepends a BOS token with the empty span. Perplexity depends on
 * the scorer's tokenizer; bits per byte does not, and compares models with different vocabularies (Gao et al.
 * 2020, "The Pile", section 4).
 *
 * <p><b>Use.</b> Lower perplexity under a reference model trained on real text means the set looks more like real
 * text; a collapsing generator typically drifts to very low perplexity (repetitive, generic text) or high
 * perplexity (degenerate text), so read it next to the diversity figures.
 *
 * <p><b>Degenerate input.</b> An empty list, or texts with no predicted token (one-token texts): every figure
 * {@code NaN} with zero counts. Empty texts are skipped (scorers refuse them) and counted in
 * {@link Result#skippedTexts()}.
 *
 * <p><b>Thread safety.</b> As thread-safe as the scorer: this class holds no mutable state.
 */
public final class Fidelity {

    /** Default number of texts scored per scorer call. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private final TextScorer reference;
    private final int batchSize;

    /** A fidelity measure under {@code reference}, scoring {@value #DEFAULT_BATCH_SIZE} texts per call. */
    public Fidelity(TextScorer reference) {
        this(reference, DEFAULT_BATCH_SIZE);
    }

    /**
     * @param reference the reference model
     * @param batchSize texts per scorer call, {@code >= 1} (bounds the scorer's memory)
     */
    public Fidelity(TextScorer reference, int batchSize) {
        this.reference = Objects.requireNonNull(reference, "reference");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * The figures of a text set.
     *
     * @param texts the texts; empty strings are skipped
     * @throws IllegalStateException if the scorer returns a wrong number of results
     */
    public Result measure(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        List<String> scored = new ArrayList<>(texts.size());
        int skipped = 0;
        for (String t : texts) {
            if (Objects.requireNonNull(t, "text").isEmpty()) {
                skipped++;
            } else {
                scored.add(t);
            }
        }
        double logLik = 0;
        long tokens = 0;
        long bytes = 0;
        for (int from = 0; from < scored.size(); from += batchSize) {
            List<String> batch = scored.subList(from, Math.min(scored.size(), from + batchSize));
            List<TokenScores> scores = reference.score(batch);
            if (scores.size() != batch.size()) {
                throw new IllegalStateException("reference scorer returned " + scores.size() + " results for "
                        + batch.size() + " texts");
            }
            for (TokenScores s : scores) {
                logLik += s.sumLogProb();
                tokens += s.predictedCount();
                if (s.predictedCount() > 0) {
                    String text = s.text();
                    bytes += utf8Length(text, s.ends().get(0), text.length());
                }
            }
        }
        return Result.of(logLik, tokens, bytes, scored.size(), skipped);
    }

    /** UTF-8 byte length of {@code s[from, to)} without allocating. */
    static long utf8Length(String s, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Fidelity figures.
     *
     * @param logLikelihood total log-likelihood of the predicted tokens, nats ({@code <= 0})
     * @param tokens predicted tokens {@code T}
     * @param bytes UTF-8 bytes covered {@code B}
     * @param texts texts scored
     * @param skippedTexts empty texts skipped
     */
    public record Result(double logLikelihood, long tokens, long bytes, int texts, int skippedTexts) {

        static Result of(double logLikelihood, long tokens, long bytes, int texts, int skipped) {
            return new Result(logLikelihood, tokens, bytes, texts, skipped);
        }

        /** Mean negative log-likelihood per predicted token, nats; {@code NaN} without tokens. */
        public double nllPerToken() {
            return tokens == 0 ? Double.NaN : -logLikelihood / tokens;
        }

        /** {@code exp(nllPerToken())}; {@code NaN} without tokens. */
        public double perplexity() {
            return Math.exp(nllPerToken());
        }

        /** Bits per UTF-8 byte; {@code NaN} without tokens or bytes. */
        public double bitsPerByte() {
            return tokens == 0 || bytes == 0 ? Double.NaN : -logLikelihood / (bytes * Math.log(2));
        }
    }

    /** UTF-8 length of a whole string (for tests and callers). */
    public static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
