package dev.symbiosis.core.text;

import java.util.Objects;

/**
 * A unit of text in a corpus: one JSONL record, one file, or one chunk of a long file.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id non-blank identifier, unique within its corpus
 * @param text the text; never empty (readers refuse empty documents with an error naming file and line)
 * @param provenance where the text came from
 */
public record Document(String id, String text, Provenance provenance) {

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(provenance, "provenance");
        if (id.isBlank()) {
            throw new IllegalArgumentException("document id must not be blank");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("document '" + id + "' has empty text");
        }
    }
}
