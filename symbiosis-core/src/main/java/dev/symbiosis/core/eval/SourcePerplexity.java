package dev.symbiosis.core.eval;

import java.util.Objects;

/**
 * Held-out likelihood figures of the documents of one provenance source (one domain).
 *
 * <p>Immutable and thread-safe; a record that Jackson serialises as is (a {@code NaN} is written as the string
 * {@code "NaN"} and read back).
 *
 * @param source provenance source, or {@link PerplexityResult#ALL} for the pooled figures
 * @param documents number of documents
 * @param tokens number of predicted tokens (every token but the first of each document)
 * @param nll summed negative log-likelihood of the predicted tokens, nats
 * @param bytes UTF-8 bytes of the predicted part of the texts (see {@link PerplexityEvaluator})
 * @param natsPerToken {@code nll / tokens}; {@code NaN} without tokens
 * @param perplexity {@code exp(natsPerToken)}; {@code NaN} without tokens
 * @param bitsPerByte {@code nll / ln 2 / bytes}; {@code NaN} without bytes
 */
public record SourcePerplexity(String source, int documents, long tokens, double nll, long bytes,
        double natsPerToken, double perplexity, double bitsPerByte) {

    public SourcePerplexity {
        Objects.requireNonNull(source, "source");
    }

    /** The figures derived from the sums. */
    public static SourcePerplexity of(String source, int documents, long tokens, double nll, long bytes) {
        double npt = tokens == 0 ? Double.NaN : nll / tokens;
        return new SourcePerplexity(source, documents, tokens, nll, bytes, npt, Math.exp(npt),
                bytes == 0 ? Double.NaN : nll / Math.log(2) / bytes);
    }
}
