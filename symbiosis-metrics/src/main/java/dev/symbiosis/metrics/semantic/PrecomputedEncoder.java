package dev.symbiosis.metrics.semantic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link SentenceEncoder} over vectors supplied by the user (for example read by {@link VectorFiles}): text
 * {@code i} of the given list maps to row {@code i} of the given vectors, L2-normalised as the encoder contract
 * requires. Lets the metrics panel sub-sample texts and look their vectors up.
 *
 * <p>A text that occurs several times keeps the vector of its first occurrence. Encoding a text that was not
 * supplied is an {@link IllegalArgumentException} naming it.
 *
 * <p>Immutable and thread-safe; {@link #close()} does nothing.
 */
public final class PrecomputedEncoder implements SentenceEncoder {

    private final Embeddings unit;
    private final Map<String, Integer> rows;

    /**
     * @param texts the texts, in the order of the vectors' rows
     * @param vectors one vector per text (rows need not be normalised; zero rows are refused)
     * @throws IllegalArgumentException if the counts differ or a row is zero
     */
    public PrecomputedEncoder(List<String> texts, Embeddings vectors) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(vectors, "vectors");
        if (texts.size() != vectors.size()) {
            throw new IllegalArgumentException("got " + vectors.size() + " vectors for " + texts.size()
                    + " texts: supply exactly one vector per text, in the same order");
        }
        this.unit = vectors.normalised();
        this.rows = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.putIfAbsent(Objects.requireNonNull(texts.get(i), "text"), i);
        }
    }

    @Override
    public Embeddings encode(List<String> texts) {
        int[] idx = new int[texts.size()];
        for (int i = 0; i < idx.length; i++) {
            Integer r = rows.get(texts.get(i));
            if (r == null) {
                String t = texts.get(i);
                throw new IllegalArgumentException("no supplied vector for text '"
                        + (t.length() > 60 ? t.substring(0, 57) + "..." : t) + "'");
            }
            idx[i] = r;
        }
        return unit.select(idx);
    }

    @Override
    public int dimension() {
        return unit.dimension();
    }

    @Override
    public void close() {
        // nothing to release
    }
}
