package dev.symbiosis.metrics.semantic;

import java.util.List;

/**
 * Maps texts to fixed-size vectors whose cosine similarity reflects closeness of meaning.
 *
 * <p>Implementations return L2-normalised rows (unit norm within float precision), one per text, in input order;
 * an empty list gives an empty matrix of {@link #dimension()} columns. Implementations document their own
 * thread safety; {@link MiniLmEncoder} is thread-safe.
 */
public interface SentenceEncoder extends AutoCloseable {

    /**
     * Encodes the texts.
     *
     * @param texts texts (may be empty strings; an empty list gives an empty matrix)
     * @return {@code texts.size() x dimension()} unit-norm rows
     * @throws IllegalStateException after {@link #close()}
     */
    Embeddings encode(List<String> texts);

    /** Dimension of the vectors. */
    int dimension();

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
